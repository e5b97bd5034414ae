#include "bot/outbox/rate_window.hpp"

namespace slabot {

std::optional<Timestamp> RateWindow::blocked_until(const RateLimit& limit, Timestamp now) {
  if (limit.unlimited()) return std::nullopt;
  while (!sends_.empty() && sends_.front() + limit.per <= now) sends_.pop_front();
  if (sends_.size() < static_cast<std::size_t>(limit.messages)) return std::nullopt;
  return sends_.front() + limit.per;
}

}  // namespace slabot
