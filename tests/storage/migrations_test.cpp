#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using testing::TempDir;

TEST_CASE("an old database file is migrated and keeps its tickets") {
  TempDir dir;
  const auto path = dir.file("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate(db, 1);
    REQUIRE(schema_version(db) == 1);
    db.exec(
        "INSERT INTO tickets (tenant_id, title, severity, state, opened_by_id, opened_by_name, opened_at, "
        "clock_started_at, response_due_at, updated_at) VALUES ('acme', 'from v1', 3, 'open', 'p', 'Pat', 1, 1, 2, 1)");
  }
  SqliteStore store({path});
  auto ticket = store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "from v1");
  CHECK_FALSE(store.processed_reply({"hooks", "e"}).has_value());  // the v2 table exists
  SQLite::Database check(path);
  CHECK(schema_version(check) == latest_schema_version());
}

TEST_CASE("a database from a newer slabot is refused with a clear error") {
  TempDir dir;
  const auto path = dir.file("new.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  }
  CHECK_THROWS_AS(SqliteStore({path}), SchemaTooNew);
  CHECK_THROWS_WITH(SqliteStore({path}), Catch::Contains("newer than this slabot understands"));
}

TEST_CASE("the activity log is append-only in the database itself") {
  TempDir dir;
  SQLite::Database db(dir.file("a.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  migrate(db);
  db.exec(
      "INSERT INTO tickets (tenant_id, title, severity, state, opened_by_id, opened_by_name, opened_at, "
      "clock_started_at, response_due_at, updated_at) VALUES ('acme', 't', 3, 'open', 'p', 'Pat', 1, 1, 2, 1)");
  db.exec(
      "INSERT INTO activity (ticket_id, at, actor_id, actor_name, action, detail, channel) "
      "VALUES (1, 1, 'p', 'Pat', 'opened', '', 'c')");
  CHECK_THROWS_AS(db.exec("UPDATE activity SET detail = 'rewritten'"), SQLite::Exception);
  CHECK_THROWS_AS(db.exec("DELETE FROM activity"), SQLite::Exception);
}

TEST_CASE("migrating twice is harmless") {
  TempDir dir;
  SQLite::Database db(dir.file("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  migrate(db);
  migrate(db);
  CHECK(schema_version(db) == latest_schema_version());
}

TEST_CASE("the store runs in WAL mode with full fsync on commit") {
  TempDir dir;
  const auto path = dir.file("w.db");
  { SqliteStore store({path}); }
  SQLite::Database db(path);
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("migration 7: a ticket from before it takes its origin from its 'opened' row") {
  TempDir dir;
  const auto path = dir.file("v6.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate(db, 6);
    db.exec(
        "INSERT INTO tickets (tenant_id, title, severity, state, opened_by_id, opened_by_name, opened_at, "
        "clock_started_at, response_due_at, updated_at) VALUES ('acme', 'old', 3, 'open', 'p', 'Pat', 1, 1, 2, 1)");
    db.exec(
        "INSERT INTO activity (ticket_id, at, actor_id, actor_name, action, detail, channel) "
        "VALUES (1, 1, 'p', 'Pat', 'opened', '', 'ding:cidAcme')");
    db.exec(
        "INSERT INTO activity (ticket_id, at, actor_id, actor_name, action, detail, channel) "
        "VALUES (1, 2, 'e', 'Erin', 'noted', 'x', 'slack:C1')");
    db.exec(
        "INSERT INTO tickets (tenant_id, title, severity, state, opened_by_id, opened_by_name, opened_at, "
        "clock_started_at, response_due_at, updated_at) VALUES ('acme', 'no log', 3, 'open', 'p', 'Pat', 1, 1, 2, 1)");
  }
  SqliteStore store({path});
  CHECK(store.find_ticket(1, "")->origin == "ding:cidAcme");
  CHECK(store.find_ticket(2, "")->origin.empty());  // unknown: its notices go to every group of the tenant
}
