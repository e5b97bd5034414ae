#include "bot/outbox/backoff.hpp"

#include <algorithm>
#include <random>

namespace slabot {

Duration retry_delay(const OutboxSettings& settings, int attempts, std::optional<Duration> platform_wait,
                     double jitter) {
  if (platform_wait) return *platform_wait;
  Duration delay = settings.first_retry;
  for (int i = 1; i < attempts && delay < settings.max_retry; ++i) delay *= 2;
  delay = std::min(delay, settings.max_retry);
  return std::chrono::duration_cast<Duration>(delay * jitter);
}

double random_jitter() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.8, 1.2)(engine);
}

}  // namespace slabot
