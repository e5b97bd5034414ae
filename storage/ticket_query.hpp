#pragma once
// The SQL of a TicketQuery (/list and its counts): built once per query, its text and bindings
// kept together, so what the store runs is also what a test can ask SQLite to explain.
#include <string>

#include "storage/store.hpp"

namespace SQLite {
class Statement;
}

namespace slabot {

class TicketQuerySql {
 public:
  explicit TicketQuerySql(const TicketQuery& query);
  // SELECT of the query's tickets in its order, its limit bound last.
  std::string select() const;
  std::string count() const;
  // Binds the filters (and, for select(), the limit) in the order the text names them.
  void bind(SQLite::Statement& statement, bool with_limit) const;

 private:
  TicketQuery query_;            // a copy: the SQL stays valid however long it is kept
  bool active_literal_ = false;  // the states are exactly the active ones, written as literals
  std::string where_;
};

}  // namespace slabot
