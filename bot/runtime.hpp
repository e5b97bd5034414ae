#pragma once
// The bot's moving parts wired together, once, for every transport: the dispatcher (commands),
// the SLA scheduler (clocks and the ladder) and the outbox worker (every message the bot sends).
//
//   command changes a ticket --> scheduler.watch (its next stage)
//   /escalate                --> SlaNotices::escalated (messages queued with the climb)
//   a stage fires            --> outbox wakes
//   a write queues messages (an answer via the outbox, notices) --> outbox wakes
//
// `serve` hands it a BeastHttpClient; the console a printer; tests a fake.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "bot/dispatcher.hpp"
#include "bot/engagements/engagement_reminders.hpp"
#include "bot/entitlements/health_reminders.hpp"
#include "bot/event_pruner.hpp"
#include "bot/holiday_list_watch.hpp"
#include "bot/http/http_client.hpp"
#include "bot/message_handler.hpp"
#include "bot/metrics/metrics.hpp"
#include "bot/metrics/store_gauges.hpp"
#include "bot/monthly_reports.hpp"
#include "bot/outbox/outbox_worker.hpp"
#include "bot/periodic_task.hpp"
#include "bot/sla/sla_notices.hpp"
#include "bot/sla/sla_scheduler.hpp"
#include "config/config.hpp"
#include "config/live_config.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

// Every connection's outbound route: its adapter and its per-destination rate limit (the
// connection's override, else the platform's own). Throws std::invalid_argument as make_adapter
// does for a connection whose secrets are unusable.
std::map<std::string, OutboxRoute> outbox_routes(const Config& config);

class BotRuntime final : public MessageHandler {
 public:
  BotRuntime(const Config& config, Store& store, const Clock& clock, HttpClient& http);
  ~BotRuntime() override;  // stops the threads, finishing what is in hand
  BotRuntime(const BotRuntime&) = delete;
  BotRuntime& operator=(const BotRuntime&) = delete;

  // Loads every running clock from the store (stages that came due while the bot was down fire
  // at once, collapsed) and starts the scheduler's, the outbox's and the event pruner's threads.
  // Returns how many clocks it loaded.
  std::size_t start();
  void stop();

  void handle(InboundMessage message, std::function<void(BotReply)> done) override;

  // Runs on `next` from now on: the next command, stage and outbox pass see it; what is in hand
  // finishes on the config it began with. Everything `next` needs is built before anything
  // changes: a connection whose secrets are unusable throws std::invalid_argument and nothing
  // changes. What only a restart changes (listen, database, http) is the caller's to keep.
  void reconfigure(Config next);
  const LiveConfig& config() const { return config_; }
  // The config as its file says it, before the packages `/package` changed: what a reload compares.
  Config file_config();

  Dispatcher& dispatcher() { return *dispatcher_; }
  SlaScheduler& scheduler() { return scheduler_; }
  OutboxWorker& outbox() { return outbox_; }
  // What /metrics serves: counted by the dispatcher and the outbox; the store's gauges are
  // refreshed every few seconds from start() to stop() (gauges().refresh() reads them now).
  Metrics& metrics() { return metrics_; }
  StoreGauges& gauges() { return gauges_; }
  MonthlyReports& reports() { return reports_; }
  HealthReminders& reminders() { return reminders_; }

 private:
  // The running config is the file's with the packages `/package` changed (running_packages.hpp);
  // the file's is kept to apply them again after a change. The mutex orders reloads and changes.
  void packages_changed();

  Metrics metrics_;  // first: what follows counts into it until it is gone
  Store& store_;
  std::mutex packages_mutex_;
  Config file_config_;
  LiveConfig config_;
  DutyRoster duty_;  // who is on duty: read by the ladder, changed by /duty
  StoreGauges gauges_;
  SlaNotices notices_;
  SlaScheduler scheduler_;
  OutboxWorker outbox_;
  EventPruner pruner_;
  MonthlyReports reports_;
  HealthReminders reminders_;
  PeriodicTask engagement_reminders_;       // bot/engagements/engagement_reminders.hpp
  HolidayListWatch holidays_;               // a holiday list missing the year in hand, said daily
  std::unique_ptr<Dispatcher> dispatcher_;  // last: stopped first, while the rest still stands
};

}  // namespace slabot
