#pragma once
// A consistent copy of a live database with SQLite's online backup API, safe while `serve` writes.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace slabot {

struct BackupOptions {
  // Pages copied per step, and the pause between steps: the copy yields the disk to the writer
  // between chunks instead of streaming the whole file in one go.
  int pages_per_step = 256;
  std::chrono::milliseconds pause_between_steps{5};
  // Replace an existing file at the destination.
  bool force = false;
};

struct BackupResult {
  std::string path;          // the copy, absolute
  std::uintmax_t bytes = 0;  // its size
  std::int64_t tickets = 0;  // tickets in the copy
  std::string integrity;     // PRAGMA integrity_check on the copy: "ok"
  double seconds = 0;        // how long the copy took, check included
};

// Why no copy was made, in words for the operator (nothing is left at the destination).
class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Copies the database at `source` to `destination`: written to `destination` + ".tmp", checked
// with PRAGMA integrity_check, then renamed over, so `destination` is only ever a whole, checked
// copy. The copy is the database as of the moment this starts (one read transaction held for the
// whole copy: in WAL mode it never blocks the writer, and the writer's commits meanwhile do not
// restart the copy). Throws BackupError.
BackupResult backup_database(const std::string& source, const std::string& destination, const BackupOptions& options);

}  // namespace slabot
