#include "domain/working_days.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

namespace {
Date d(const char* text) { return parse_date(text).value(); }
}  // namespace

TEST_CASE("working days: weekends do not count") {
  const HolidayCalendar none;
  // Friday 2026-01-09: five working days after it end on Friday the 16th.
  CHECK(add_working_days(d("2026-01-09"), 5, none) == d("2026-01-16"));
  // Saturday: the week after counts from Monday.
  CHECK(add_working_days(d("2026-01-10"), 1, none) == d("2026-01-12"));
  CHECK(working_days_between(d("2026-01-09"), d("2026-01-16"), none) == 5);
  CHECK(working_days_between(d("2026-01-16"), d("2026-01-09"), none) == 0);
}

TEST_CASE("working days: a holiday is skipped, a weekend day worked counts") {
  HolidayCalendar cn;
  cn.holidays.insert(d("2026-01-12"));      // a Monday off
  cn.working_days.insert(d("2026-01-17"));  // the Saturday worked instead
  CHECK_FALSE(cn.is_working_day(d("2026-01-12")));
  CHECK(cn.is_working_day(d("2026-01-17")));
  // Tue 13 .. Fri 16 are four, Sat 17 is the fifth.
  CHECK(add_working_days(d("2026-01-09"), 5, cn) == d("2026-01-17"));
  CHECK(working_days_between(d("2026-01-09"), d("2026-01-19"), cn) == 6);
}

TEST_CASE("working days: holiday list lines") {
  HolidayCalendar calendar;
  std::string error;
  CHECK(read_holiday_line("# China, 2026", calendar, error));
  CHECK(read_holiday_line("   ", calendar, error));
  CHECK(read_holiday_line("2026-10-01  # National Day", calendar, error));
  CHECK(read_holiday_line("2026-09-20 work\r", calendar, error));
  CHECK(calendar.holidays == std::set<Date>{d("2026-10-01")});
  CHECK(calendar.working_days == std::set<Date>{d("2026-09-20")});
  for (const char* bad : {"2026-02-30", "2026-10-01x", "2026-10-01 off", "1 Oct 2026"}) {
    error.clear();
    CHECK_FALSE(read_holiday_line(bad, calendar, error));
    CHECK(error.find("not a date") != std::string::npos);
  }
}
