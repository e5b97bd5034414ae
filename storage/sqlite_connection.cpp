#include "storage/sqlite_connection.hpp"

#include <SQLiteCpp/Database.h>

#include <utility>

namespace slabot {

SqliteConnection::SqliteConnection(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)), statements_(*db_) {}

SqliteConnection::~SqliteConnection() = default;

}  // namespace slabot
