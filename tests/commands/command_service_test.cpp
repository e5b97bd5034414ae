#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>

#include "commands/command_service.hpp"
#include "commands/parser.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/fake_staff.hpp"
#include "tests/support/say_command.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using testing::FakeStaff;
using testing::TempDir;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);  // 2026-11-22 06:45:00 UTC

const Actor kPat{"generic:pat", "Pat", Role::partner};
const Actor kPaula{"generic:paula", "Paula", Role::partner};
const Actor kErin{"erin", "Erin", Role::engineer};
const Actor kBob{"bob", "Bob", Role::engineer};
const Actor kTom{"tom", "Tom", Role::tam};
const Tenant kAcme{"acme", "Acme Reseller", Package::premium};
const Tenant kGlobex{"globex", "Globex", Package::selected};

// A command service on a temp-file store with a manual clock, typed into like a chat.
struct Chat {
  TempDir dir;
  SqliteStore store{{dir.file("t.db")}};
  ManualClock clock{kT0};
  FakeStaff staff{{kErin, kBob, kTom}};
  CommandService service{store, clock, staff};

  std::string say(const Actor& who, const std::optional<Tenant>& tenant, const std::string& text) {
    return say_on(service, who, tenant, text);
  }
  // A malformed command reads as the dispatcher answers it: what was wrong, then the usage.
  std::string say_on(CommandService& on, const Actor& who, const std::optional<Tenant>& tenant,
                     const std::string& text) {
    return testing::say_command(on, who, tenant, text);
  }
  std::string in_acme(const Actor& who, const std::string& text) { return say(who, kAcme, text); }
  std::string in_support(const Actor& who, const std::string& text) { return say(who, std::nullopt, text); }
  Ticket ticket(TicketId id) { return store.find_ticket(id, "").value(); }
  std::size_t log_rows(TicketId id) { return store.timeline(id, 100).size(); }
};

}  // namespace

TEST_CASE("a partner opens a ticket and hears its id, severity and response deadline") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/open critical DB down for:BigCo") ==
        "#1 opened: Critical \"DB down\" for BigCo; response due 2026-11-22 07:00 UTC (in 15m)");
  const auto t = chat.ticket(1);
  CHECK(t.tenant_id == "acme");
  CHECK(t.sub_customer == "BigCo");
  CHECK(t.opened_by_id == "generic:pat");
  CHECK(t.state == TicketState::open);
  CHECK(t.response_due_at == kT0 + 15min);
  CHECK(chat.in_acme(kPat, "/ticket open 5 \"数据库 question 🙂\"")
            .starts_with("#2 opened: Low \"数据库 question 🙂\"; response due 2026-11-23 00:45 UTC (in 18h)"));
}

TEST_CASE("only support staff acknowledge; the ack stops the clock and names who and how fast") {
  Chat chat;
  chat.in_acme(kPat, "/open 1 DB down");
  CHECK(chat.in_acme(kPat, "/ack 1") == "only support staff may ack tickets");
  CHECK(chat.ticket(1).state == TicketState::open);
  chat.clock.advance(5min);
  CHECK(chat.in_acme(kErin, "/ack #1") == "#1 acknowledged by Erin after 5m (within the 15m SLA)");
  const auto t = chat.ticket(1);
  CHECK(t.state == TicketState::acknowledged);
  CHECK(t.acked_at == kT0 + 5min);
  CHECK(t.assignee_name == "Erin");
  CHECK(chat.in_acme(kBob, "/ack 1") == "#1 is already acknowledged by Erin");
  CHECK(chat.log_rows(1) == 2);
}

TEST_CASE("a late acknowledgement says by how much the SLA was missed") {
  Chat chat;
  chat.in_acme(kPat, "/open 1 DB down");
  chat.clock.advance(20min);
  CHECK(chat.in_acme(kErin, "/ack 1") == "#1 acknowledged by Erin after 20m (SLA missed by 5m)");
}

TEST_CASE("two engineers acknowledging at once give one ack and one clear refusal") {
  Chat chat;
  chat.in_acme(kPat, "/open 2 API errors");
  auto command = std::get<Command>(parse_command("/ack 1", "slabot"));
  std::promise<Reply> first, second;
  chat.service.execute({kErin, kAcme, "c", std::nullopt}, command, [&](Reply r) { first.set_value(r); });
  chat.service.execute({kBob, kAcme, "c", std::nullopt}, command, [&](Reply r) { second.set_value(r); });
  CHECK(first.get_future().get().text.starts_with("#1 acknowledged by Erin"));
  CHECK(second.get_future().get().text == "#1 is already acknowledged by Erin");
  CHECK(chat.log_rows(1) == 2);
}

TEST_CASE("no one sees or touches another tenant's ticket") {
  Chat chat;
  chat.in_acme(kPat, "/open 3 acme only");
  for (const std::string text : {"/ack 1", "/escalate 1", "/sev 1 1", "/resolve 1", "/close 1", "/reopen 1",
                                 "/assign 1 bob", "/show 1", "/note 1 hi"}) {
    CHECK(chat.say(kErin, kGlobex, text) == "no ticket #1 here");
  }
  CHECK(chat.say(kPat, kGlobex, "/show 1") == "no ticket #1 here");
  CHECK(chat.say(kErin, kGlobex, "/list all") == "no tickets");
  CHECK(chat.say(kErin, kGlobex, "/sla").ends_with("no ticket is waiting for a response"));
  CHECK(chat.log_rows(1) == 1);
  CHECK(chat.ticket(1).state == TicketState::open);
}

TEST_CASE("severity: partners may raise it, only staff may lower it, and the deadline follows") {
  Chat chat;
  chat.in_acme(kPat, "/open low printer question");
  chat.clock.advance(10min);
  CHECK(chat.in_acme(kPat, "/sev 1 critical") ==
        "#1 severity Low -> Critical; response due 2026-11-22 07:00 UTC (in 5m)");
  CHECK(chat.ticket(1).response_due_at == kT0 + 15min);
  CHECK(chat.in_acme(kPat, "/sev 1 high") == "only support staff may lower severity");
  CHECK(chat.ticket(1).severity == 1);
  CHECK(chat.in_acme(kPat, "/sev 1 sev1") == "#1 is already Critical");
  chat.clock.advance(10min);  // past the Critical deadline: the new deadline may lie in the past
  CHECK(chat.in_acme(kErin, "/sev 1 2") ==
        "#1 severity Critical -> Urgent; response due 2026-11-22 07:25 UTC (in 20m)");
  CHECK(chat.log_rows(1) == 3);
}

TEST_CASE("after an acknowledgement a severity change leaves the response clock alone") {
  Chat chat;
  chat.in_acme(kPat, "/open 3 slow queries");
  chat.in_acme(kErin, "/ack 1");
  CHECK(chat.in_acme(kPat, "/sev 1 2") == "#1 severity High -> Urgent");
  CHECK(chat.ticket(1).response_due_at == kT0 + 4h);
}

TEST_CASE("escalation climbs engineer, TAM, service manager and stops at the top") {
  Chat chat;
  chat.in_acme(kPat, "/open 2 outage");
  CHECK(chat.in_acme(kPat, "/escalate 1 no answer yet") == "#1 escalated to TAM (no answer yet)");
  CHECK(chat.in_acme(kErin, "/escalate 1") == "#1 escalated to service manager");
  CHECK(chat.in_acme(kPat, "/escalate 1") == "#1 is already with the service manager, the top of the ladder");
  CHECK(chat.ticket(1).escalation_level == kEscalationManager);
  CHECK(chat.log_rows(1) == 3);
}

TEST_CASE("assign takes a staff member by id, name or @-mention") {
  Chat chat;
  chat.in_acme(kPat, "/open 3 x");
  CHECK(chat.in_acme(kPat, "/assign 1 bob") == "only support staff may assign tickets");
  CHECK(chat.in_acme(kErin, "/assign 1 @nobody") == "no support staff named nobody");
  CHECK(chat.in_acme(kErin, "/assign 1 @bob") == "#1 assigned to Bob");
  CHECK(chat.in_acme(kErin, "/assign 1 Bob") == "#1 is already assigned to Bob");
  CHECK(chat.ticket(1).assignee_id == "bob");
}

TEST_CASE("assign to me: the staff member who types it (or taps Assign to me)") {
  Chat chat;
  chat.in_acme(kPat, "/open 3 x");
  CHECK(chat.in_acme(kPat, "/assign 1 me") == "only support staff may assign tickets");
  CHECK(chat.in_acme(kErin, "/assign 1 me") == "#1 assigned to Erin");
  CHECK(chat.ticket(1).assignee_id == "erin");
  CHECK(chat.in_acme(kErin, "/assign 1 @ME") == "#1 is already assigned to Erin");
}

TEST_CASE("resolve, close and reopen follow the state machine") {
  Chat chat;
  chat.in_acme(kPat, "/open 2 outage");
  chat.in_acme(kErin, "/ack 1");
  CHECK(chat.in_acme(kPat, "/resolve 1") == "only support staff may resolve tickets");
  CHECK(chat.in_acme(kPat, "/reopen 1").starts_with("#1 is still acknowledged, not resolved"));
  CHECK(chat.in_acme(kErin, "/resolve 1 restarted the pool") == "#1 resolved by Erin: restarted the pool");
  CHECK(chat.in_acme(kErin, "/resolve 1") == "#1 is resolved; reopen it first");
  CHECK(chat.in_acme(kErin, "/ack 1") == "#1 is resolved; reopen it first");
  chat.clock.advance(1h);
  CHECK(chat.in_acme(kPat, "/reopen 1 it is back") == "#1 reopened; response due 2026-11-22 08:25 UTC (in 40m)");
  auto t = chat.ticket(1);
  CHECK(t.state == TicketState::open);
  CHECK_FALSE(t.acked_at.has_value());
  CHECK(t.clock_started_at == kT0 + 1h);
  CHECK(chat.in_acme(kErin, "/close 1").starts_with("#1 was never acknowledged"));  // reopened: its clock runs
  // Its first line; the closure summary follows (entitlements_test.cpp).
  CHECK(chat.in_acme(kErin, "/close 1 fixed by the restart")
            .starts_with("#1 closed without a response, response SLA missed: fixed by the restart\n"));
  CHECK(chat.in_acme(kErin, "/close 1") == "#1 is already closed");
  CHECK(chat.in_acme(kPat, "/escalate 1") == "#1 is closed; reopen it first");
  CHECK(chat.ticket(1).closed_at == kT0 + 1h);
}

TEST_CASE("show gives the ticket and its timeline; note adds to it") {
  Chat chat;
  chat.in_acme(kPat, "/open 1 DB down for:BigCo");
  chat.clock.advance(2min);
  CHECK(chat.in_acme(kPat, "/note 1 error 1040 too many connections") == "#1 noted");
  const auto shown = chat.in_acme(kPat, "/show #1");
  CHECK(shown ==
        "#1 Critical open \"DB down\" for BigCo\n"
        "Opened 2026-11-22 06:45 UTC by Pat; response due 2026-11-22 07:00 UTC (in 13m)\n"
        "  2026-11-22 06:45 UTC Pat opened: Critical: DB down\n"
        "  2026-11-22 06:47 UTC Pat noted: error 1040 too many connections");
}

TEST_CASE("show keeps the newest 10 timeline rows and says how many earlier ones it leaves out") {
  Chat chat;
  chat.in_acme(kPat, "/open 2 API errors");
  for (int i = 1; i <= 11; ++i) chat.in_acme(kPat, "/note 1 update " + std::to_string(i));
  const auto shown = chat.in_acme(kPat, "/show 1");
  CHECK(shown.find(")\n  (2 earlier entries)\n") != std::string::npos);
  CHECK(shown.find("opened") == std::string::npos);  // the oldest rows are the ones left out
  CHECK(shown.find("update 1\n") == std::string::npos);
  CHECK(shown.ends_with("noted: update 11"));
  chat.in_support(kErin, "/note 1 internal only");  // partners do not count what they cannot see
  CHECK(chat.in_acme(kPat, "/show 1").find("(2 earlier entries)") != std::string::npos);
  CHECK(chat.in_support(kErin, "/show 1").find("(3 earlier entries)") != std::string::npos);
}

TEST_CASE("list shows open, mine and all, filtered by severity") {
  Chat chat;
  chat.in_acme(kPat, "/open 3 first");
  chat.say(kPaula, kAcme, "/open 1 second");
  chat.in_acme(kPat, "/open 5 third");
  chat.say(kPat, kGlobex, "/open 1 elsewhere");
  chat.in_acme(kErin, "/assign 3 erin");
  chat.in_acme(kErin, "/resolve 3");
  CHECK(chat.in_acme(kPat, "/list") == "2 open tickets:\n#2 Critical open \"second\"\n#1 High open \"first\"");
  CHECK(chat.in_acme(kPat, "/list mine") == "1 open ticket you opened:\n#1 High open \"first\"");
  CHECK(chat.in_acme(kErin, "/list mine") == "no open tickets assigned to you");
  CHECK(chat.in_acme(kErin, "/list all sev5") == "1 Low ticket:\n#3 Low resolved \"third\", Erin");
  CHECK(chat.in_support(kErin, "/list").starts_with("3 open tickets:"));
}

TEST_CASE("sla lists the waiting tickets, the overdue first") {
  Chat chat;
  chat.in_acme(kPat, "/open 5 low one");
  chat.in_acme(kPat, "/open 1 critical one");
  chat.clock.advance(20min);
  CHECK(chat.in_acme(kPat, "/sla") ==
        "Response SLA (Premium): Critical 15m, Urgent 40m, High 4h, Medium 8h, Low 18h\n"
        "waiting for a response:\n"
        "#2 Critical, 15m limit, overdue by 5m (was due 2026-11-22 07:00 UTC)\n"
        "#1 Low, 18h limit, due 2026-11-23 00:45 UTC (in 17h 40m)");
}

TEST_CASE("whoami names the person, role and group") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/whoami") == "you are Pat (partner) in the group of Acme Reseller, Premium package");
  CHECK(chat.in_support(kTom, "/whoami") == "you are Tom (TAM) in the support side's channel");
}

TEST_CASE("the support side's channel is for staff, sees every tenant, and opens nothing") {
  Chat chat;
  chat.in_acme(kPat, "/open 2 outage");
  CHECK(chat.in_support(kPat, "/list") == "this channel is for support staff only");
  CHECK(chat.in_support(kErin, "/open 1 x").starts_with("open tickets in the partner's group"));
  CHECK(chat.in_support(kErin, "/ack 1").starts_with("#1 acknowledged by Erin"));
  CHECK(chat.store.count_tickets({}) == 1);
}

TEST_CASE("each package's SLA policy sets the deadline, for its tenant's tickets only") {
  testing::TempDir dir;
  SqliteStore store({dir.file("p.db")});
  ManualClock clock{kT0};
  FakeStaff staff{{kErin}, {kAcme, kGlobex}};
  SlaPolicies policies;
  policies.for_package(Package::premium).response_limits[0] = 10min;
  CommandService service{store, clock, staff, policies};
  auto run = [&](const Actor& who, const std::optional<Tenant>& tenant, const std::string& text) {
    std::promise<Reply> promise;
    service.execute({who, tenant, "c", std::nullopt}, std::get<Command>(parse_command(text, "slabot")),
                    [&](Reply r) { promise.set_value(r); });
    return promise.get_future().get().text;
  };
  CHECK(run(kPat, kAcme, "/open 1 premium").ends_with("(in 10m)"));
  CHECK(run(kPat, kGlobex, "/open 1 selected").ends_with("(in 15m)"));
  CHECK(run(kPat, kAcme, "/sla").starts_with("Response SLA (Premium): Critical 10m, Urgent 40m"));
  // From the support side, a severity change uses the ticket's own tenant's policy.
  run(kPat, kAcme, "/open 5 later raised");
  CHECK(run(kErin, std::nullopt, "/sev 3 1") ==
        "#3 severity Low -> Critical; response due 2026-11-22 06:55 UTC (in 10m)");
}

TEST_CASE("hooks hear every durable change, and an escalation queues its messages with the climb") {
  testing::TempDir dir;
  SqliteStore store({dir.file("h.db")});
  ManualClock clock{kT0};
  FakeStaff staff{{kErin}, {kAcme}};
  std::vector<TicketId> changed;
  std::mutex mutex;
  CommandHooks hooks;
  hooks.ticket_changed = [&](const Ticket& t) {
    std::lock_guard lock(mutex);
    changed.push_back(t.id);
  };
  std::vector<std::size_t> outbox_woken_at;  // how many tickets had changed when the outbox was woken
  hooks.outbox_changed = [&] {
    std::lock_guard lock(mutex);
    outbox_woken_at.push_back(changed.size());
  };
  std::string escalated_from;
  hooks.escalated = [&](const Ticket& t, const std::string& reason, Timestamp, const std::string& from) {
    escalated_from = from;
    return EscalationNotices{
        {{{"hooks",
           "support",
           "#" + std::to_string(t.id) + " now at rung " + std::to_string(t.escalation_level) + " by " + reason,
           {},
           ""},
          Lane::urgent,
          "esc-" + std::to_string(t.escalation_level)}},
        "TAM: Tom"};
  };
  CommandService service{store, clock, staff, {}, hooks};
  auto run = [&](const Actor& who, const std::string& text) {
    std::promise<Reply> promise;
    service.execute({who, kAcme, "c", std::nullopt}, std::get<Command>(parse_command(text, "slabot")),
                    [&](Reply r) { promise.set_value(r); });
    return promise.get_future().get().text;
  };
  run(kPat, "/open 2 x");
  CHECK(run(kPat, "/escalate 1 nobody answers") == "#1 escalated to TAM: Tom (nobody answers)");
  CHECK(escalated_from == "c");  // the channel it was typed in, which the notices leave out
  run(kErin, "/ack 1");
  run(kErin, "/ack 1");  // refused: no change, no hook
  CHECK(changed == std::vector<TicketId>{1, 1, 1});
  // Only the escalation queued something: the open and the ack, answered in place, wake nothing.
  CHECK(outbox_woken_at == std::vector<std::size_t>{2});
  auto queued = store.list_outbox(OutboxQuery::all, 10);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].item.message.text == "#1 now at rung 1 by Pat: nobody answers");
  CHECK(queued[0].item.lane == Lane::urgent);
}

TEST_CASE("on a platform that takes answers only as messages, every queued answer wakes the outbox once") {
  testing::TempDir dir;
  SqliteStore store({dir.file("w.db")});
  ManualClock clock{kT0};
  FakeStaff staff{{kErin}, {kAcme}};
  std::atomic<int> woken{0};
  CommandHooks hooks;
  hooks.outbox_changed = [&] { ++woken; };
  CommandService service{store, clock, staff, {}, hooks};
  int sent = 0;
  // Each answer is queued as the reply to its own event (as the dispatcher keys them).
  auto run = [&](const Actor& who, const std::optional<Tenant>& tenant, const std::string& text) {
    ChatContext context{who, tenant, "c", std::nullopt};
    OutboxItem reply;
    reply.message = OutboundMessage{"hooks", "acme-7x24", "", {}, ""};
    reply.idempotency_key = "reply:" + std::to_string(++sent);
    context.reply_message = reply;
    std::promise<Reply> promise;
    service.execute(context, std::get<Command>(parse_command(text, "slabot")), [&](Reply r) { promise.set_value(r); });
    return promise.get_future().get().text;
  };
  CHECK(run(kPat, kAcme, "/open 2 x").starts_with("#1 opened"));  // a write's answer
  CHECK(woken == 1);
  CHECK(run(kPat, kAcme, "/show 1").starts_with("#1"));  // a read's answer
  CHECK(woken == 2);
  CHECK(run(kErin, std::nullopt, "/duty off").starts_with("Erin is off duty"));  // a duty change's answer
  CHECK(woken == 3);
  CHECK(run(kPat, kAcme, "/ack 1").find("only support staff") != std::string::npos);  // a refusal's answer
  CHECK(woken == 4);
  CHECK(store.list_outbox(OutboxQuery::all, 10).size() == 4);
}

TEST_CASE("partners reopen resolved tickets but not closed ones; notes from the support side stay internal") {
  Chat chat;
  chat.in_acme(kPat, "/open 2 outage");
  chat.in_support(kErin, "/note 1 INTERNAL do not tell them");
  chat.in_acme(kErin, "/note 1 we are on it");
  const auto partner_view = chat.in_acme(kPat, "/show 1");
  CHECK(partner_view.find("INTERNAL") == std::string::npos);
  CHECK(partner_view.find("we are on it") != std::string::npos);
  CHECK(chat.in_support(kErin, "/show 1").find("INTERNAL") != std::string::npos);
  chat.in_acme(kErin, "/close 1 duplicate of another");
  CHECK(chat.in_acme(kPat, "/reopen 1") == "#1 is closed; only support staff may reopen it");
  CHECK(chat.in_acme(kErin, "/reopen 1").starts_with("#1 reopened"));
}

TEST_CASE("/outbox: staff in the support side see undelivered messages and send a dead one again") {
  Chat chat;
  CHECK(chat.in_support(kErin, "/outbox") == "outbox: every message delivered");
  OutboxItem item;
  item.message = OutboundMessage{"hooks", "acme-7x24", "#1 Critical \"DB down\": response SLA of 15m breached", {}, ""};
  item.idempotency_key = "k1";
  testing::wait_for([&](WriteDone done) { chat.store.enqueue({item}, kT0, done); });
  testing::wait_for([&](WriteDone done) {
    chat.store.record_delivery(
        1, {OutboxStatus::dead, 12, kT0, "connect: connecting to 10.0.0.7:443 failed: Connection refused"}, done);
  });
  CHECK(chat.in_support(kErin, "/outbox") ==
        "outbox: 0 waiting, 1 dead\n"
        "message 1 to acme-7x24 (hooks): dead after 12 failed tries: connect: connecting to 10.0.0.7:443 failed: "
        "Connection refused; queued "
        "2026-11-22 06:45 UTC; \"#1 Critical \"DB down\": response SLA of 15m breached\"\n"
        "send a dead one again with /outbox retry <n>");
  CHECK(chat.in_support(kErin, "/outbox retry 1") == "message 1 is queued again");
  CHECK(chat.store.count_outbox(OutboxQuery::pending) == 1);
  CHECK(chat.in_support(kErin, "/outbox retry 1") == "no dead message 1; see /outbox");
}

TEST_CASE("/outbox: partners may not see it, and no partner group lists another's messages") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/outbox") == "only support staff may see the outbox");
  CHECK(chat.in_acme(kErin, "/outbox") == "use /outbox in the support side's channel: it lists every group's messages");
  CHECK(chat.in_acme(kErin, "/outbox retry 1") ==
        "use /outbox in the support side's channel: it lists every group's messages");
}

namespace {

// The same chat, with a directory that knows the tenants' names: the support side's lines use them.
struct DeskChat : Chat {
  FakeStaff desk{{kErin, kBob, kTom}, {kAcme, kGlobex}};
  CommandService desk_service{store, clock, desk};
  std::string acme(const Actor& who, const std::string& text) { return say_on(desk_service, who, kAcme, text); }
  std::string globex(const Actor& who, const std::string& text) { return say_on(desk_service, who, kGlobex, text); }
  std::string support(const Actor& who, const std::string& text) {
    return say_on(desk_service, who, std::nullopt, text);
  }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("support side: every line about a ticket names its tenant and sub-customer; partners' lines do not") {
  DeskChat chat;
  chat.globex(kPat, "/open high VPN down");
  chat.acme(kPat, "/open critical DB down for:shop-42");
  const std::string listed = chat.support(kErin, "/list");
  CHECK(listed ==
        "2 open tickets:\n"
        "#2 [Acme Reseller / shop-42] Critical open \"DB down\"\n"
        "#1 [Globex] High open \"VPN down\"");
  CHECK(chat.acme(kPat, "/list") == "1 open ticket:\n#2 Critical open \"DB down\" for shop-42");
  CHECK(chat.support(kErin, "/show 1").starts_with("#1 [Globex] High open \"VPN down\"\n"));
  CHECK(chat.acme(kPat, "/show 2").starts_with("#2 Critical open \"DB down\" for shop-42\n"));
  const std::string sla = chat.support(kErin, "/sla");
  CHECK(sla.starts_with("Response SLA: each ticket's own limit, by its tenant's package\nwaiting for a response:\n"));
  CHECK(has(sla, "\n#2 [Acme Reseller / shop-42] Critical, 15m limit, due 2026-11-22 07:00 UTC (in 15m)"));
  CHECK(has(sla, "\n#1 [Globex] High, 4h limit, due 2026-11-22 10:45 UTC (in 4h)"));
  CHECK(has(chat.acme(kPat, "/sla"), "\n#2 Critical, 15m limit, due 2026-11-22 07:00 UTC (in 15m)"));
}

TEST_CASE("support side: /list and /sla take one tenant, by id or name; groups see only their own") {
  DeskChat chat;
  chat.globex(kPat, "/open high VPN down");
  chat.acme(kPat, "/open critical DB down");
  CHECK(chat.support(kErin, "/list GLOBEX") == "1 open ticket of Globex:\n#1 [Globex] High open \"VPN down\"");
  CHECK(chat.support(kErin, "/list all sev1 acme") ==
        "1 Critical ticket of Acme Reseller:\n"
        "#2 [Acme Reseller] Critical open \"DB down\"");
  CHECK(chat.support(kErin, "/list initech") ==
        "no tenant initech; tenants: acme, globex; usage: /list [open|mine|all] [sevN] [tenant]");
  CHECK(chat.support(kErin, "/list acme globex") ==
        "list takes one tenant; usage: /list [open|mine|all] [sevN] [tenant]");
  CHECK(chat.acme(kPat, "/list globex") == "unknown filter globex; usage: /list [open|mine|all] [sevN] [tenant]");
  CHECK(chat.acme(kPat, "/list initech") == "unknown filter initech; usage: /list [open|mine|all] [sevN] [tenant]");
  const std::string sla = chat.support(kErin, "/sla globex");
  CHECK(sla.starts_with("Response SLA (Globex, Selected): Critical 15m, Urgent 40m, High 4h"));
  CHECK(has(sla, "#1 [Globex] High"));
  CHECK_FALSE(has(sla, "#2"));
  CHECK(
      chat.support(kErin, "/sla nobody").starts_with("no tenant nobody; tenants: acme, globex; usage: /sla [tenant]"));
}

TEST_CASE("/close of a ticket nobody acknowledged needs a reason, and its line says the response SLA was missed") {
  DeskChat chat;
  chat.acme(kPat, "/open critical DB down");
  CHECK(chat.support(kErin, "/close 1") ==
        "#1 was never acknowledged; to close it anyway give a reason: /close 1 <reason>");
  CHECK(chat.ticket(1).state == TicketState::open);
  CHECK(chat.support(kErin, "/close 1 opened by mistake")
            .starts_with("#1 closed without a response, response SLA missed: opened by mistake\n"));
  CHECK(chat.ticket(1).state == TicketState::closed);
  chat.acme(kPat, "/open high API slow");
  chat.acme(kErin, "/ack 2");
  CHECK(chat.acme(kErin, "/close 2").starts_with("#2 closed\nclosure summary: "));
}

TEST_CASE("/reopen of a ticket still in hand says what it is and what to do") {
  DeskChat chat;
  chat.acme(kPat, "/open high API slow");
  chat.acme(kErin, "/ack 1");
  CHECK(chat.acme(kPat, "/reopen 1") ==
        "#1 is still acknowledged, not resolved: nothing to reopen (/show 1 for its state)");
}

TEST_CASE("/whoami uses the ladder's words for roles") {
  DeskChat chat;
  CHECK(chat.support(kTom, "/whoami") == "you are Tom (TAM) in the support side's channel");
  CHECK(chat.acme(kErin, "/whoami").starts_with("you are Erin (engineer) in the group of Acme Reseller"));
}
