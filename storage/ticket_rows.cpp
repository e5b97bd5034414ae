#include "storage/ticket_rows.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>

#include "storage/sqlite_connection.hpp"

namespace slabot {
namespace {

std::optional<Timestamp> optional_time(SQLite::Statement& row, int column) {
  if (row.isColumnNull(column)) return std::nullopt;
  return from_unix_ms(row.getColumn(column).getInt64());
}

// Every column is bound by its position, never by a `:name`: SQLite finds a name by comparing
// it with each of the statement's in turn, which for these 24-parameter rows was 5% of the
// writer's instructions in an SLA burst (callgrind, sla_bench).
using BindColumn = void (*)(SQLite::Statement& statement, int position, const Ticket& t);

void bind_optional_time(SQLite::Statement& statement, int position, const std::optional<Timestamp>& value) {
  if (value) {
    statement.bind(position, to_unix_ms(*value));
  } else {
    statement.bind(position);  // NULL
  }
}

// The columns some index on `tickets` holds (besides id, which never changes), each with how to
// compare and bind it, in one table: an UPDATE that changes none of them leaves them out of its
// SET, and SQLite then leaves every index alone (it rewrites an index entry whenever the UPDATE
// assigns one of its columns, changed or not). A test checks the names against the schema's indexes.
struct IndexedColumn {
  const char* name;
  bool (*changed)(const Ticket& a, const Ticket& b);
  BindColumn bind;
};

const IndexedColumn kIndexedColumns[] = {
    {"tenant_id", [](const Ticket& a, const Ticket& b) { return a.tenant_id != b.tenant_id; },
     [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.tenant_id); }},
    {"severity", [](const Ticket& a, const Ticket& b) { return a.severity != b.severity; },
     [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, t.severity); }},
    {"state", [](const Ticket& a, const Ticket& b) { return a.state != b.state; },
     [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, std::string(state_name(t.state))); }},
    {"response_due_at", [](const Ticket& a, const Ticket& b) { return a.response_due_at != b.response_due_at; },
     [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, to_unix_ms(t.response_due_at)); }},
    {"acked_at", [](const Ticket& a, const Ticket& b) { return a.acked_at != b.acked_at; },
     [](SQLite::Statement& s, int p, const Ticket& t) { bind_optional_time(s, p, t.acked_at); }},
};

// The other mutable columns. Text is bound without a copy: `t` outlives the statement's use.
struct UnindexedColumn {
  const char* name;
  BindColumn bind;
};

const UnindexedColumn kUnindexedColumns[] = {
    {"sub_customer", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.sub_customer); }},
    {"title", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.title); }},
    {"opened_by_id", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.opened_by_id); }},
    {"opened_by_name", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.opened_by_name); }},
    {"assignee_id", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.assignee_id); }},
    {"assignee_name", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.assignee_name); }},
    {"escalation_level", [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, t.escalation_level); }},
    {"opened_at", [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, to_unix_ms(t.opened_at)); }},
    {"clock_started_at",
     [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, to_unix_ms(t.clock_started_at)); }},
    {"acked_by_name", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.acked_by_name); }},
    {"resolved_at", [](SQLite::Statement& s, int p, const Ticket& t) { bind_optional_time(s, p, t.resolved_at); }},
    {"closed_at", [](SQLite::Statement& s, int p, const Ticket& t) { bind_optional_time(s, p, t.closed_at); }},
    {"updated_at", [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, to_unix_ms(t.updated_at)); }},
    {"sla_stage", [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, t.sla_stage); }},
    {"origin", [](SQLite::Statement& s, int p, const Ticket& t) { s.bindNoCopy(p, t.origin); }},
    {"ctg", [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, t.ctg ? 1 : 0); }},
    {"rating", [](SQLite::Statement& s, int p, const Ticket& t) { s.bind(p, t.rating); }},
    {"rated_at", [](SQLite::Statement& s, int p, const Ticket& t) { bind_optional_time(s, p, t.rated_at); }},
};

// Each column's parameter is the same in all three statements, made from the tables above: ?1..
// the indexed columns, then the others, in the tables' order; id last.
constexpr int kIndexedCount = static_cast<int>(std::size(kIndexedColumns));
constexpr int kIdPosition = kIndexedCount + static_cast<int>(std::size(kUnindexedColumns)) + 1;

// Calls add(name, position) for each mutable column.
template <typename Add>
void each_column(Add add) {
  int position = 1;
  for (const auto& column : kIndexedColumns) add(column.name, position++);
  for (const auto& column : kUnindexedColumns) add(column.name, position++);
}

std::string parameter(int position) { return "?" + std::to_string(position); }

std::string insert_sql() {
  std::string names, values;
  each_column([&](const char* name, int position) {
    const char* comma = position == 1 ? "" : ", ";
    names.append(comma).append(name);
    values.append(comma).append(parameter(position));
  });
  return "INSERT INTO tickets (" + names + ") VALUES (" + values + ")";
}

// Every mutable column, or with `indexed` false only those no index holds.
std::string update_sql(bool indexed) {
  std::string assignments;
  each_column([&](const char* name, int position) {
    if (!indexed && position <= kIndexedCount) return;
    if (!assignments.empty()) assignments += ", ";
    assignments.append(name).append(" = ").append(parameter(position));
  });
  return "UPDATE tickets SET " + assignments + " WHERE id = " + parameter(kIdPosition);
}

void bind_indexed(SQLite::Statement& statement, const Ticket& t) {
  int position = 1;
  for (const auto& column : kIndexedColumns) column.bind(statement, position++, t);
}

bool indexed_changed(const Ticket& a, const Ticket& b) {
  return std::any_of(std::begin(kIndexedColumns), std::end(kIndexedColumns),
                     [&](const IndexedColumn& column) { return column.changed(a, b); });
}

void bind_unindexed(SQLite::Statement& statement, const Ticket& t) {
  int position = kIndexedCount + 1;
  for (const auto& column : kUnindexedColumns) column.bind(statement, position++, t);
}

}  // namespace

std::vector<std::string> ticket_indexed_columns() {
  std::vector<std::string> names{"id"};
  for (const auto& column : kIndexedColumns) names.emplace_back(column.name);
  return names;
}

const char* const kTicketColumns =
    "id, tenant_id, sub_customer, title, severity, state, opened_by_id, opened_by_name, assignee_id, "
    "assignee_name, escalation_level, opened_at, clock_started_at, response_due_at, acked_at, acked_by_name, "
    "resolved_at, closed_at, updated_at, sla_stage, origin, ctg, rating, rated_at";

Ticket read_ticket(SQLite::Statement& row) {
  Ticket t;
  t.id = row.getColumn(0).getInt64();
  t.tenant_id = row.getColumn(1).getString();
  t.sub_customer = row.getColumn(2).getString();
  t.title = row.getColumn(3).getString();
  t.severity = row.getColumn(4).getInt();
  t.state = parse_state(row.getColumn(5).getString()).value_or(TicketState::open);
  t.opened_by_id = row.getColumn(6).getString();
  t.opened_by_name = row.getColumn(7).getString();
  t.assignee_id = row.getColumn(8).getString();
  t.assignee_name = row.getColumn(9).getString();
  t.escalation_level = row.getColumn(10).getInt();
  t.opened_at = from_unix_ms(row.getColumn(11).getInt64());
  t.clock_started_at = from_unix_ms(row.getColumn(12).getInt64());
  t.response_due_at = from_unix_ms(row.getColumn(13).getInt64());
  t.acked_at = optional_time(row, 14);
  t.acked_by_name = row.getColumn(15).getString();
  t.resolved_at = optional_time(row, 16);
  t.closed_at = optional_time(row, 17);
  t.updated_at = from_unix_ms(row.getColumn(18).getInt64());
  t.sla_stage = row.getColumn(19).getInt();
  t.origin = row.getColumn(20).getString();
  t.ctg = row.getColumn(21).getInt() != 0;
  t.rating = row.getColumn(22).getInt();
  t.rated_at = optional_time(row, 23);
  return t;
}

Activity read_activity(SQLite::Statement& row) {
  Activity a;
  a.seq = row.getColumn(0).getInt64();
  a.ticket_id = row.getColumn(1).getInt64();
  a.at = from_unix_ms(row.getColumn(2).getInt64());
  a.actor_id = row.getColumn(3).getString();
  a.actor_name = row.getColumn(4).getString();
  a.action = row.getColumn(5).getString();
  a.detail = row.getColumn(6).getString();
  a.channel = row.getColumn(7).getString();
  a.internal = row.getColumn(8).getInt() != 0;
  return a;
}

TicketId insert_ticket(SqliteConnection& db, const Ticket& ticket) {
  static const std::string sql = insert_sql();
  auto insert = db.statement(sql);
  bind_indexed(*insert, ticket);
  bind_unindexed(*insert, ticket);
  insert->exec();
  return db.database().getLastInsertRowid();
}

void update_ticket_row(SqliteConnection& db, const Ticket& ticket, const Ticket& stored) {
  // Most changes (an SLA stage, an assignment, a note's updated_at) move no index entry.
  static const std::string unindexed_sql = update_sql(/*indexed=*/false);
  static const std::string every_sql = update_sql(/*indexed=*/true);
  const bool indexed = indexed_changed(ticket, stored);
  auto update = db.statement(indexed ? every_sql : unindexed_sql);
  if (indexed) bind_indexed(*update, ticket);
  bind_unindexed(*update, ticket);
  update->bind(kIdPosition, ticket.id);
  update->exec();
}

void insert_activity(SqliteConnection& db, const Activity& activity) {
  auto insert = db.statement(
      "INSERT INTO activity (ticket_id, at, actor_id, actor_name, action, detail, channel, "
      "internal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert->bind(1, activity.ticket_id);
  insert->bind(2, to_unix_ms(activity.at));
  insert->bindNoCopy(3, activity.actor_id);
  insert->bindNoCopy(4, activity.actor_name);
  insert->bindNoCopy(5, activity.action);
  insert->bindNoCopy(6, activity.detail);
  insert->bindNoCopy(7, activity.channel);
  insert->bind(8, activity.internal ? 1 : 0);
  insert->exec();
}

}  // namespace slabot
