#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "storage/sqlite_connection.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using testing::TempDir;

namespace {

std::unique_ptr<SQLite::Database> open(const std::string& path, int flags) {
  auto db = std::make_unique<SQLite::Database>(path, flags);
  db->exec("PRAGMA journal_mode = WAL");
  return db;
}

// Statements of `db` between their first step and their reset: each keeps a read open.
int busy_statements(SQLite::Database& db) {
  int busy = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.getHandle(), nullptr); s; s = sqlite3_next_stmt(db.getHandle(), s)) {
    if (sqlite3_stmt_busy(s)) ++busy;
  }
  return busy;
}

}  // namespace

TEST_CASE("statement cache: one prepared statement per SQL text, reused") {
  TempDir dir;
  SqliteConnection connection(open(dir.file("c.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE));
  connection.database().exec("CREATE TABLE t (x INTEGER)");
  for (int i = 0; i < 3; ++i) {
    auto insert = connection.statement("INSERT INTO t VALUES (?)");
    insert->bind(1, i);
    insert->exec();
  }
  CHECK(connection.cached_statements() == 1);
  { auto count = connection.statement("SELECT COUNT(*) FROM t"); }
  CHECK(connection.cached_statements() == 2);
  CHECK(connection.database().execAndGet("SELECT SUM(x) FROM t").getInt() == 3);
}

TEST_CASE("statement cache: a reused statement starts with no bindings") {
  TempDir dir;
  SqliteConnection connection(open(dir.file("c.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE));
  connection.database().exec("CREATE TABLE t (x INTEGER, y INTEGER)");
  {
    auto insert = connection.statement("INSERT INTO t VALUES (?, ?)");
    insert->bind(1, 1);
    insert->bind(2, 7);
    insert->exec();
  }
  {
    auto insert = connection.statement("INSERT INTO t VALUES (?, ?)");
    insert->bind(1, 2);  // y left unbound: NULL, not the 7 of the last use
    insert->exec();
  }
  CHECK(connection.database().execAndGet("SELECT COUNT(*) FROM t WHERE x = 2 AND y IS NULL").getInt() == 1);
}

TEST_CASE("statement cache: a value bound without a copy is let go when the use ends") {
  TempDir dir;
  SqliteConnection connection(open(dir.file("c.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE));
  connection.database().exec("CREATE TABLE t (x TEXT)");
  const char* const sql = "INSERT INTO t VALUES (?)";
  SQLite::Statement* statement = nullptr;
  {
    const std::string text = "bound without a copy";
    auto insert = connection.statement(sql);
    insert->bindNoCopy(1, text);
    CHECK(insert->getExpandedSQL() == "INSERT INTO t VALUES ('bound without a copy')");
    insert->exec();
    statement = &*insert;
  }
  // `text` is gone: the statement, kept in the cache, must no longer point to it. The expanded
  // SQL reads every bound value (ASan would report a stale one).
  CHECK(statement->getExpandedSQL() == "INSERT INTO t VALUES (NULL)");
  CHECK(connection.database().execAndGet("SELECT x FROM t").getString() == "bound without a copy");
}

TEST_CASE("statement cache: a use that stops mid-rows is reset when it ends, so no read stays open") {
  TempDir dir;
  auto writer = open(dir.file("c.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  writer->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  SqliteConnection reader(std::make_unique<SQLite::Database>(dir.file("c.db"), SQLite::OPEN_READONLY));
  {
    auto select = reader.statement("SELECT x FROM t ORDER BY x");
    REQUIRE(select->executeStep());
    CHECK(select->getColumn(0).getInt() == 1);
    CHECK(busy_statements(reader.database()) == 1);
  }
  CHECK(busy_statements(reader.database()) == 0);
  // With WAL, a statement left mid-step would keep the reader on its old snapshot.
  writer->exec("INSERT INTO t VALUES (4)");
  CHECK(reader.database().execAndGet("SELECT COUNT(*) FROM t").getInt() == 4);
  auto again = reader.statement("SELECT x FROM t ORDER BY x");
  int rows = 0;
  while (again->executeStep()) ++rows;
  CHECK(rows == 4);
}

TEST_CASE("statement cache: a nested use of the same SQL is refused, other SQL is not") {
  TempDir dir;
  SqliteConnection connection(open(dir.file("c.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE));
  auto outer = connection.statement("SELECT 1");
  CHECK_THROWS_AS(connection.statement("SELECT 1"), std::logic_error);
  CHECK_NOTHROW(connection.statement("SELECT 2"));
}

TEST_CASE("statement cache: SQL that does not prepare leaves nothing cached") {
  TempDir dir;
  SqliteConnection connection(open(dir.file("c.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE));
  CHECK_THROWS_AS(connection.statement("SELECT nope FROM nowhere"), SQLite::Exception);
  CHECK(connection.cached_statements() == 0);
  connection.database().exec("CREATE TABLE nowhere (nope INTEGER)");
  CHECK_NOTHROW(connection.statement("SELECT nope FROM nowhere"));
}
