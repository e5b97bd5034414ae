#include "storage/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <filesystem>
#include <thread>

#include "storage/database_location.hpp"

namespace slabot {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

void remove_copy(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ignored);
}

// The rename is durable only once the directory entry is on disk.
void sync_directory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Copies every page of `source` into `copy_path` within one read transaction on `source`.
void copy_pages(SQLite::Database& source, const std::string& copy_path, const BackupOptions& options) {
  SQLite::Database copy(copy_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
  SQLite::Backup backup(copy, source);
  const int pages = options.pages_per_step > 0 ? options.pages_per_step : -1;
  for (;;) {
    const int result = backup.executeStep(pages);  // throws on anything but OK, BUSY, LOCKED, DONE
    if (result == SQLITE_DONE) return;
    std::this_thread::sleep_for(options.pause_between_steps);
  }
}

// The copy's own verdict and ticket count, read from the copy itself.
void check_copy(const std::string& copy_path, BackupResult& result) {
  SQLite::Database copy(copy_path, SQLite::OPEN_READWRITE, kBusyTimeoutMs);
  SQLite::Statement check(copy, "PRAGMA integrity_check");
  while (check.executeStep()) {
    if (!result.integrity.empty()) result.integrity += "; ";
    result.integrity += check.getColumn(0).getString();
  }
  result.tickets = copy.execAndGet("SELECT COUNT(*) FROM tickets").getInt64();
}

}  // namespace

BackupResult backup_database(const std::string& source, const std::string& destination, const BackupOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  BackupResult result;
  result.path = absolute_database_path(destination);
  const std::string source_path = absolute_database_path(source);
  const std::string temporary = result.path + ".tmp";
  if (!fs::exists(source_path)) throw BackupError("no database at " + source_path);
  if (fs::exists(result.path) && !options.force) {
    throw BackupError(result.path + " exists; give --force to replace it");
  }
  if (auto problem = database_location_problem(result.path)) throw BackupError("cannot write the copy: " + *problem);
  remove_copy(temporary);  // what a backup that died midway left
  try {
    SQLite::Database database(source_path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
    // The snapshot: a read transaction begun here and held until the last page is copied. The
    // backup uses it rather than one per step, so the copy is of this one moment; without it
    // every commit by serve would restart the copy from the first page.
    SQLite::Transaction snapshot(database, SQLite::TransactionBehavior::DEFERRED);
    database.execAndGet("SELECT COUNT(*) FROM sqlite_schema");
    copy_pages(database, temporary, options);
  } catch (const std::exception& e) {
    remove_copy(temporary);
    throw BackupError("copying " + source_path + " failed: " + e.what());
  }
  try {
    check_copy(temporary, result);
  } catch (const std::exception& e) {
    remove_copy(temporary);
    throw BackupError("checking the copy failed: " + std::string(e.what()));
  }
  if (result.integrity != "ok") {
    remove_copy(temporary);
    throw BackupError("integrity_check on the copy: " + result.integrity);
  }
  std::error_code error;
  fs::rename(temporary, result.path, error);
  if (error) {
    remove_copy(temporary);
    throw BackupError("cannot rename " + temporary + " to " + result.path + ": " + error.message());
  }
  sync_directory(fs::path(result.path).parent_path().string());
  result.bytes = fs::file_size(result.path, error);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace slabot
