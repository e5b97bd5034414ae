#include "domain/working_days.hpp"

#include "domain/ascii.hpp"

namespace slabot {

using namespace std::chrono;

bool HolidayCalendar::is_working_day(Date day) const {
  if (working_days.contains(day)) return true;
  if (holidays.contains(day)) return false;
  const weekday wd{sys_days{day}};
  return wd != Saturday && wd != Sunday;
}

bool lists_year(const HolidayCalendar& calendar, std::chrono::year year) {
  const auto in_year = [year](const std::set<Date>& days) {
    const auto first = days.lower_bound(Date{year, January, day{1}});
    return first != days.end() && first->year() == year;
  };
  return in_year(calendar.holidays) || in_year(calendar.working_days);
}

Date add_working_days(Date from, int n, const HolidayCalendar& calendar) {
  sys_days day{from};
  // A calendar of nothing but holidays would never end: a year's worth is the most looked at.
  for (int looked = 0; n > 0 && looked < 366 * 10; ++looked) {
    day += days{1};
    if (calendar.is_working_day(Date{day})) --n;
  }
  return Date{day};
}

int working_days_between(Date from, Date to, const HolidayCalendar& calendar) {
  int count = 0;
  for (sys_days day = sys_days{from} + days{1}; day <= sys_days{to}; day += days{1}) {
    if (calendar.is_working_day(Date{day})) ++count;
  }
  return count;
}

bool read_holiday_line(std::string_view line, HolidayCalendar& calendar, std::string& error) {
  if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return true;
  const auto date = parse_date(line.substr(0, 10));
  std::string_view rest = line.size() > 10 ? line.substr(10) : std::string_view{};
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (!date || (line.size() > 10 && line[10] != ' ' && line[10] != '\t') ||
      (!rest.empty() && ascii_lower(rest) != "work")) {
    error = "not a date \"" + std::string(line.substr(0, 40)) +
            "\" (write YYYY-MM-DD, or YYYY-MM-DD work for a weekend day worked)";
    return false;
  }
  (rest.empty() ? calendar.holidays : calendar.working_days).insert(*date);
  return true;
}

}  // namespace slabot
