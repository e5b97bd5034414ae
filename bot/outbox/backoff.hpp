#pragma once
// When to try a failed message again: exponential backoff with jitter, or the platform's own wait.
#include <functional>
#include <optional>

#include "config/config.hpp"

namespace slabot {

// The wait before attempt `attempts + 1`: first_retry doubled per attempt, capped at max_retry,
// times `jitter` (a factor around 1, so many failed messages do not retry in lockstep). A wait
// the platform asked for is honoured as it is.
Duration retry_delay(const OutboxSettings& settings, int attempts, std::optional<Duration> platform_wait,
                     double jitter);

// A factor in [0.8, 1.2).
double random_jitter();

}  // namespace slabot
