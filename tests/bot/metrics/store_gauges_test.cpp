// The store's figures reach the gauges from their own thread, without anyone asking.
#include <catch2/catch.hpp>

#include <thread>

#include "bot/metrics/store_gauges.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/metrics/exposition.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;

TEST_CASE("store gauges: started, they read the store again every interval") {
  testing::TempDir dir;
  SqliteStore store({dir.file("gauges.db")});
  ManualClock clock{from_unix_ms(1795329900000)};
  Metrics metrics("v");
  StoreGauges gauges(store, clock, metrics, 20ms);
  gauges.start();
  Ticket draft;
  draft.tenant_id = "acme";
  draft.title = "DB down";
  draft.severity = 2;
  draft.opened_at = draft.clock_started_at = draft.updated_at = clock.now();
  draft.response_due_at = clock.now() + 1h;
  const auto opened = testing::wait_for([&](WriteDone done) {
    store.open_ticket(
        draft, WriteContext{"p", "Pat", "hooks:acme", clock.now(), std::nullopt, std::nullopt},
        [](const Ticket&) { return "opened"; }, std::move(done));
  });
  REQUIRE(opened.kind == WriteOutcome::Kind::applied);
  const std::string series = "slabot_open_tickets{severity=\"2\",state=\"open\",tenant=\"acme\"}";
  std::optional<double> seen;
  for (int i = 0; i < 200 && seen != 1.0; ++i) {
    std::this_thread::sleep_for(10ms);
    seen = testing::sample(metrics.render(), series);
  }
  CHECK(seen == 1.0);
  gauges.stop();
}
