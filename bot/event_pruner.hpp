#pragma once
// Forgets the platform events the bot has handled once their retries are long over (platforms
// retry within minutes, at most hours), so the dedup table does not grow for ever: every hour,
// the events older than a week, in small chunks that never hold the store's writer for long.
#include <cstddef>

#include "bot/periodic_task.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

class EventPruner {
 public:
  static constexpr Duration kRetention = std::chrono::hours(24 * 7);
  static constexpr std::chrono::minutes kEvery{60};
  static constexpr int kChunk = 5000;

  EventPruner(Store& store, const Clock& clock)
      : store_(store),
        clock_(clock),
        task_("event-pruner", "forget old platform events", kEvery, [this] { prune_now(); }) {}
  EventPruner(const EventPruner&) = delete;
  EventPruner& operator=(const EventPruner&) = delete;

  // Removes every event older than the retention now; returns how many.
  std::size_t prune_now();

  // Prunes at start and then every kEvery of real time, on its own thread.
  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  Store& store_;
  const Clock& clock_;
  PeriodicTask task_;  // last: its thread uses the rest
};

}  // namespace slabot
