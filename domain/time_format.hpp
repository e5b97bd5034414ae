#pragma once
#include <string>

#include "domain/time.hpp"

namespace slabot {

// "2026-11-22 06:45 UTC": what users read; always with its zone.
std::string format_time(Timestamp t);

// "15m", "4h", "1h 20m", "45s": short human durations for replies.
std::string format_duration(Duration d);

}  // namespace slabot
