#pragma once
// Says in the log which countries' holiday lists name no day of the year in hand (in December,
// of the next one too: config/holiday_coverage.hpp): at start, and then on the first hourly check
// of each day while a gap lasts. So a bot started in November warns on 1 December that next year's
// list is missing, and every day after until the list is added and the config reloaded. Saying
// each gap once a day keeps it in sight without filling the log.
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bot/periodic_task.hpp"
#include "config/live_config.hpp"
#include "domain/clock.hpp"
#include "domain/contract_year.hpp"

namespace slabot {

class HolidayListWatch {
 public:
  static constexpr std::chrono::hours kEvery{1};

  HolidayListWatch(const LiveConfig& config, const Clock& clock);

  // Logs as warnings, and returns, the gaps of the running config on `now`'s day (UTC) not said
  // yet that day.
  std::vector<std::string> check(Timestamp now);

  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  const LiveConfig& config_;
  std::mutex mutex_;
  std::optional<Date> day_;     // the day `said_` belongs to
  std::set<std::string> said_;  // the gaps said that day
  PeriodicTask task_;           // last: its rounds use the rest
};

}  // namespace slabot
