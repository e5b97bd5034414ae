#include "report/period.hpp"

#include <chrono>
#include <cstdio>

namespace slabot {
namespace {

using namespace std::chrono;

// The UTC instant of local midnight starting `day` in `zone`. The offset is looked up at the
// guess and again at the corrected guess: a change of offset near midnight settles in two steps.
Timestamp local_midnight(year_month_day day, const Zone& zone) {
  const Timestamp local{duration_cast<Duration>(sys_days(day).time_since_epoch())};
  Timestamp guess = local - duration_cast<Duration>(zone.offset_at(local));
  guess = local - duration_cast<Duration>(zone.offset_at(guess));
  return guess;
}

Period make(int y, unsigned m, const Zone& zone) {
  Period p;
  p.year = y;
  p.month = m;
  p.zone = zone;
  const year_month first{year{y}, month{m}};
  const year_month next = first + months{1};
  p.start = local_midnight(first / 1, zone);
  p.end = local_midnight(next / 1, zone);
  return p;
}

}  // namespace

std::string Period::name() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", year, month);
  return text;
}

unsigned Period::days() const {
  return static_cast<unsigned>((year_month{std::chrono::year{year}, std::chrono::month{month}} / last).day());
}

unsigned Period::day_of(Timestamp t) const {
  const auto local = t + duration_cast<Duration>(zone.offset_at(t));
  return static_cast<unsigned>(year_month_day{floor<std::chrono::days>(local)}.day());
}

std::optional<Period> parse_period(std::string_view text, const Zone& zone) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  const auto number = [text](std::size_t from, std::size_t to) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < to; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto y = number(0, 4);
  const auto m = number(5, 7);
  if (!y || !m || *y < 2000 || *y > 2999 || *m < 1 || *m > 12) return std::nullopt;
  return make(*y, static_cast<unsigned>(*m), zone);
}

Period month_of(Timestamp t, const Zone& zone) {
  const auto local = t + duration_cast<Duration>(zone.offset_at(t));
  const year_month_day day{floor<std::chrono::days>(local)};
  return make(static_cast<int>(day.year()), static_cast<unsigned>(day.month()), zone);
}

Period up_to(Period period, Timestamp now) {
  if (now < period.end) {
    period.end = now + Duration{1};  // what was written at `now` (a change just made) is in
    period.so_far = true;
  }
  return period;
}

Period previous_month(const Period& period) {
  const year_month before = year_month{year{period.year}, month{period.month}} - months{1};
  return make(static_cast<int>(before.year()), static_cast<unsigned>(before.month()), period.zone);
}

}  // namespace slabot
