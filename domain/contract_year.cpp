#include "domain/contract_year.hpp"

#include <cstdio>

namespace slabot {

using namespace std::chrono;

Date add_months(Date start, int months) {
  const year_month target = year_month{start.year(), start.month()} + std::chrono::months{months};
  const auto last = year_month_day_last{target.year(), month_day_last{target.month()}}.day();
  return Date{target.year(), target.month(), std::min(start.day(), last)};
}

std::string format_date(Date date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return text;
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const Date date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

Date local_date(Timestamp t, const Zone& zone) {
  return Date{floor<days>(t + duration_cast<milliseconds>(zone.offset_at(t)))};
}

Timestamp start_of(Date date, const Zone& zone) {
  const Timestamp midnight_utc = time_point_cast<milliseconds>(sys_days{date});
  // The offset in force at local midnight: asked twice, so a change of offset that day lands right.
  const auto guess = midnight_utc - duration_cast<milliseconds>(zone.offset_at(midnight_utc));
  return midnight_utc - duration_cast<milliseconds>(zone.offset_at(guess));
}

Date DateRange::last() const { return Date{sys_days{end} - days{1}}; }

DateRange period_holding(Date start, int months, Date day) {
  if (months <= 0) months = 12;
  const int apart =
      (static_cast<int>(day.year()) - static_cast<int>(start.year())) * 12 +
      (static_cast<int>(static_cast<unsigned>(day.month())) - static_cast<int>(static_cast<unsigned>(start.month())));
  // Floor division, so days before the start fall in the periods before it.
  int k = apart >= 0 ? apart / months : -((-apart + months - 1) / months);
  while (add_months(start, k * months) > day) --k;
  while (add_months(start, (k + 1) * months) <= day) ++k;
  return {add_months(start, k * months), add_months(start, (k + 1) * months)};
}

Date default_contract_start(Date day) { return Date{day.year(), January, std::chrono::day{1}}; }

}  // namespace slabot
