#pragma once
// Calendar arithmetic for contracts: a contract year runs from its start date to the same day a
// year later, and a cadence (a health check a quarter) cuts it into periods of whole months.
// Every boundary is counted from the start date itself, never chained, with the day clamped at
// short months' ends: from 2026-01-31 the monthly periods start 02-28, 03-31, 04-30, ...
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"
#include "domain/zone.hpp"

namespace slabot {

using Date = std::chrono::year_month_day;

// `start` plus `months` (may be negative), the day clamped to the target month's last day.
Date add_months(Date start, int months);

// "2026-03-01".
std::string format_date(Date date);
// Exactly YYYY-MM-DD, a real calendar date (2026-02-30 is not); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);

// The calendar date `t` falls on in `zone`.
Date local_date(Timestamp t, const Zone& zone);
// The instant `date` begins in `zone` (its local midnight).
Timestamp start_of(Date date, const Zone& zone);

// A stretch of whole days: [first, end), `end` being the day after its last.
struct DateRange {
  Date first;
  Date end;
  Date last() const;  // the day before `end`
  bool contains(Date day) const { return first <= day && day < end; }
};

// The period of `months` months, counted from `start`, that holds `day` (the day may be before
// `start`: the periods run backwards too).
DateRange period_holding(Date start, int months, Date day);

// The contract year (12 months from `start`, its anniversaries) that holds `day`.
inline DateRange contract_year_holding(Date start, Date day) { return period_holding(start, 12, day); }

// The contract start used when a tenant's config gives none: January 1 of `day`'s year, so the
// contract year is the calendar year.
Date default_contract_start(Date day);

}  // namespace slabot
