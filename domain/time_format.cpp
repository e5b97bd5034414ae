#include "domain/time_format.hpp"

#include <cstdio>

namespace slabot {

std::string format_time(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<minutes>(t - day)};
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u %02ld:%02ld UTC", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()));
  return out;
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
