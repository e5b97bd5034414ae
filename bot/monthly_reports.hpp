#pragma once
// Posts last month's service report to the groups of each tenant whose package gets one
// (config "reports", Elite and Flagship unless told), once the month's first day has begun in
// the tenant's zone (plus reports.post_after). Through the outbox like every message; the post is
// recorded in the same transaction as its outbox rows (Store::post_report), so it goes at least
// once (a bot down on the first posts when it is back, within a week) and never twice (also
// across restarts).
#include <cstddef>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "bot/periodic_task.hpp"
#include "config/live_config.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

class MonthlyReports {
 public:
  static constexpr std::chrono::minutes kEvery{1};
  // How long after it falls due a report not yet posted still goes (a bot down meanwhile).
  static constexpr std::chrono::hours kCatchUp{24 * 7};

  MonthlyReports(const LiveConfig& config, Store& store, const Clock& clock)
      : config_(config),
        store_(store),
        clock_(clock),
        task_("month-reports", "post the monthly reports", kEvery, [this] { post_due(); }) {}
  MonthlyReports(const MonthlyReports&) = delete;
  MonthlyReports& operator=(const MonthlyReports&) = delete;

  // Posts every report due at the clock's now and not posted before; returns how many it posted.
  std::size_t post_due();

  // Called after a report was queued (the outbox can send it at once).
  void on_posted(std::function<void()> posted) { on_posted_ = std::move(posted); }

  // Checks at start and then every kEvery of real time, on its own thread.
  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  const LiveConfig& config_;
  Store& store_;
  const Clock& clock_;
  std::function<void()> on_posted_;
  std::mutex mutex_;  // one pass at a time (the thread, or a caller)
  // (tenant, period) known to be posted: the database is asked once per restart, not every minute.
  std::set<std::pair<std::string, std::string>> posted_;
  PeriodicTask task_;  // last: its thread uses the rest
};

}  // namespace slabot
