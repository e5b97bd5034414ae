#include "bot/holiday_list_watch.hpp"

#include <spdlog/spdlog.h>

#include "config/holiday_coverage.hpp"
#include "domain/contract_year.hpp"

namespace slabot {

HolidayListWatch::HolidayListWatch(const LiveConfig& config, const Clock& clock)
    : config_(config),
      task_("holiday-watch", "check the holiday lists", kEvery, [this, &clock] { check(clock.now()); }) {}

std::vector<std::string> HolidayListWatch::check(Timestamp now) {
  const Date today = local_date(now, Zone{});
  const auto gaps = holiday_list_gaps(*config_.current(), today);
  std::vector<std::string> fresh;
  std::lock_guard lock(mutex_);
  if (day_ != today) {
    day_ = today;
    said_.clear();
  }
  for (const auto& gap : gaps) {
    if (!said_.insert(gap).second) continue;
    spdlog::warn("{}", gap);
    fresh.push_back(gap);
  }
  return fresh;
}

}  // namespace slabot
