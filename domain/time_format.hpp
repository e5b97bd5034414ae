#pragma once
#include <string>

#include "domain/time.hpp"
#include "domain/zone.hpp"

namespace slabot {

// A time as a group reads it, in the group's zone and always saying which:
// "2026-11-22 14:47 +08:00" (Asia/Shanghai), "2026-03-29 03:00 +02:00" (Europe/Berlin in summer),
// "2026-11-22 06:47 UTC". The offset, not an abbreviation: "CST" is China, Cuba or the US
// Central, many zones have none but "+08", and an offset lets anyone convert without a table.
// No default: each caller says whose time it shows (Zone{} for the operator's UTC).
std::string format_time(Timestamp t, const Zone& zone);

// "15m", "4h", "1h 20m", "45s": short human durations for replies.
std::string format_duration(Duration d);

}  // namespace slabot
