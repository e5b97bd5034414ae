#include "storage/ticket_rows.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <iterator>
#include <optional>

#include "storage/sqlite_connection.hpp"

namespace slabot {
namespace {

std::optional<Timestamp> optional_time(SQLite::Statement& row, int column) {
  if (row.isColumnNull(column)) return std::nullopt;
  return from_unix_ms(row.getColumn(column).getInt64());
}

void bind_optional_time(SQLite::Statement& statement, const char* name, const std::optional<Timestamp>& value) {
  if (value) {
    statement.bind(name, to_unix_ms(*value));
  } else {
    statement.bind(name);  // NULL
  }
}

// The columns some index on `tickets` holds (besides id, which never changes), each with how to
// compare and bind it, in one table: an UPDATE that changes none of them leaves them out of its
// SET, and SQLite then leaves every index alone (it rewrites an index entry whenever the UPDATE
// assigns one of its columns, changed or not). A test checks the names against the schema's indexes.
struct IndexedColumn {
  const char* name;
  bool (*changed)(const Ticket& a, const Ticket& b);
  void (*bind)(SQLite::Statement& statement, const Ticket& t);
};

const IndexedColumn kIndexedColumns[] = {
    {"tenant_id", [](const Ticket& a, const Ticket& b) { return a.tenant_id != b.tenant_id; },
     [](SQLite::Statement& s, const Ticket& t) { s.bindNoCopy(":tenant_id", t.tenant_id); }},
    {"severity", [](const Ticket& a, const Ticket& b) { return a.severity != b.severity; },
     [](SQLite::Statement& s, const Ticket& t) { s.bind(":severity", t.severity); }},
    {"state", [](const Ticket& a, const Ticket& b) { return a.state != b.state; },
     [](SQLite::Statement& s, const Ticket& t) { s.bind(":state", std::string(state_name(t.state))); }},
    {"response_due_at", [](const Ticket& a, const Ticket& b) { return a.response_due_at != b.response_due_at; },
     [](SQLite::Statement& s, const Ticket& t) { s.bind(":response_due_at", to_unix_ms(t.response_due_at)); }},
    {"acked_at", [](const Ticket& a, const Ticket& b) { return a.acked_at != b.acked_at; },
     [](SQLite::Statement& s, const Ticket& t) { bind_optional_time(s, ":acked_at", t.acked_at); }},
};

void bind_indexed(SQLite::Statement& statement, const Ticket& t) {
  for (const auto& column : kIndexedColumns) column.bind(statement, t);
}

bool indexed_changed(const Ticket& a, const Ticket& b) {
  return std::any_of(std::begin(kIndexedColumns), std::end(kIndexedColumns),
                     [&](const IndexedColumn& column) { return column.changed(a, b); });
}

// The other mutable columns. Text is bound without a copy: `t` outlives the statement's use.
void bind_unindexed(SQLite::Statement& statement, const Ticket& t) {
  statement.bindNoCopy(":sub_customer", t.sub_customer);
  statement.bindNoCopy(":title", t.title);
  statement.bindNoCopy(":opened_by_id", t.opened_by_id);
  statement.bindNoCopy(":opened_by_name", t.opened_by_name);
  statement.bindNoCopy(":assignee_id", t.assignee_id);
  statement.bindNoCopy(":assignee_name", t.assignee_name);
  statement.bind(":escalation_level", t.escalation_level);
  statement.bind(":opened_at", to_unix_ms(t.opened_at));
  statement.bind(":clock_started_at", to_unix_ms(t.clock_started_at));
  statement.bindNoCopy(":acked_by_name", t.acked_by_name);
  bind_optional_time(statement, ":resolved_at", t.resolved_at);
  bind_optional_time(statement, ":closed_at", t.closed_at);
  statement.bind(":updated_at", to_unix_ms(t.updated_at));
  statement.bind(":sla_stage", t.sla_stage);
  statement.bindNoCopy(":origin", t.origin);
  statement.bind(":ctg", t.ctg ? 1 : 0);
  statement.bind(":rating", t.rating);
  bind_optional_time(statement, ":rated_at", t.rated_at);
}

// Every mutable column; shared by INSERT and UPDATE so the two never drift apart.
void bind_ticket(SQLite::Statement& statement, const Ticket& t) {
  bind_indexed(statement, t);
  bind_unindexed(statement, t);
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
  auto insert = db.statement(
      "INSERT INTO tickets (tenant_id, sub_customer, title, severity, state, opened_by_id, "
      "opened_by_name, assignee_id, assignee_name, escalation_level, opened_at, clock_started_at, "
      "response_due_at, acked_at, acked_by_name, resolved_at, closed_at, updated_at, sla_stage, origin, ctg, rating, "
      "rated_at) VALUES "
      "(:tenant_id, :sub_customer, :title, :severity, :state, :opened_by_id, :opened_by_name, "
      ":assignee_id, :assignee_name, :escalation_level, :opened_at, :clock_started_at, "
      ":response_due_at, :acked_at, :acked_by_name, :resolved_at, :closed_at, :updated_at, :sla_stage, :origin, :ctg, "
      ":rating, :rated_at)");
  bind_ticket(*insert, ticket);
  insert->exec();
  return db.database().getLastInsertRowid();
}

void update_ticket_row(SqliteConnection& db, const Ticket& ticket, const Ticket& stored) {
  if (!indexed_changed(ticket, stored)) {
    // Most changes (an SLA stage, an assignment, a note's updated_at): no index entry moves.
    auto update = db.statement(
        "UPDATE tickets SET sub_customer = :sub_customer, title = :title, opened_by_id = :opened_by_id, "
        "opened_by_name = :opened_by_name, assignee_id = :assignee_id, assignee_name = :assignee_name, "
        "escalation_level = :escalation_level, opened_at = :opened_at, clock_started_at = :clock_started_at, "
        "acked_by_name = :acked_by_name, resolved_at = :resolved_at, closed_at = :closed_at, "
        "updated_at = :updated_at, sla_stage = :sla_stage, origin = :origin, ctg = :ctg, rating = :rating, "
        "rated_at = :rated_at WHERE id = :id");
    bind_unindexed(*update, ticket);
    update->bind(":id", ticket.id);
    update->exec();
    return;
  }
  auto update = db.statement(
      "UPDATE tickets SET tenant_id = :tenant_id, sub_customer = :sub_customer, title = :title, "
      "severity = :severity, state = :state, opened_by_id = :opened_by_id, "
      "opened_by_name = :opened_by_name, assignee_id = :assignee_id, "
      "assignee_name = :assignee_name, escalation_level = :escalation_level, "
      "opened_at = :opened_at, clock_started_at = :clock_started_at, "
      "response_due_at = :response_due_at, acked_at = :acked_at, acked_by_name = :acked_by_name, "
      "resolved_at = :resolved_at, closed_at = :closed_at, updated_at = :updated_at, sla_stage = :sla_stage, "
      "origin = :origin, ctg = :ctg, rating = :rating, rated_at = :rated_at "
      "WHERE id = :id");
  bind_ticket(*update, ticket);
  update->bind(":id", ticket.id);
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
