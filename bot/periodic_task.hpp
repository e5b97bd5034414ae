#pragma once
// Work that runs on a thread of its own, at start and then every interval of real time, until
// stopped: the event pruner, the store's metrics gauges. A throw is logged and waits for the next
// round; stop() waits for a round in progress (its work uses the caller's store).
#include <chrono>
#include <functional>
#include <string>

#include "bot/worker_thread.hpp"

namespace slabot {

class PeriodicTask {
 public:
  // `thread` names its thread (15 bytes at most: `top -H` shows it); `what` names the work in
  // the log line of a failed round ("could not <what>: ...").
  PeriodicTask(std::string thread, std::string what, std::chrono::milliseconds every, std::function<void()> work);
  ~PeriodicTask() { stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Starts the thread (a no-op while it runs; after stop() it starts again).
  void start();
  void stop();

 private:
  const std::string what_;
  const std::chrono::milliseconds every_;
  const std::function<void()> work_;
  WorkerThread thread_;  // last: its rounds use the rest
};

}  // namespace slabot
