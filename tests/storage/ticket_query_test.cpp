#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>

#include "storage/sqlite_store.hpp"
#include "storage/ticket_query.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

// SQLite's plan for `sql`, its steps' details on one line.
std::string plan_of(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement explain(db, "EXPLAIN QUERY PLAN " + sql);
  std::string plan;
  while (explain.executeStep()) plan += explain.getColumn(3).getString() + "; ";
  return plan;
}

}  // namespace

TEST_CASE("/list's page of a tenant's active tickets is read from their own index, nothing sorted") {
  testing::TempDir dir;
  const std::string path = dir.file("plan.db");
  { SqliteStore migrated({path}); }
  TicketQuery query;
  query.tenant_id = "acme";
  query.states = {TicketState::acknowledged, TicketState::open};  // in either order
  const std::string plan = plan_of(path, TicketQuerySql(query).select());
  INFO(plan);
  CHECK(plan.find("tickets_active_by_severity") != std::string::npos);
  CHECK(plan.find("TEMP B-TREE") == std::string::npos);

  query.severity = 1;  // /list critical
  CHECK(plan_of(path, TicketQuerySql(query).select()).find("tickets_active_by_severity") != std::string::npos);
}

TEST_CASE("a ticket query binds every filter it names, the active states' literal included") {
  testing::TempDir dir;
  SqliteStore store({dir.file("bind.db")});
  TicketQuery query;
  query.tenant_id = "acme";
  query.states = {TicketState::open, TicketState::acknowledged};
  query.severity = 2;
  query.assignee_id = "erin";
  const TicketQuerySql sql(query);
  SQLite::Database db(dir.file("bind.db"), SQLite::OPEN_READONLY);
  SQLite::Statement select(db, sql.select());
  sql.bind(select, /*with_limit=*/true);       // throws on a count that does not match the text
  CHECK(select.getBindParameterCount() == 4);  // tenant, severity, assignee, limit
  CHECK_FALSE(select.executeStep());
  query.states = {TicketState::resolved};  // any other set is bound as parameters
  const TicketQuerySql resolved(query);
  SQLite::Statement count(db, resolved.count());
  resolved.bind(count, /*with_limit=*/false);
  CHECK(count.getBindParameterCount() == 4);  // tenant, state, severity, assignee
  REQUIRE(count.executeStep());
  CHECK(count.getColumn(0).getInt() == 0);
}

TEST_CASE(
    "a ticket query's SQL keeps its own copy of the query: changing or dropping the query after changes nothing") {
  testing::TempDir dir;
  SqliteStore store({dir.file("copy.db")});
  TicketQuery query;
  query.tenant_id = "acme";
  query.states = {TicketState::open};
  const TicketQuerySql sql(query);
  query.tenant_id = "globex";  // the SQL was built for acme, and binds acme
  SQLite::Database db(dir.file("copy.db"), SQLite::OPEN_READONLY);
  SQLite::Statement count(db, sql.count());
  sql.bind(count, /*with_limit=*/false);
  const std::string expanded = count.getExpandedSQL();
  INFO(expanded);
  CHECK(expanded.find("'acme'") != std::string::npos);
  CHECK(expanded.find("globex") == std::string::npos);
}
