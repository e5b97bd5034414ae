#include "config/live_config.hpp"

#include <utility>

namespace slabot {

LiveConfig::LiveConfig(Config config) : current_(std::make_shared<const Config>(std::move(config))) {}

std::shared_ptr<const Config> LiveConfig::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::uint64_t LiveConfig::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void LiveConfig::replace(Config next) {
  auto replacement = std::make_shared<const Config>(std::move(next));
  std::shared_ptr<const Config> previous;  // freed outside the lock, if this was its last holder
  std::lock_guard lock(mutex_);
  previous = std::exchange(current_, std::move(replacement));
  ++generation_;
}

}  // namespace slabot
