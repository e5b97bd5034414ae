#pragma once
// A report's period: one calendar month in the tenant's zone ("2026-11" in Asia/Shanghai runs
// from 2026-11-01 00:00 +08:00 to 2026-12-01 00:00 +08:00), as the partner's own calendar says.
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"
#include "domain/zone.hpp"

namespace slabot {

struct Period {
  int year = 0;
  unsigned month = 0;  // 1..12
  Zone zone;
  Timestamp start{};    // the first instant of the month, local midnight
  Timestamp end{};      // the first instant of the next month (exclusive); just after `now` for a month so far
  bool so_far = false;  // the month is not over: it ends at `now` (up_to)

  std::string name() const;  // "2026-11"
  unsigned days() const;     // 28..31
  // The local day of the month (1..days()) of an instant inside the period.
  unsigned day_of(Timestamp t) const;
};

// "2026-11" (YYYY-MM, years 2000..2999) in `zone`; nullopt for anything else.
std::optional<Period> parse_period(std::string_view text, const Zone& zone);
// The month `t` falls in, in `zone`.
Period month_of(Timestamp t, const Zone& zone);
// The month before `period`.
Period previous_month(const Period& period);
// `period` as far as it has gone at `now`: a month not over ends at `now` (its rows after it do not
// exist yet, and a deadline still ahead is no breach); a past month is unchanged.
Period up_to(Period period, Timestamp now);

}  // namespace slabot
