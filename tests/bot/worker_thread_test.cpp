// The driver thread of the outbox worker, the SLA scheduler and every PeriodicTask. Rounds here
// ask to sleep an hour, so only a wake or a stop can bring the next one: a broken wake-up hangs
// the test (ctest's timeout) rather than passing late. Nothing is timed.
#include "bot/worker_thread.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "bot/periodic_task.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/thread_names.hpp"

using namespace slabot;
using std::chrono::hours;

namespace {

// Counts rounds; a test waits for a count.
class Rounds {
 public:
  std::chrono::nanoseconds run() {
    std::lock_guard lock(mutex_);
    ++count_;
    changed_.notify_all();
    return hours(1);
  }

  void wait_for_count(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return count_ >= count; });
  }

  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

}  // namespace

TEST_CASE("worker thread: a round at start, the next on wake however long the sleep", "[worker_thread]") {
  Rounds rounds;
  WorkerThread worker("test");
  worker.start([&] { return rounds.run(); });
  rounds.wait_for_count(1);
  worker.wake();
  rounds.wait_for_count(2);
  worker.wake();
  rounds.wait_for_count(3);
  worker.stop();
  CHECK(rounds.count() == 3);
}

TEST_CASE("worker thread: stop ends the sleep, and start runs it again", "[worker_thread]") {
  Rounds rounds;
  WorkerThread worker("test");
  worker.start([&] { return rounds.run(); });
  rounds.wait_for_count(1);
  worker.stop();  // returns although the round asked for an hour
  CHECK(rounds.count() == 1);
  worker.stop();  // stopping twice is harmless
  worker.start([&] { return rounds.run(); });
  rounds.wait_for_count(2);
  worker.start([&] { return rounds.run(); });  // a no-op while it runs
  worker.stop();
  CHECK(rounds.count() == 2);
}

TEST_CASE("worker thread: a wake during a round is not lost", "[worker_thread]") {
  std::mutex mutex;
  std::condition_variable changed;
  bool in_round = false;
  bool release = false;
  int count = 0;
  WorkerThread worker("test");
  worker.start([&]() -> std::chrono::nanoseconds {
    std::unique_lock lock(mutex);
    ++count;
    if (count == 1) {
      in_round = true;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });  // the test wakes the worker meanwhile
    }
    changed.notify_all();
    return hours(1);
  });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return in_round; });
  }
  worker.wake();
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return count >= 2; });  // the wake starts a round despite the hour
  lock.unlock();
  worker.stop();
}

TEST_CASE("worker thread: a round that throws is logged with the thread's name and the thread goes on",
          "[worker_thread]") {
  testing::LogCapture log;
  Rounds rounds;
  WorkerThread worker("sla");
  bool thrown = false;
  worker.start([&]() -> std::chrono::nanoseconds {
    if (!thrown) {
      thrown = true;  // only this thread reads or writes it
      throw std::runtime_error("store unavailable");
    }
    return rounds.run();
  });
  worker.wake();             // before or after the throw: either way the next round need not wait its second
  rounds.wait_for_count(1);  // the round after the throw
  worker.stop();
  CHECK(log.count("sla: store unavailable") == 1);
}

TEST_CASE("worker thread: the thread carries its name, and a periodic task its own short one", "[worker_thread]") {
  Rounds rounds;
  WorkerThread worker("outbox");
  worker.start([&] { return rounds.run(); });
  PeriodicTask task("event-pruner", "forget old platform events", hours(1), [] {});
  task.start();
  const auto names = testing::thread_names();
  CHECK(std::count(names.begin(), names.end(), "outbox") == 1);
  CHECK(std::count(names.begin(), names.end(), "event-pruner") == 1);
  task.stop();
  worker.stop();
}
