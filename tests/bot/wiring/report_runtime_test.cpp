// The report wired as serve and the console wire it: /report reads the runtime's database, and
// the monthly post is queued in the outbox when the runtime starts on the first of the month, and
// not again when it restarts that day.
#include <catch2/catch.hpp>

#include <future>

#include "bot/runtime.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/wiring/recording_http_client.hpp"
#include "tests/support/ladder_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

std::string ask(MessageHandler& handler, const std::string& user, const std::string& text) {
  std::promise<BotReply> promise;
  handler.handle(InboundMessage{"hooks", "generic", "", "acme-7x24", user, user, text},
                 [&](BotReply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get().text;
}

// Acme made Elite: its group gets the monthly report.
Config elite_config(const std::string& db) {
  Config c = testing::ladder_config(db, "http://platform.invalid/out");
  c.tenants[0].package = Package::elite;
  return c;
}

// November's monthly report as queued in the outbox, each copy.
std::vector<OutboxRow> november_posts(Store& store) {
  std::vector<OutboxRow> rows;
  for (auto& row : store.list_outbox(OutboxQuery::all, 1000)) {
    if (row.item.idempotency_key.starts_with("report:acme:2026-11:")) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

TEST_CASE("runtime: /report reads what the runtime stored; the monthly post goes once across a restart on the 1st") {
  testing::TempDir dir;
  const Config config = elite_config(dir.file("r.db"));
  ManualClock clock{sys_days{2026y / November / 20} + 10h};
  testing::RecordingHttpClient http;
  {
    SqliteStore store{{config.database_path}};
    BotRuntime runtime(config, store, clock, http);
    CHECK(ask(runtime, "u-pat", "/open critical DB down").starts_with("#1 opened"));
    clock.advance(5min);
    CHECK(ask(runtime, "u-erin", "/ack 1").starts_with("#1 acknowledged"));
    // #2 breaches: the SLA clock's own row climbs to the TAM; a hand escalation takes it higher.
    CHECK(ask(runtime, "u-pat", "/open critical API errors").starts_with("#2 opened"));
    clock.advance(16min);
    runtime.scheduler().load();
    runtime.scheduler().fire_due(clock.now());
    runtime.scheduler().wait_idle();
    CHECK(ask(runtime, "u-pat", "/escalate 2 still down").starts_with("#2 escalated"));
    const std::string report = ask(runtime, "u-pat", "/report 2026-11");
    INFO(report);
    CHECK(report.starts_with("**Service report: Acme (Elite), 2026-11**\n"));
    CHECK(
        report.find("- Critical: 2 opened; acknowledged in 5m median, 5m p90, 5m worst; limit 15m; met 1 of 2 (50%)") !=
        std::string::npos);
    CHECK(report.find("- #2 Critical, due 2026-11-20 10:20 UTC: no response yet") != std::string::npos);
    // The words the scheduler and /escalate write are the words the report reads.
    CHECK(report.find("**Escalations**: to TAM 1 (1 by the SLA clock), to service manager 1 (0 by the SLA clock)") !=
          std::string::npos);
  }
  clock.set(sys_days{2026y / December / 1} + 30min);
  for (int start = 1; start <= 2; ++start) {  // started on the first, then restarted that day
    INFO("start " << start);
    SqliteStore store{{config.database_path}};
    BotRuntime runtime(config, store, clock, http);
    runtime.start();
    runtime.reports().post_due();  // whatever the runtime's own thread has not done yet
    runtime.stop();
    const auto posts = november_posts(store);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].item.message.chat_id == "acme-7x24");
    CHECK(posts[0].item.message.text.starts_with("**Service report: Acme (Elite), 2026-11**\n"));
    clock.advance(10min);
  }
}

TEST_CASE("runtime: /report lists the health checks and consulting services /done recorded in its month") {
  testing::TempDir dir;
  const Config config = elite_config(dir.file("s.db"));
  ManualClock clock{sys_days{2026y / November / 20} + 10h};
  testing::RecordingHttpClient http;
  SqliteStore store{{config.database_path}};
  BotRuntime runtime(config, store, clock, http);
  CHECK(ask(runtime, "u-pat", "/report 2026-11").find("**Health checks and consulting**: none done") !=
        std::string::npos);
  const std::string done = ask(runtime, "u-erin", "/done healthcheck advisor run clean");
  INFO(done);
  clock.advance(1h);
  const std::string november = ask(runtime, "u-pat", "/report 2026-11");
  INFO(november);
  CHECK(november.find("health check 2026-11-20 10:00 UTC") != std::string::npos);
  // Another month's report does not hold it.
  clock.set(sys_days{2026y / December / 2} + 10h);
  CHECK(ask(runtime, "u-pat", "/report 2026-12").find("health check") == std::string::npos);
}

TEST_CASE("runtime: /report says which health check is due and whether it was done by the month's end") {
  testing::TempDir dir;
  const Config config = elite_config(dir.file("h.db"));  // Elite: one health check a month
  ManualClock clock{sys_days{2026y / November / 20} + 10h};
  testing::RecordingHttpClient http;
  SqliteStore store{{config.database_path}};
  BotRuntime runtime(config, store, clock, http);
  CHECK(ask(runtime, "u-pat", "/report 2026-11").find("**Health check due**: by 2026-11-30, not done yet\n") !=
        std::string::npos);
  ask(runtime, "u-erin", "/done healthcheck");
  CHECK(ask(runtime, "u-pat", "/report 2026-11").find("**Health check due**: by 2026-11-30, done\n") !=
        std::string::npos);
  // October's is a past month's: its own period, not done, whatever November holds.
  CHECK(ask(runtime, "u-pat", "/report 2026-10").find("**Health check due**: by 2026-10-31, not done yet\n") !=
        std::string::npos);
}
