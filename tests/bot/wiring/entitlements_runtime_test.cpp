// What a package promises, wired: the Critical Time Guarantee's notices, the closure summary for
// the group, a package changed by command for new tickets (kept across a restart), and the health
// check reminders, each sent once across restarts.
#include <catch2/catch.hpp>

#include <future>
#include <nlohmann/json.hpp>

#include "bot/runtime.hpp"
#include "domain/contract_year.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/wiring/recording_http_client.hpp"
#include "tests/support/ladder_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);  // 2026-11-22 06:45:00 UTC

Timestamp on(const char* date) { return start_of(*parse_date(date), Zone{}); }

InboundMessage message(const std::string& user, const std::string& text, const std::string& chat = "acme-7x24") {
  return InboundMessage{"hooks", "generic", "", chat, user, user, text};
}

std::string ask(MessageHandler& handler, InboundMessage m) {
  std::promise<BotReply> promise;
  handler.handle(std::move(m), [&](BotReply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get().text;
}

nlohmann::json body_of(const OutboundRequest& request) { return nlohmann::json::parse(request.body); }

struct Fixture {
  Fixture() {
    config.staff.push_back({"ada", "Ada", Role::admin, {{"generic", "u-ada"}}});
    config.sla.for_package(Package::elite).response_limits[0] = 10min;
    config.tenants[0].contract_start = parse_date("2026-06-01");  // quarters: Jun, Sep, Dec, Mar
  }
  testing::TempDir dir;
  Config config = testing::ladder_config(dir.file("ent.db"), "http://platform.invalid/out");
  std::optional<SqliteStore> store{SqliteStoreOptions{config.database_path}};
  ManualClock clock{kT0};
  testing::RecordingHttpClient http;

  void drive(BotRuntime& runtime) {
    runtime.scheduler().fire_due(clock.now());
    runtime.scheduler().wait_idle();
    runtime.outbox().pump(clock.now());
    runtime.outbox().wait_idle();
  }
  // Reminds as a freshly started bot would at `t`: a new HealthReminders each time.
  std::size_t remind_at(Timestamp t) {
    clock.set(t);
    LiveConfig live(config);
    HealthReminders reminders(live, *store, clock);
    return reminders.remind_now(t);
  }
  std::string done_healthcheck_at(Timestamp t) {
    clock.set(t);
    BotRuntime runtime(config, *store, clock, http);
    return ask(runtime, message("u-erin", "/done healthcheck"));
  }
  std::vector<nlohmann::json> sent() {
    std::vector<nlohmann::json> bodies;
    for (const auto& request : http.requests()) bodies.push_back(body_of(request));
    return bodies;
  }
};

}  // namespace

TEST_CASE("ctg: the TAM and the service manager hear of it at once, and of every warning after") {
  Fixture f;
  BotRuntime runtime(f.config, *f.store, f.clock, f.http);
  ask(runtime, message("u-pat", "/open critical DB down"));
  CHECK(ask(runtime, message("u-pat", "/ctg 1 month end")).starts_with("#1 is under the Critical Time Guarantee"));
  f.drive(runtime);
  auto sent = f.sent();
  REQUIRE(sent.size() == 1);  // the group typed it and reads the reply; the support side hears
  CHECK(sent[0]["chat_id"] == "support");
  CHECK(sent[0]["text"] ==
        "#1 [Acme] Critical \"DB down\": under the Critical Time Guarantee (by u-pat: month end); TAM: Tom; "
        "service manager: Maria");
  CHECK(sent[0]["mentions"] == nlohmann::json::array({"u-erin", "u-tom", "u-maria"}));  // the rung's too
  // The first warning, which without the guarantee only the group hears, reaches the support side
  // too, with the TAM and the service manager beside the on-duty engineer.
  f.clock.set(kT0 + 7min + 30s);
  f.drive(runtime);
  sent = f.sent();
  REQUIRE(sent.size() == 3);
  CHECK(sent[1]["chat_id"] == "acme-7x24");
  CHECK(sent[2]["chat_id"] == "support");
  for (const auto& body : {sent[1], sent[2]}) {
    CHECK(body["text"].get<std::string>().find("no response yet") != std::string::npos);
    CHECK(body["text"].get<std::string>().ends_with("(Critical Time Guarantee: TAM: Tom; service manager: Maria)"));
    CHECK(body["mentions"] == nlohmann::json::array({"u-erin", "u-tom", "u-maria"}));
  }
}

TEST_CASE("close: the closure summary goes to the ticket's group when the support side closes it") {
  Fixture f;
  BotRuntime runtime(f.config, *f.store, f.clock, f.http);
  ask(runtime, message("u-pat", "/open high API slow"));
  ask(runtime, message("u-erin", "/ack 1", "support"));
  ask(runtime, message("u-erin", "/resolve 1", "support"));
  CHECK(
      ask(runtime, message("u-erin", "/close 1", "support")).starts_with("#1 closed\nclosure summary: #1 [Acme] High"));
  f.drive(runtime);
  const auto sent = f.sent();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["chat_id"] == "acme-7x24");
  CHECK(sent[0]["text"] ==
        "closure summary: #1 High \"API slow\"\n"
        "opened 2026-11-22 06:45 UTC by u-pat; acknowledged after 0s by Erin (4h limit, met); resolved 2026-11-22 "
        "06:45 UTC\n"
        "acted: Erin; 0 escalations; CTG: no; 0 notes");
  // Closed in the group itself: the reply carries it, and no second copy goes there.
  ask(runtime, message("u-pat", "/open low question"));
  ask(runtime, message("u-erin", "/ack 2"));
  ask(runtime, message("u-erin", "/close 2"));
  f.drive(runtime);
  CHECK(f.sent().size() == 1);
}

TEST_CASE("package: an admin's change applies to new tickets at once and is kept across a restart") {
  Fixture f;
  {
    BotRuntime runtime(f.config, *f.store, f.clock, f.http);
    CHECK(ask(runtime, message("u-pat", "/open critical DB down")).ends_with("(in 15m)"));
    CHECK(ask(runtime, message("u-ada", "/package acme elite", "support")).starts_with("Acme: Premium -> Elite"));
    CHECK(runtime.config().current()->tenants[0].package == Package::elite);
    CHECK(ask(runtime, message("u-pat", "/open critical DB down again")).ends_with("(in 10m)"));
    CHECK(ask(runtime, message("u-pat", "/whoami")).ends_with("Elite package"));
    // The first ticket keeps the deadline it was opened with.
    CHECK(f.store->find_ticket(1, "")->response_due_at == kT0 + 15min);
  }
  BotRuntime restarted(f.config, *f.store, f.clock, f.http);
  CHECK(restarted.config().current()->tenants[0].package == Package::elite);
  // The quotas read the running package once, not the change applied twice over.
  CHECK(ask(restarted, message("u-pat", "/ctg 1")).starts_with("#1 is under the Critical Time Guarantee (1 of 2"));
  CHECK(ask(restarted, message("u-pat", "/entitlements")).starts_with("Acme: Elite package"));
  CHECK(ask(restarted, message("u-ada", "/package acme premium", "support")).starts_with("Acme: Elite -> Premium"));
  CHECK(ask(restarted, message("u-pat", "/entitlements")).starts_with("Acme: Premium package"));
  CHECK(ask(restarted, message("u-ada", "/package acme elite", "support")).starts_with("Acme: Premium -> Elite"));
  CHECK(ask(restarted, message("u-pat", "/ctg 2")).starts_with("#2 is under the Critical Time Guarantee (2 of 2"));
  // A reload of the same file keeps it; a file that names another package since is newer, and wins.
  restarted.reconfigure(f.config);
  CHECK(restarted.config().current()->tenants[0].package == Package::elite);
  Config edited = f.config;
  edited.tenants[0].package = Package::flagship;
  restarted.reconfigure(edited);
  CHECK(restarted.config().current()->tenants[0].package == Package::flagship);
}

TEST_CASE("reminders: before a health check falls due and once it is overdue, each once across restarts") {
  Fixture f;
  // The first quarter (June to August) is done; nothing is due before the contract began.
  CHECK(f.remind_at(on("2026-08-15")) == 0);
  CHECK(f.done_healthcheck_at(on("2026-08-15")).starts_with("health check recorded"));
  CHECK(f.remind_at(on("2026-11-22")) == 0);  // the next is due by 11-30: not yet within 7 days
  CHECK(f.remind_at(on("2026-11-24")) == 1);
  CHECK(f.remind_at(on("2026-11-25")) == 0);
  f.store.reset();  // the bot stops; the file stays
  f.store.emplace(SqliteStoreOptions{f.config.database_path});
  CHECK(f.remind_at(on("2026-11-26")) == 0);
  CHECK(f.remind_at(on("2026-12-01")) == 1);  // overdue
  CHECK(f.remind_at(on("2026-12-01") + 1h) == 0);
  const auto queued = f.store->list_outbox(OutboxQuery::all, 10);
  REQUIRE(queued.size() == 4);  // each reminder to the group and the support side
  CHECK(queued[0].item.message.chat_id == "acme-7x24");
  CHECK(queued[0].item.message.text == "a health check is due by 2026-11-30 and not done yet; TAM: Tom");
  CHECK(queued[0].item.message.mentions.size() == 1);
  CHECK(queued[1].item.message.chat_id == "support");
  CHECK(queued[1].item.message.text == "[Acme] a health check is due by 2026-11-30 and not done yet; TAM: Tom");
  CHECK(queued[2].item.message.text == "the health check due by 2026-11-30 is overdue; TAM: Tom");
  CHECK(f.store->tenant_log("acme", "reminded", Timestamp{}).size() == 2);
}

TEST_CASE("reminders: a health check done in time silences them; a period long over is not announced") {
  Fixture f;
  // Started ten days after the September quarter ended without one: old news, not sent.
  CHECK(f.remind_at(on("2026-12-11")) == 0);
  CHECK(f.done_healthcheck_at(on("2027-02-10")).starts_with("health check recorded"));
  CHECK(f.remind_at(on("2027-02-23")) == 0);  // within the week before it falls due, but done
  CHECK(f.remind_at(on("2027-03-01")) == 0);  // and not overdue
  CHECK(f.store->tenant_log("acme", "reminded", Timestamp{}).empty());
  CHECK(f.store->count_outbox(OutboxQuery::all) == 0);
}
