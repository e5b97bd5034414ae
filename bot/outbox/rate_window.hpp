#pragma once
// A sliding window of recent sends to one destination, for its rate limit.
#include <deque>
#include <optional>

#include "domain/rate_limit.hpp"

namespace slabot {

class RateWindow {
 public:
  // nullopt when a send is allowed at `now`; otherwise when the window next opens.
  std::optional<Timestamp> blocked_until(const RateLimit& limit, Timestamp now);
  void record(Timestamp at) { sends_.push_back(at); }

 private:
  std::deque<Timestamp> sends_;
};

}  // namespace slabot
