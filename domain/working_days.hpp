#pragma once
// Working days as a tenant's calendar has them: Monday to Friday, less the public holidays, plus
// the weekend days a country makes working days in exchange for a long holiday (China's 调休).
// Used by the engagement's five-working-day acceptance window and its 15-working-day lead time.
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "domain/contract_year.hpp"

namespace slabot {

struct HolidayCalendar {
  std::set<Date> holidays;      // days off, weekdays or not
  std::set<Date> working_days;  // weekend days worked instead (a holiday list's "work" lines)

  bool is_working_day(Date day) const;
  bool operator==(const HolidayCalendar&) const = default;
};

// Whether the calendar names any day of `year`, off or worked: a list that names none has not
// been written for that year yet, and its every Monday to Friday counts as a working day.
bool lists_year(const HolidayCalendar& calendar, std::chrono::year year);

// The `n`th working day after `from` (n >= 1); `from` itself never counts.
Date add_working_days(Date from, int n, const HolidayCalendar& calendar);

// How many working days lie after `from`, up to and including `to` (0 when `to` <= `from`).
int working_days_between(Date from, Date to, const HolidayCalendar& calendar);

// One line of a holiday list: "2026-10-01", "2026-09-20 work", "# comment", blank. Adds what it
// says to `calendar`; false (and `error` in words) when it is neither.
bool read_holiday_line(std::string_view line, HolidayCalendar& calendar, std::string& error);

}  // namespace slabot
