#pragma once
// A thread that runs rounds of work until stopped, sleeping between them for as long as each
// round asks, or until woken: the driver of the outbox worker, of the SLA scheduler, and of
// every PeriodicTask (the event pruner, the store's gauges). One place for start, stop and wake,
// so none of them can lose a wake-up or miss a stop.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace slabot {

class WorkerThread {
 public:
  // One round of work; returns how long to sleep before the next (zero or less: none). It should
  // not throw: a throw is logged as "<name>: ..." and the next round comes a second later.
  using Round = std::function<std::chrono::nanoseconds()>;

  explicit WorkerThread(std::string name) : name_(std::move(name)) {}
  ~WorkerThread() { stop(); }
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  // Starts the thread running `round` at once, then again after each sleep. A no-op while it
  // runs; after stop() it starts again.
  void start(Round round);
  // Ends the sleep, and the thread after the round in progress; joins it. Must not be called
  // from a round.
  void stop();
  // Ends the sleep now, or, in a round, the one that follows it: the next round starts at once.
  void wake();

 private:
  void run();

  const std::string name_;
  Round round_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace slabot
