#pragma once
// One time type for the whole bot: milliseconds since the Unix epoch, UTC.
#include <chrono>
#include <cstdint>

namespace slabot {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
using Duration = std::chrono::milliseconds;

inline std::int64_t to_unix_ms(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_unix_ms(std::int64_t ms) { return Timestamp{Duration{ms}}; }

}  // namespace slabot
