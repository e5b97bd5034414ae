#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "storage/backup.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/ticket_draft.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using testing::TempDir;

namespace {

const Timestamp kT0 = from_unix_ms(1795329930000);

// A few rows a page: the database spans many pages, so the copy takes many steps.
Ticket draft(int n) {
  return testing::ticket_draft("ticket " + std::to_string(n) + std::string(200, 'x'), 2, kT0, 40min);
}

WriteContext context() { return WriteContext{"pat", "Pat", "hooks:acme", kT0, std::nullopt}; }

// Opens tickets one after another through the store, as serve's writer would, until stopped;
// records each ticket whose open was answered as applied.
class TicketWriter {
 public:
  explicit TicketWriter(SqliteStore& store)
      : thread_([this, &store] {
          for (int n = 0; !stop_; ++n) {
            const auto outcome = testing::wait_for([&](WriteDone done) {
              store.open_ticket(
                  draft(n), context(), [](const Ticket&) { return std::string(); }, std::move(done));
            });
            if (outcome.kind == WriteOutcome::Kind::applied) {
              std::lock_guard lock(mutex_);
              answered_.insert(outcome.ticket->id);
            }
          }
        }) {}
  ~TicketWriter() { stop(); }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::set<TicketId> answered() {
    std::lock_guard lock(mutex_);
    return answered_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::set<TicketId> answered_;
  std::thread thread_;  // last: starts once the rest exists
};

std::set<TicketId> ticket_ids(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement select(db, "SELECT id FROM tickets");
  std::set<TicketId> ids;
  while (select.executeStep()) ids.insert(select.getColumn(0).getInt64());
  return ids;
}

}  // namespace

TEST_CASE("backup under write load: the copy is whole and holds every ticket answered before it began") {
  TempDir dir;
  const std::string db = dir.file("bot.db");
  const std::string out = dir.file("copy.db");
  SqliteStore store({db});
  TicketWriter writer(store);
  while (writer.answered().size() < 300) std::this_thread::sleep_for(1ms);
  const auto before = writer.answered();
  // One page a step with a pause: dozens of steps, each with commits between them.
  BackupOptions options;
  options.pages_per_step = 1;
  options.pause_between_steps = 2ms;
  const BackupResult result = backup_database(db, out, options);
  const auto after = writer.answered();
  writer.stop();

  CHECK(after.size() > before.size() + 10);  // the writer did commit while the copy ran
  CHECK(result.integrity == "ok");
  CHECK(result.path == out);
  CHECK(result.bytes == std::filesystem::file_size(out));
  CHECK(result.bytes > 100 * 1024);
  const auto copied = ticket_ids(out);
  CHECK(static_cast<std::size_t>(result.tickets) == copied.size());
  for (const auto id : before) {
    if (!copied.contains(id)) FAIL_CHECK("ticket " << id << " answered before the backup is not in the copy");
  }
  CHECK_FALSE(std::filesystem::exists(out + ".tmp"));
  // The copy is one moment of the database: tickets 1..N, no gap.
  CHECK(*copied.rbegin() == static_cast<TicketId>(copied.size()));
  SQLite::Database check(out, SQLite::OPEN_READONLY);
  CHECK(check.execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("backup never replaces an existing file without force, and leaves no half file") {
  TempDir dir;
  const std::string db = dir.file("bot.db");
  const std::string out = dir.file("copy.db");
  {
    SqliteStore store({db});
    testing::wait_for([&](WriteDone done) {
      store.open_ticket(
          draft(1), context(), [](const Ticket&) { return std::string(); }, std::move(done));
    });
  }
  std::ofstream(out) << "an older copy";
  CHECK_THROWS_AS(backup_database(db, out, {}), BackupError);
  CHECK(std::filesystem::file_size(out) == std::string("an older copy").size());
  BackupOptions force;
  force.force = true;
  std::ofstream(out + ".tmp") << "left by a backup that died";
  const auto result = backup_database(db, out, force);
  CHECK(result.tickets == 1);
  CHECK(result.integrity == "ok");
  CHECK_FALSE(std::filesystem::exists(out + ".tmp"));

  // A source that is not a database: no copy, nothing under the destination's name.
  std::ofstream(dir.file("junk.db")) << std::string(4096, 'j');
  CHECK_THROWS_AS(backup_database(dir.file("junk.db"), dir.file("junk-copy.db"), {}), BackupError);
  CHECK_FALSE(std::filesystem::exists(dir.file("junk-copy.db")));
  CHECK_FALSE(std::filesystem::exists(dir.file("junk-copy.db.tmp")));
  CHECK_THROWS_WITH(backup_database(dir.file("none.db"), dir.file("x.db"), {}),
                    "no database at " + dir.file("none.db"));
}
