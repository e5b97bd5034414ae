#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "bot/dispatcher.hpp"
#include "storage/forwarding_store.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

Config config_with(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::premium}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}, {"slack", "U0ERIN"}}}};
  c.connections = {{"hooks", "generic", {{"secret", "s"}}, ""}, {"team", "slack", {}, ""}};
  c.channels = {{"hooks", "acme-7x24", "acme"}, {"hooks", "support", ""}};
  return c;
}

InboundMessage msg(const std::string& user, const std::string& text, const std::string& chat = "acme-7x24",
                   const std::string& event = "") {
  return InboundMessage{"hooks", "generic", event, chat, user, user + "-name", text};
}

BotReply ask(MessageHandler& handler, InboundMessage m) {
  std::promise<BotReply> promise;
  handler.handle(std::move(m), [&](BotReply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

// Every write fails, as a full disk would make it.
class FailingStore : public Store {
 public:
  std::optional<Ticket> find_ticket(TicketId, const std::string&) override {
    if (reads_throw) throw std::runtime_error("disk I/O error");
    return std::nullopt;
  }
  std::vector<Ticket> list_tickets(const TicketQuery&) override { return {}; }
  std::size_t count_tickets(const TicketQuery&) override { return 0; }
  std::vector<TicketTally> tally_active_tickets() override { return {}; }
  std::vector<Activity> timeline(TicketId, int, bool) override { return {}; }
  std::size_t count_timeline(TicketId, bool) override { return 0; }
  void prune_processed_events(Timestamp, int, std::function<void(std::size_t)> done) override { done(0); }
  std::optional<std::string> processed_reply(const EventKey&) override { return std::nullopt; }
  bool reads_throw = false;  // a read error, as SQLite reports one
  bool healthy() override { return false; }
  void for_each_running_clock(const std::function<void(const Ticket&)>&) override {}
  std::vector<OutboxRow> due_outbox(Timestamp, int) override { return {}; }
  std::optional<Timestamp> next_outbox_attempt() override { return std::nullopt; }
  std::vector<OutboxRow> list_outbox(OutboxQuery, int) override { return {}; }
  std::vector<OutboxRow> outbox_heads(int) override { return {}; }
  std::size_t count_outbox(OutboxQuery) override { return 0; }
  std::vector<DutyChange> latest_duty() override { return {}; }
  void record_duty(DutyChange, WriteContext, std::string, WriteDone done) override {
    done({WriteOutcome::Kind::failed, {}, std::nullopt});
  }
  void open_ticket(Ticket, WriteContext, std::function<std::string(const Ticket&)>, WriteDone done) override {
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, {}});
  }
  void update_ticket(TicketId, std::string, WriteContext, Mutator, WriteDone done) override {
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, {}});
  }
  void enqueue(std::vector<OutboxItem>, Timestamp, WriteDone done) override {
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, {}});
  }
  void record_delivery(std::int64_t, DeliveryUpdate, WriteDone done) override {
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, {}});
  }
  void retry_dead(std::int64_t, Timestamp, WriteDone done) override {
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, {}});
  }
  std::vector<TenantActivity> tenant_log(const std::string&, const std::string&, Timestamp) override { return {}; }
  std::vector<Activity> tenant_ticket_actions(const std::string&, const std::string&, Timestamp) override { return {}; }
  void write_ledger(TicketId, std::string, WriteContext, LedgerMutator, WriteDone done) override {
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, {}});
  }
};

struct Fixture {
  testing::TempDir dir;
  Config config = config_with(dir.file("d.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{from_unix_ms(1795329900000)};
  LiveConfig live_config{config};
  Dispatcher dispatcher{live_config, store, clock};
};

}  // namespace

TEST_CASE("staff are recognised by their platform id; anyone else is a partner of the group") {
  Fixture f;
  auto staff = f.dispatcher.resolve_actor(msg("u-erin", ""));
  CHECK(staff.id == "erin");
  CHECK(staff.role == Role::engineer);
  auto partner = f.dispatcher.resolve_actor(msg("u-pat", ""));
  CHECK(partner.id == "hooks:u-pat");  // partners are scoped to their connection
  CHECK(partner.name == "u-pat-name");
  CHECK(partner.role == Role::partner);
  // The same user id on another platform is someone else.
  auto other = f.dispatcher.resolve_actor(InboundMessage{"team", "slack", "", "C1", "u-erin", "E", ""});
  CHECK(other.role == Role::partner);
}

TEST_CASE("a partner's display name is stored and repeated on one line, without invisible characters") {
  Fixture f;
  auto name_of = [&](const std::string& name) {
    return f.dispatcher.resolve_actor(InboundMessage{"hooks", "generic", "", "acme-7x24", "u-pat", name, ""}).name;
  };
  CHECK(name_of("Pat\u202Etxt.exe") == "Pattxt.exe");
  CHECK(name_of("Pat\nSmith\x01") == "Pat Smith");
  CHECK(name_of("bad \xFF") == "bad \uFFFD");  // form bodies can carry any byte; SQLite gets UTF-8
  CHECK(name_of("\u200B\u2066") == "u-pat");   // nothing visible left: the id, as for no name
  CHECK(name_of("王小明") == "王小明");
  const std::string opened = ask(f.dispatcher, InboundMessage{"hooks", "generic", "e-rlo", "acme-7x24", "u-pat",
                                                              "Pat\u202E", "/open 2 DB\u202E down"})
                                 .text;
  CHECK(opened.find("\u202E") == std::string::npos);
  CHECK(opened.find("\"DB down\"") != std::string::npos);
}

TEST_CASE("ordinary chat gets no answer; a malformed command gets one line with its usage") {
  Fixture f;
  CHECK(ask(f.dispatcher, msg("u-pat", "good morning team")).text.empty());
  const auto error = ask(f.dispatcher, msg("u-pat", "/ack twelve")).text;
  CHECK(error.find("usage: /ack") != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
  CHECK(f.store.count_tickets({}) == 0);
}

TEST_CASE("a connection's own bot name decides which /cmd@bot is addressed to the bot") {
  Fixture f;
  auto addressed = [&](const std::string& text, const std::string& bot_name) {
    InboundMessage m = msg("u-pat", text);
    m.bot_name = bot_name;
    return ask(f.dispatcher, std::move(m));
  };
  CHECK(addressed("/whoami@acme_support_bot", "acme_support_bot").text.starts_with("you are "));
  CHECK(addressed("/whoami@slabot", "acme_support_bot").text.empty());  // another bot's command: silence
  CHECK(addressed("/whoami@slabot", "").text.starts_with("you are "));  // no name given: the config's
}

TEST_CASE("an unregistered group is answered and nothing is stored") {
  Fixture f;
  CHECK(ask(f.dispatcher, msg("u-pat", "/open 1 x", "somewhere-else")).text == "this group is not registered");
  CHECK(f.store.count_tickets({}) == 0);
}

TEST_CASE("a message handled before is answered as before without running again") {
  Fixture f;
  const auto first = ask(f.dispatcher, msg("u-pat", "/open 2 API errors", "acme-7x24", "evt-1"));
  CHECK(first.text.starts_with("#1 opened"));
  const auto again = ask(f.dispatcher, msg("u-pat", "/open 2 API errors", "acme-7x24", "evt-1"));
  CHECK(again.text == first.text);
  CHECK(f.store.count_tickets({}) == 1);
}

TEST_CASE("a tap runs the command its button stands for, whatever text came with it; acted says if it changed") {
  Fixture f;
  const auto opened = ask(f.dispatcher, msg("u-pat", "/open 1 DB down"));
  CHECK(opened.acted);
  CHECK(opened.actions == std::vector<MessageAction>{{ActionKind::ack, 1}});  // Acknowledge for the staff
  auto tap = [&](const std::string& user, ActionKind kind, const std::string& event) {
    InboundMessage m = msg(user, "/close 1 not what the button says", "acme-7x24", event);
    m.tap = Tap{{kind, 1}, "m1", "", "#1 breached", false};
    return ask(f.dispatcher, std::move(m));
  };
  const auto refused = tap("u-pat", ActionKind::ack, "t-1");
  CHECK(refused.text == "only support staff may ack tickets");
  CHECK_FALSE(refused.acted);
  const auto assigned = tap("u-erin", ActionKind::assign_to_me, "t-2");
  CHECK(assigned.text == "#1 assigned to Erin");
  CHECK(assigned.acted);
  CHECK(f.store.find_ticket(1, "acme")->assignee_id == "erin");
  CHECK(f.store.find_ticket(1, "acme")->state == TicketState::open);  // not closed: the tap was Assign to me
}

TEST_CASE("the support channel is for staff") {
  Fixture f;
  ask(f.dispatcher, msg("u-pat", "/open 2 API errors"));
  CHECK(ask(f.dispatcher, msg("u-pat", "/list", "support")).text == "this channel is for support staff only");
  CHECK(ask(f.dispatcher, msg("u-erin", "/list", "support")).text.starts_with("1 open ticket:"));
}

TEST_CASE("a storage failure is reported as failed so the platform retries") {
  testing::TempDir dir;
  const Config config = config_with(dir.file("unused.db"));
  FailingStore store;
  ManualClock clock{from_unix_ms(1795329900000)};
  LiveConfig live_config{config};
  Dispatcher dispatcher(live_config, store, clock);
  const auto reply = ask(dispatcher, msg("u-pat", "/open 1 DB down"));
  CHECK(reply.failed);
  CHECK(reply.text == "could not record that; nothing changed, please try again");
}

TEST_CASE("a read that throws still gets an answer, as failed, so no transport waits for ever") {
  testing::TempDir dir;
  const Config config = config_with(dir.file("unused.db"));
  FailingStore store;
  store.reads_throw = true;
  ManualClock clock{from_unix_ms(1795329900000)};
  LiveConfig live_config{config};
  Dispatcher dispatcher(live_config, store, clock);
  const auto reply = ask(dispatcher, msg("u-pat", "/show 1", "acme-7x24", "evt-1"));
  CHECK(reply.failed);
  CHECK(reply.text == "could not handle that; nothing changed, please try again");
}

TEST_CASE("replies to messages without an event id are never keyed alike, across restarts too") {
  testing::TempDir dir;
  const Config config = config_with(dir.file("replies.db"));
  SqliteStore store({config.database_path});
  ManualClock clock{from_unix_ms(1795329900000)};
  for (int run = 0; run < 2; ++run) {  // each run a fresh dispatcher, as after a restart
    LiveConfig live_config(config);
    Dispatcher dispatcher(live_config, store, clock);
    auto m = msg("u-pat", "/whoami");
    m.reply_via_outbox = true;
    CHECK_FALSE(ask(dispatcher, m).failed);
  }
  // Two answers queued: a key from a per-process counter ("local-1" both times) would have
  // dropped the second as a message already queued.
  const auto rows = store.list_outbox(OutboxQuery::all, 10);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].item.idempotency_key != rows[1].item.idempotency_key);
  CHECK_FALSE(rows[1].item.message.text.empty());
}

TEST_CASE("every handled command is one info line: where, who, what, which ticket, how it ended; never the text") {
  testing::LogCapture log;
  {
    Fixture f;
    ask(f.dispatcher, msg("u-pat", "/open 2 secret-looking title", "acme-7x24", "e1"));
    ask(f.dispatcher, msg("u-erin", "/ack 1", "acme-7x24", "e2"));
    ask(f.dispatcher, msg("u-erin", "/ack 1", "acme-7x24", "e2"));  // the platform's retry
    ask(f.dispatcher, msg("u-pat", "/ack x", "acme-7x24", "e3"));
    ask(f.dispatcher, msg("u-pat", "just chatting", "acme-7x24", "e4"));
  }
  const std::string text = log.text();
  INFO(text);
  CHECK(log.count("command: hooks acme-7x24 actor=hooks:u-pat verb=open ticket=#1 outcome=ok ") == 1);
  CHECK(log.count("command: hooks acme-7x24 actor=erin verb=ack ticket=#1 outcome=ok ") == 1);
  CHECK(log.count("command: hooks acme-7x24 actor=erin verb=ack ticket=#1 outcome=duplicate ") == 1);
  CHECK(log.count("verb=unknown ticket=- outcome=usage_error ") == 1);
  CHECK(log.count("command: ") == 4);  // ordinary chat is not a command
  CHECK(text.find("secret-looking") == std::string::npos);
  CHECK(text.find("just chatting") == std::string::npos);
}

TEST_CASE("mentions are resolved as senders are: staff by platform id, anyone else a partner of the connection") {
  Fixture f;
  InboundMessage m = msg("u-erin", "/engagement csm @Wei");
  m.mentions = {{"u-wei", "Wei\u202E Zhang"}, {"u-erin", ""}, {"u-wei", "again"}, {"", "nobody"}, {"u-li", ""}};
  const auto people = Dispatcher::resolve_mentions(*f.live_config.current(), m);
  REQUIRE(people.size() == 3);
  CHECK(people[0].id == "hooks:u-wei");
  CHECK(people[0].name == "Wei Zhang");
  CHECK(people[0].role == Role::partner);
  CHECK(people[1].id == "erin");
  CHECK(people[1].role == Role::engineer);
  CHECK(people[2].id == "hooks:u-li");
  CHECK(people[2].name.empty());  // no name from the platform: the command shows what was typed
}

TEST_CASE("the customer success manager is the platform user mentioned, not whoever takes the name") {
  Fixture f;
  REQUIRE(ask(f.dispatcher, msg("u-erin", "/engagement start standard digital marketing"))
              .text.starts_with("Engagement started"));
  InboundMessage naming = msg("u-erin", "/engagement csm @Wei Zhang");
  naming.mentions = {{"u-wei", "Wei Zhang"}};
  CHECK(ask(f.dispatcher, naming).text ==
        "Wei Zhang is the customer success manager: confirms or objects to deliverables");
  REQUIRE(ask(f.dispatcher, msg("u-erin", "/deliverable submit 1.2 Research report")).text.starts_with("1.2"));
  // Another member renames themselves "Wei Zhang": refused, as is their renaming the manager.
  InboundMessage impostor{"hooks", "generic", "", "acme-7x24", "u-mallory", "Wei Zhang", "/deliverable confirm 1.2"};
  CHECK(ask(f.dispatcher, impostor).text ==
        "only the customer success manager, Wei Zhang, confirms or objects to deliverables");
  impostor.text = "/engagement csm @mallory";
  impostor.mentions = {{"u-mallory", "Wei Zhang"}};
  CHECK(ask(f.dispatcher, impostor).text ==
        "only support staff or the customer success manager, Wei Zhang, name the customer success manager");
  InboundMessage wei{"hooks", "generic", "", "acme-7x24", "u-wei", "W. Zhang", "/deliverable confirm 1.2"};
  CHECK(ask(f.dispatcher, wei).text == "1.2 \"Research report\" confirmed by W. Zhang");
}

// Where each store call is made from, by thread.
class ThreadNotingStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  void open_ticket(Ticket draft, WriteContext context, std::function<std::string(const Ticket&)> reply,
                   WriteDone done) override {
    note("open_ticket");
    ForwardingStore::open_ticket(std::move(draft), std::move(context), std::move(reply), std::move(done));
  }
  std::optional<Ticket> find_ticket(TicketId id, const std::string& tenant_scope) override {
    note("find_ticket");
    return ForwardingStore::find_ticket(id, tenant_scope);
  }
  std::thread::id thread_of(const std::string& call) {
    std::lock_guard lock(mutex_);
    return threads_.at(call);
  }

 private:
  void note(const std::string& call) {
    std::lock_guard lock(mutex_);
    threads_[call] = std::this_thread::get_id();
  }
  std::mutex mutex_;
  std::map<std::string, std::thread::id> threads_;
};

TEST_CASE("a command that writes without reading is handled on the caller's thread; one that reads is not") {
  testing::TempDir dir;
  const Config config = config_with(dir.file("threads.db"));
  SqliteStore sqlite({config.database_path});
  ThreadNotingStore store(sqlite);
  ManualClock clock{from_unix_ms(1795329900000)};
  LiveConfig live_config{config};
  Dispatcher dispatcher(live_config, store, clock);
  // The caller (here the test, in serve the HTTP event loop) only queues the open for the writer...
  CHECK(ask(dispatcher, msg("u-pat", "/open 2 DB down", "acme-7x24", "e1")).text.starts_with("#1 opened"));
  CHECK(store.thread_of("open_ticket") == std::this_thread::get_id());
  // ...but never waits on a read: /show reads on the dispatcher's own threads.
  CHECK(ask(dispatcher, msg("u-pat", "/show 1", "acme-7x24", "e2")).text.starts_with("#1"));
  CHECK(store.thread_of("find_ticket") != std::this_thread::get_id());
}
