// Store write throughput: concurrent clients opening tickets on a durable (synchronous=FULL) file.
// Each client waits for its write to be durable before sending the next, as a chat request does.
// Prints writes/s and writes per transaction for each batch limit and client count.
//
//   ./build/bench/store_bench [writes-per-run]      (default 20000)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>

#include "storage/sqlite_store.hpp"

using namespace slabot;

namespace {

struct Run {
  std::size_t max_batch;
  int clients;
};

Ticket draft(int n) {
  Ticket t;
  t.tenant_id = "acme";
  t.title = "bench ticket " + std::to_string(n);
  t.severity = 1 + n % 5;
  t.opened_by_id = "generic:bench";
  t.opened_by_name = "Bench";
  t.opened_at = t.clock_started_at = t.updated_at = from_unix_ms(1795329900000);
  t.response_due_at = t.opened_at + std::chrono::minutes(15);
  return t;
}

void measure(const Run& run, int writes, const std::filesystem::path& dir) {
  const auto path = (dir / ("bench-" + std::to_string(run.max_batch) + "-" + std::to_string(run.clients) + ".db"));
  std::filesystem::remove(path);
  SqliteStore store({path.string(), run.max_batch});
  std::mutex mutex;
  std::condition_variable finished;
  std::atomic<int> issued{0};
  int completed = 0;
  // A client: submit, and on completion submit its next write until the run's total is issued.
  std::function<void()> next = [&] {
    const int n = issued++;
    if (n >= writes) return;
    store.open_ticket(
        draft(n), WriteContext{"bench", "Bench", "bench:chat", draft(n).opened_at, std::nullopt},
        [](const Ticket&) { return std::string(); },
        [&](WriteOutcome) {
          next();
          // Last, and notified under the lock: once the waiting thread sees the
          // final count, this callback touches none of measure()'s locals again.
          std::lock_guard lock(mutex);
          ++completed;
          finished.notify_one();
        });
  };
  const auto start = std::chrono::steady_clock::now();
  for (int c = 0; c < run.clients; ++c) next();
  std::unique_lock lock(mutex);
  finished.wait(lock, [&] { return completed >= writes; });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("max_batch %4zu  clients %4d  writes %6d  %8.0f writes/s  %6.1f writes/transaction\n", run.max_batch,
              run.clients, writes, writes / seconds, static_cast<double>(writes) / store.batches_committed());
}

}  // namespace

int main(int argc, char** argv) {
  const int writes = argc > 1 ? std::stoi(argv[1]) : 20000;
  const auto dir = std::filesystem::temp_directory_path() / "slabot-bench";
  std::filesystem::create_directories(dir);
  std::printf("SqliteStore::open_ticket, WAL, synchronous=FULL, file in %s\n", dir.c_str());
  for (const Run run : {Run{1, 1}, Run{1, 64}, Run{256, 1}, Run{256, 16}, Run{256, 64}, Run{256, 256}}) {
    measure(run, run.max_batch == 1 || run.clients == 1 ? writes / 4 : writes, dir);
  }
  std::filesystem::remove_all(dir);
}
