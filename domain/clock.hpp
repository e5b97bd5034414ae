#pragma once
// The clock is injected wherever time matters, so tests and the console can control it.
#include <atomic>

#include "domain/time.hpp"

namespace slabot {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
};

// A clock that moves only when told to: for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_ms_(to_unix_ms(start)) {}
  Timestamp now() const override { return from_unix_ms(now_ms_.load()); }
  void set(Timestamp t) { now_ms_ = to_unix_ms(t); }
  void advance(Duration d) { now_ms_ += d.count(); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace slabot
