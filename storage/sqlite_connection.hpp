#pragma once
// One SQLite connection with the statements prepared on it (see statement_cache.hpp). They live and die with it: a
// statement cached by anything else (a map keyed by the sqlite3* handle, say) could outlive
// its connection and be taken for one of the next connection opened at the same address.
#include <cstddef>
#include <memory>
#include <string_view>

#include "storage/statement_cache.hpp"

namespace SQLite {
class Database;
}

namespace slabot {

class SqliteConnection {
 public:
  explicit SqliteConnection(std::unique_ptr<SQLite::Database> db);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  SQLite::Database& database() noexcept { return *db_; }

  // A prepared statement for `sql`, reused across calls (see statement_cache.hpp): for SQL
  // whose text repeats. SQL built from a query's filters goes through database() instead.
  CachedStatement statement(std::string_view sql) { return statements_.use(sql); }

  std::size_t cached_statements() const noexcept { return statements_.size(); }

 private:
  std::unique_ptr<SQLite::Database> db_;
  StatementCache statements_;  // after db_: finalized before the connection closes
};

}  // namespace slabot
