#pragma once
// Watches every running response clock and fires its stages on time.
//
// A deadline queue, not a poll of the table: one 16-byte heap entry per pending stage, loaded from
// the store at start and pushed again whenever a ticket changes. Entries are never updated in
// place: a stale one (the ticket was acknowledged, or its deadline moved) is dropped when it comes
// up, because the write that fires a stage re-reads the ticket and decides against its state then
// (compare-and-set), on the store's writer thread. A stage is recorded on the ticket in the same
// transaction as its messages, so it fires once, across restarts too.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <vector>

#include "bot/metrics/metrics.hpp"
#include "bot/sla/sla_notices.hpp"
#include "bot/worker_thread.hpp"
#include "config/live_config.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

class SlaScheduler {
 public:
  // `metrics` (optional, must outlive the scheduler) counts each recorded stage by kind, each
  // climb by the rung reached, and the lag from a stage's due time to its firing. Each stage is
  // decided on the config as it is when the stage fires (a reload changes the next one). `duty`
  // (optional, must outlive the scheduler) says who is on duty; without it, the config does.
  SlaScheduler(const LiveConfig& config, Store& store, const Clock& clock, Metrics* metrics = nullptr,
               const DutyRoster* duty = nullptr);
  ~SlaScheduler();  // stops the driver thread
  SlaScheduler(const SlaScheduler&) = delete;
  SlaScheduler& operator=(const SlaScheduler&) = delete;

  // Queues the next stage of every running clock in the store; returns how many.
  std::size_t load();

  // A ticket changed: queue its next stage, if its clock runs. Thread-safe.
  void watch(const Ticket& ticket);

  // Fires every stage due at `now` (each as one store write); returns how many writes started.
  std::size_t fire_due(Timestamp now);

  // Waits until every fire_due write has completed: for tests and shutdown.
  void wait_idle();

  std::optional<Timestamp> next_due() const;
  std::size_t queued() const;
  // Passes the driver thread has run since start(): for tests.
  std::size_t passes() const;

  // Runs fire_due on its own thread at each next due time (at least once a second).
  void start();
  void stop();

  // Called after a stage fired and its messages were queued (the outbox can send at once).
  void on_fired(std::function<void()> callback) { on_fired_ = std::move(callback); }

 private:
  struct Entry {
    std::int64_t at_ms;
    TicketId id;
    bool operator>(const Entry& other) const { return at_ms > other.at_ms; }
  };

  static const SlaPolicy& policy_for(const Config& config, const Ticket& ticket);
  // Queues the ticket's next stage; true when it comes before every other queued one, which is
  // the only case where the driver, asleep until the earliest, must be woken.
  bool push(const Ticket& ticket, const Config& config);
  void fire(TicketId id, Timestamp now);
  std::chrono::nanoseconds run_pass();

  const LiveConfig& config_;
  Store& store_;
  const Clock& clock_;
  Metrics* metrics_;
  DutyRoster no_changes_;  // the config's on_duty alone, when no roster was given
  SlaNotices notices_;
  std::function<void()> on_fired_;

  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::size_t in_flight_ = 0;
  std::size_t passes_ = 0;
  WorkerThread driver_{"sla"};  // last: its rounds use the rest
};

}  // namespace slabot
