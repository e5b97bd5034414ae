#include "domain/time_format.hpp"

#include <cstdio>

namespace slabot {

std::string format_time(Timestamp t, const Zone& zone) {
  using namespace std::chrono;
  const seconds offset = zone.offset_at(t);
  // The wall clock in the zone: the same arithmetic as UTC's, moved by the offset.
  const auto local = t + offset;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<minutes>(local - day)};
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u %02ld:%02ld ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()));
  if (zone.is_utc()) return out + std::string("UTC");
  // Whole minutes: every offset in use since 1972 is one (and all are within a day).
  const int off_minutes = static_cast<int>(offset.count() / 60);
  const int magnitude = off_minutes < 0 ? -off_minutes : off_minutes;
  char sign_hh_mm[32];
  std::snprintf(sign_hh_mm, sizeof sign_hh_mm, "%c%02d:%02d", off_minutes < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return out + std::string(sign_hh_mm);
}

std::string format_duration(Duration d) {
  using namespace std::chrono;
  const bool negative = d < Duration::zero();
  if (negative) d = -d;
  const auto total_s = duration_cast<seconds>(d).count();
  const auto days_part = total_s / 86400;
  const auto hours_part = (total_s % 86400) / 3600;
  const auto minutes_part = (total_s % 3600) / 60;
  const auto seconds_part = total_s % 60;
  std::string out;
  auto add = [&out](long long value, const char* unit) {
    if (!out.empty()) out += ' ';
    out += std::to_string(value) + unit;
  };
  if (days_part) add(days_part, "d");
  if (hours_part) add(hours_part, "h");
  if (minutes_part) add(minutes_part, "m");
  if (out.empty() || (seconds_part && days_part == 0 && hours_part == 0)) add(seconds_part, "s");
  return negative ? "-" + out : out;
}

}  // namespace slabot
