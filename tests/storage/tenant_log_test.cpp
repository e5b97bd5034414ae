// The tenant activity log (migration 8) and ledger writes: append-only, deduplicated by the
// platform event like ticket writes, and decided against what is stored at write time.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using testing::TempDir;
using testing::wait_for;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

WriteContext by_erin(std::optional<EventKey> event = std::nullopt) {
  return WriteContext{"erin", "Erin", "hooks:support", kT0, std::move(event), std::nullopt};
}

// Appends one `service_done` row unless `limit` rows are there already.
LedgerMutator at_most(std::size_t limit) {
  return [limit](Ticket*, Ledger& ledger) -> LedgerDecision {
    if (ledger.tenant_rows("acme", "service_done", Timestamp{}).size() >= limit) return Refusal{"used up"};
    LedgerChange change;
    change.reply = "recorded";
    change.tenant_rows.push_back({.tenant_id = "acme", .action = "service_done", .detail = "healthcheck"});
    return change;
  };
}

}  // namespace

TEST_CASE("tenant log: the database keeps it append-only") {
  TempDir dir;
  SQLite::Database db(dir.file("a.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  migrate(db);
  db.exec(
      "INSERT INTO tenant_activity (tenant_id, at, actor_id, actor_name, action, detail, channel) "
      "VALUES ('acme', 1, 'erin', 'Erin', 'package', 'Premium -> Elite', 'c')");
  CHECK_THROWS_AS(db.exec("UPDATE tenant_activity SET detail = 'rewritten'"), SQLite::Exception);
  CHECK_THROWS_AS(db.exec("DELETE FROM tenant_activity"), SQLite::Exception);
}

TEST_CASE(
    "tenant log: a ledger write appends its rows with who, when and where, and is read back by tenant and action") {
  TempDir dir;
  SqliteStore store({dir.file("t.db")});
  const auto outcome = wait_for([&](WriteDone done) { store.write_ledger(0, "", by_erin(), at_most(1), done); });
  CHECK(outcome.kind == WriteOutcome::Kind::applied);
  CHECK(outcome.reply == "recorded");
  const auto rows = store.tenant_log("acme", "service_done", Timestamp{});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].actor_name == "Erin");
  CHECK(rows[0].at == kT0);
  CHECK(rows[0].channel == "hooks:support");
  CHECK(store.tenant_log("globex", "", Timestamp{}).empty());
  CHECK(store.tenant_log("", "", Timestamp{}).size() == 1);
  CHECK(store.tenant_log("acme", "service_done", kT0 + std::chrono::milliseconds(1)).empty());
  // Decided against what is stored: the second is refused and stores nothing.
  const auto again = wait_for([&](WriteDone done) { store.write_ledger(0, "", by_erin(), at_most(1), done); });
  CHECK(again.kind == WriteOutcome::Kind::refused);
  CHECK(again.reply == "used up");
  CHECK(store.tenant_log("acme", "", Timestamp{}).size() == 1);
}

TEST_CASE("tenant log: a platform's retry of the event gets the first answer and appends nothing") {
  TempDir dir;
  SqliteStore store({dir.file("t.db")});
  const EventKey key{"hooks", "support", "ev-1"};
  wait_for([&](WriteDone done) { store.write_ledger(0, "", by_erin(key), at_most(5), done); });
  const auto retry = wait_for([&](WriteDone done) { store.write_ledger(0, "", by_erin(key), at_most(5), done); });
  CHECK(retry.kind == WriteOutcome::Kind::duplicate);
  CHECK(retry.reply == "recorded");
  CHECK(store.tenant_log("acme", "service_done", Timestamp{}).size() == 1);
}

TEST_CASE("tenant log: a ledger write naming a ticket changes it with its activity row, within its scope only") {
  TempDir dir;
  SqliteStore store({dir.file("t.db")});
  Ticket draft;
  draft.tenant_id = "acme";
  draft.title = "DB down";
  draft.severity = 1;
  draft.opened_at = draft.clock_started_at = draft.updated_at = kT0;
  draft.response_due_at = kT0 + std::chrono::minutes(15);
  wait_for([&](WriteDone done) {
    store.open_ticket(
        draft, by_erin(), [](const Ticket&) { return std::string("opened"); }, done);
  });
  LedgerMutator guard = [](Ticket* t, Ledger&) -> LedgerDecision {
    t->ctg = true;
    LedgerChange change;
    change.reply = "guarded";
    change.ticket_change = Change{"ctg", "board meeting", ""};
    return change;
  };
  WriteContext other = by_erin();
  other.not_found_reply = "no ticket #1 here";
  const auto elsewhere = wait_for([&](WriteDone done) { store.write_ledger(1, "globex", other, guard, done); });
  CHECK(elsewhere.kind == WriteOutcome::Kind::not_found);
  CHECK(elsewhere.reply == "no ticket #1 here");
  CHECK_FALSE(store.find_ticket(1, "")->ctg);
  const auto outcome = wait_for([&](WriteDone done) { store.write_ledger(1, "acme", by_erin(), guard, done); });
  CHECK(outcome.kind == WriteOutcome::Kind::applied);
  CHECK(store.find_ticket(1, "")->ctg);
  const auto uses = store.tenant_ticket_actions("acme", "ctg", Timestamp{});
  REQUIRE(uses.size() == 1);
  CHECK(uses[0].detail == "board meeting");
  CHECK(store.tenant_ticket_actions("globex", "ctg", Timestamp{}).empty());
}
