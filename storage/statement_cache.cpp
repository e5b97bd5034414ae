#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <stdexcept>
#include <utility>

namespace slabot {

CachedStatement::CachedStatement(SQLite::Statement& statement, bool& in_use) noexcept
    : statement_(&statement), in_use_(&in_use) {
  *in_use_ = true;
}

CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : statement_(other.statement_), in_use_(std::exchange(other.in_use_, nullptr)) {}

CachedStatement::~CachedStatement() {
  if (!in_use_) return;
  // Ends the statement's read of the database now, not at its next use. The result repeats
  // the last step's error, which the use has seen already.
  statement_->tryReset();
  // And lets go of its values now: one bound without a copy (bindNoCopy) must only outlive the use.
  // sqlite3_clear_bindings cannot fail; SQLiteCpp's wrapper could only throw on a failure.
  try {
    statement_->clearBindings();
  } catch (...) {}
  *in_use_ = false;
}

StatementCache::StatementCache(SQLite::Database& db) : db_(db) {}

StatementCache::~StatementCache() = default;

CachedStatement StatementCache::use(std::string_view sql) {
  auto found = entries_.find(sql);
  if (found == entries_.end()) {
    // Prepared before it is stored: SQL that fails to prepare leaves nothing behind.
    auto statement = std::make_unique<SQLite::Statement>(db_, std::string(sql));
    found = entries_.emplace(std::string(sql), Entry{std::move(statement), false}).first;
    return CachedStatement(*found->second.statement, found->second.in_use);
  }
  Entry& entry = found->second;
  if (entry.in_use) throw std::logic_error("statement already in use: " + std::string(sql));
  // Reset, its bindings cleared, when its last use ended.
  return CachedStatement(*entry.statement, entry.in_use);
}

}  // namespace slabot
