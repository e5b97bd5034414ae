#pragma once
// Durations in the config file: "30s", "15m", "4h", "1d", "1h30m", "90m".
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace slabot {

// The longest duration the config accepts: longer is surely a mistake, and it keeps deadline
// arithmetic (opened_at + limit) far from overflow.
inline constexpr Duration kMaxConfigDuration = std::chrono::hours(24 * 365);

// One or more parts, each a whole number (ASCII digits, no sign) followed by a unit: d (days),
// h (hours), m (minutes), s (seconds). Units are lower case, largest first, each at most once; no
// spaces. The total must be more than zero (a part may be zero: "1h0m") and at most 365d.
// Rejected: "", "0m", "15", "m", "1.5h", "15M", "30m1h", "1h1h", "1h 30m", "-5m", "+5m", "366d".
std::optional<Duration> parse_duration(std::string_view text);

// The shortest text parse_duration reads back as the same duration, largest unit first
// ("1h30m" for 90 minutes, "1d" for 24 hours). Whole seconds: a sub-second rest is dropped. Zero
// is "0s" and a negative duration has a leading '-'; neither is valid config.
std::string format_config_duration(Duration duration);

}  // namespace slabot
