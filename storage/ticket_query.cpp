#include "storage/ticket_query.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <vector>

#include "storage/ticket_rows.hpp"

namespace slabot {
namespace {

// A tenant's active tickets, most severe first, are what /list shows: the partial index
// tickets_active_by_severity (migrations.cpp) holds exactly them, in that order, so a page of
// 20 is read and nothing is sorted. SQLite takes a partial index only when the query's own text
// implies the index's WHERE, which a bound parameter cannot: these two states are written as
// literals. They are this file's constants, never anything a user typed.
constexpr const char* kActiveStates = "state IN ('open', 'acknowledged')";

bool only_active(const std::vector<TicketState>& states) {
  return states.size() == 2 && std::count(states.begin(), states.end(), TicketState::open) == 1 &&
         std::count(states.begin(), states.end(), TicketState::acknowledged) == 1;
}

}  // namespace

TicketQuerySql::TicketQuerySql(const TicketQuery& query) : query_(query), active_literal_(only_active(query.states)) {
  std::vector<std::string> terms;
  if (!query.tenant_id.empty()) terms.emplace_back("tenant_id = ?");
  if (active_literal_) {
    terms.emplace_back(kActiveStates);
  } else if (!query.states.empty()) {
    std::string in = "state IN (";
    for (std::size_t i = 0; i < query.states.size(); ++i) in += i ? ", ?" : "?";
    terms.push_back(in + ")");
  }
  if (query.severity != 0) terms.emplace_back("severity = ?");
  if (!query.opened_by_id.empty()) terms.emplace_back("opened_by_id = ?");
  if (!query.assignee_id.empty()) terms.emplace_back("assignee_id = ?");
  for (std::size_t i = 0; i < terms.size(); ++i) where_ += (i ? " AND " : " WHERE ") + terms[i];
}

std::string TicketQuerySql::select() const {
  const char* order = query_.order == TicketOrder::response_due ? " ORDER BY response_due_at, id LIMIT ?"
                                                                : " ORDER BY severity, id LIMIT ?";
  return std::string("SELECT ") + kTicketColumns + " FROM tickets" + where_ + order;
}

std::string TicketQuerySql::count() const { return "SELECT COUNT(*) FROM tickets" + where_; }

void TicketQuerySql::bind(SQLite::Statement& statement, bool with_limit) const {
  int index = 1;
  if (!query_.tenant_id.empty()) statement.bind(index++, query_.tenant_id);
  if (!active_literal_) {
    for (const auto state : query_.states) statement.bind(index++, std::string(state_name(state)));
  }
  if (query_.severity != 0) statement.bind(index++, query_.severity);
  if (!query_.opened_by_id.empty()) statement.bind(index++, query_.opened_by_id);
  if (!query_.assignee_id.empty()) statement.bind(index++, query_.assignee_id);
  if (with_limit) statement.bind(index, query_.limit);
}

}  // namespace slabot
