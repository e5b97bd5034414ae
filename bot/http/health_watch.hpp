#pragma once
// Private to bot/http: the health probe (a database query, which may block) runs on a thread of
// its own, once per interval, and /healthz answers from its last result: the server's I/O
// threads never wait on the database, and a probe that hangs turns the answer to "unhealthy"
// within a bounded time instead of hanging the health check with it.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace slabot {

class HealthWatch {
 public:
  using Millis = std::chrono::milliseconds;

  // `probe` runs on the watch's thread only, every `every`; a throw counts as unhealthy. Healthy
  // means: the last probe said so, and it finished less than `stale_after` ago. So a probe that
  // hangs reads as unhealthy at most `stale_after` after it began.
  HealthWatch(std::function<bool()> probe, Millis every, Millis stale_after);
  ~HealthWatch();  // stop()

  HealthWatch(const HealthWatch&) = delete;
  HealthWatch& operator=(const HealthWatch&) = delete;

  // Starts probing, and waits (at most stale_after) for the first result, so that a server that
  // has just started answers its first health check from a real probe. Once only.
  void start();
  // Stops probing; waits for a probe in progress to return (it refers to the caller's database).
  void stop();

  // Never blocks for longer than a mutex held for a few assignments.
  bool healthy() const;

 private:
  void run();

  const std::function<bool()> probe_;
  const Millis every_;
  const Millis stale_after_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool have_result_ = false;
  bool last_healthy_ = false;
  std::chrono::steady_clock::time_point last_finished_{};
  std::thread thread_;
};

}  // namespace slabot
