#pragma once
// Numbered schema migrations, applied in order at start; PRAGMA user_version holds the number.
#include <stdexcept>

namespace SQLite {
class Database;
}

namespace slabot {

// The schema this binary knows.
int latest_schema_version();

int schema_version(SQLite::Database& db);

// A database written by a newer slabot: refused rather than misread.
class SchemaTooNew : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws SchemaTooNew when the file is ahead of this binary; changes nothing.
void refuse_newer(SQLite::Database& db);

// Brings `db` up to `target` (default: the latest), each migration in its own transaction.
// Throws SchemaTooNew when the file is ahead of this binary.
void migrate(SQLite::Database& db, int target = latest_schema_version());

}  // namespace slabot
