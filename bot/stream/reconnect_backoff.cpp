#include "bot/stream/reconnect_backoff.hpp"

#include <algorithm>

namespace slabot {

std::chrono::milliseconds ReconnectBackoff::after(const SessionEnd& end, double jitter) {
  using std::chrono::milliseconds;
  if (end.was_live) failures_ = 0;
  if (end.reconnect_now) {
    failures_ = 0;
    return std::max(milliseconds(0), end.retry_after);
  }
  milliseconds wait{0};
  if (end.kind == SessionEnd::Kind::refused) {
    wait = settings_.refused_wait;
  } else {
    wait = settings_.first_wait;
    for (int i = 0; i < failures_ && wait < settings_.max_wait; ++i) wait *= 2;
    wait = std::min(wait, settings_.max_wait);
  }
  if (!end.was_live) ++failures_;
  wait = std::chrono::duration_cast<milliseconds>(wait * jitter);
  return std::max(wait, end.retry_after);
}

}  // namespace slabot
