#pragma once
// How long a stream connection waits before its next attempt, from how the last one ended: the
// supervisor's reconnect policy, without threads or clocks so it is tested as a function.
#include <chrono>

#include "bot/stream/stream_session.hpp"

namespace slabot {

struct ReconnectSettings {
  // After a failed attempt: first_wait, doubled per failure in a row, capped at max_wait.
  std::chrono::milliseconds first_wait{1000};
  std::chrono::milliseconds max_wait{60000};
  // After the platform refused the credentials or the configuration: an operator must act, and
  // hammering the platform's auth endpoint gets an app blocked. Retried this slowly, still.
  std::chrono::milliseconds refused_wait{300000};
};

class ReconnectBackoff {
 public:
  explicit ReconnectBackoff(ReconnectSettings settings = {}) : settings_(settings) {}

  // The wait before the next attempt after `end` (never called for Kind::stopped). `jitter` is
  // a factor around 1 (random_jitter()), so many connections cut by one outage do not come back
  // in lockstep. A wait the platform asked for (retry_after) is honoured when it is longer. An
  // attempt that went live starts the doubling again from first_wait; a platform's request to
  // move (reconnect_now) waits nothing.
  std::chrono::milliseconds after(const SessionEnd& end, double jitter);

  // Failed attempts in a row so far.
  int failures() const { return failures_; }

 private:
  ReconnectSettings settings_;
  int failures_ = 0;
};

}  // namespace slabot
