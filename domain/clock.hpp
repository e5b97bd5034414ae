#pragma once
// The clock is injected wherever time matters, so tests and the console can control it.
#include <atomic>

#include "domain/time.hpp"

namespace slabot {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
  // How long to wait in real time until this clock shows `t`.
  virtual Duration real_time_until(Timestamp t) const { return t - now(); }
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override { return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()); }
};

// Real time sped up by a factor from a starting point: `slabot console --speed 60` turns a
// 15-minute SLA into 15 seconds, so a new user can watch a breach happen.
class ScaledClock final : public Clock {
 public:
  ScaledClock(const Clock& real, double speed) : real_(real), speed_(speed > 0 ? speed : 1), start_(real.now()) {}
  Timestamp now() const override {
    const auto elapsed = real_.now() - start_;
    return start_ + std::chrono::duration_cast<Duration>(elapsed * speed_);
  }
  Duration real_time_until(Timestamp t) const override {
    return std::chrono::duration_cast<Duration>((t - now()) / speed_);
  }

 private:
  const Clock& real_;
  const double speed_;
  const Timestamp start_;
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
