#pragma once
// Reminds each tenant's group and its TAM of a health check: `reminders.health_check_before`
// before one falls due (the end of its period: a month, a quarter or a contract year by package)
// while none is done, and once the period has ended without one (within as long after its end).
// Each reminder is recorded in the
// tenant's log ("reminded", its key) in the same transaction as its messages, so it goes once,
// across restarts too; checked every minute of real time.
#include <cstddef>
#include <functional>

#include "bot/periodic_task.hpp"
#include "config/live_config.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

class HealthReminders {
 public:
  static constexpr std::chrono::minutes kEvery{1};

  HealthReminders(const LiveConfig& config, Store& store, const Clock& clock)
      : config_(config),
        store_(store),
        clock_(clock),
        task_("health-reminder", "send health check reminders", kEvery, [this] { remind_now(clock_.now()); }) {}
  HealthReminders(const HealthReminders&) = delete;
  HealthReminders& operator=(const HealthReminders&) = delete;

  // Records and queues every reminder due at `now` and not sent before; returns how many.
  std::size_t remind_now(Timestamp now);

  // Called after reminders were queued (the outbox can send them at once).
  void on_sent(std::function<void()> callback) { on_sent_ = std::move(callback); }

  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  bool remind(const Config& config, const Tenant& tenant, const std::string& key, const std::string& what,
              Timestamp now);

  const LiveConfig& config_;
  Store& store_;
  const Clock& clock_;
  std::function<void()> on_sent_;
  PeriodicTask task_;  // last: its thread uses the rest
};

}  // namespace slabot
