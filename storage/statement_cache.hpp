#pragma once
// Prepared statements kept for reuse on one connection, keyed by their SQL text.
//
// Preparing the same SQL again for every write took about half of the writer thread's time
// (sla_bench: 10,000 SLA stages due at once took 2.3 s to be written). Each statement is
// prepared once; it is reset and its bindings are cleared when each use ends: a statement left
// mid-step would keep a WAL read snapshot (and its lock) open, and a value bound without a copy
// (bindNoCopy, on the writer's hot rows) must not be pointed to once the caller's string is gone.
// So a string bound with bindNoCopy must be declared before the CachedStatement that binds it.
//
// One thread at a time: the cache belongs to a connection, which belongs to one thread at a
// time (the writer thread, or the reader that took it from the pool).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace slabot {

// One use of a cached statement; the statement is reset when the use ends.
class CachedStatement {
 public:
  CachedStatement(SQLite::Statement& statement, bool& in_use) noexcept;
  ~CachedStatement();
  CachedStatement(CachedStatement&& other) noexcept;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  CachedStatement& operator=(CachedStatement&&) = delete;

  SQLite::Statement& operator*() const noexcept { return *statement_; }
  SQLite::Statement* operator->() const noexcept { return statement_; }

 private:
  SQLite::Statement* statement_;
  bool* in_use_;  // null once moved from
};

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db);
  ~StatementCache();  // finalizes every statement: must run before the connection closes
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The statement for `sql`, prepared on first use, reset with no bindings. Throws
  // std::logic_error while a use of the same SQL is still open: a nested use would reset the
  // outer one mid-step.
  CachedStatement use(std::string_view sql);

  // Statements prepared so far.
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  // Lets a lookup by string_view find its std::string key without building one.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept { return std::hash<std::string_view>{}(sql); }
  };

  SQLite::Database& db_;
  std::unordered_map<std::string, Entry, SqlHash, std::equal_to<>> entries_;  // nodes: stable addresses
};

}  // namespace slabot
