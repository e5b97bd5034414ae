#include <catch2/catch.hpp>

#include "bot/event_pruner.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

void open_with_event(SqliteStore& store, const std::string& event, Timestamp at) {
  Ticket t;
  t.tenant_id = "acme";
  t.title = "T";
  t.severity = 3;
  t.opened_at = t.clock_started_at = t.updated_at = at;
  t.response_due_at = at + 4h;
  WriteContext c{"p", "Pat", "hooks:acme", at, EventKey{"hooks", "acme", event}};
  testing::wait_for([&](WriteDone done) {
    store.open_ticket(
        t, c, [](const Ticket&) { return std::string("opened"); }, std::move(done));
  });
}

}  // namespace

TEST_CASE("event pruner: events older than the retention go, in as many chunks as it takes; newer stay") {
  testing::TempDir dir;
  SqliteStore store({dir.file("p.db")});
  const int old_events = EventPruner::kChunk + 3;  // more than one chunk
  for (int i = 0; i < old_events; ++i) open_with_event(store, "old-" + std::to_string(i), kT0);
  open_with_event(store, "new", kT0 + 7 * 24h);
  ManualClock clock(kT0 + EventPruner::kRetention + 1min);
  EventPruner pruner(store, clock);
  CHECK(pruner.prune_now() == static_cast<std::size_t>(old_events));
  CHECK_FALSE(store.processed_reply({"hooks", "acme", "old-0"}).has_value());
  CHECK(store.processed_reply({"hooks", "acme", "new"}) == "opened");
  CHECK(pruner.prune_now() == 0);
}
