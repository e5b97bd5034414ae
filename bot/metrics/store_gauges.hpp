#pragma once
// The gauges that come from the database (the outbox's depth, the age of its oldest pending
// message, the active tickets by tenant, severity and state), read on a thread of their own every few seconds: a scrape
// answers from memory on the HTTP server's I/O thread and never waits on the store. The figures are at most `every`
// old.
#include <chrono>

#include "bot/metrics/metrics.hpp"
#include "bot/periodic_task.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

class StoreGauges {
 public:
  // All three must outlive the gauges.
  StoreGauges(Store& store, const Clock& clock, Metrics& metrics,
              std::chrono::milliseconds every = std::chrono::seconds(5));
  StoreGauges(const StoreGauges&) = delete;
  StoreGauges& operator=(const StoreGauges&) = delete;

  // Refreshes at once, then every `every`, until stop(); a failed read keeps the last figures
  // (and /healthz says whether the store is in trouble).
  void start() { task_.start(); }
  // Waits for a refresh in progress (it uses the caller's store). Idempotent.
  void stop() { task_.stop(); }

  // Reads the store on the caller's thread and sets the gauges; throws what the store throws.
  void refresh();

 private:
  Store& store_;
  const Clock& clock_;
  Metrics& metrics_;
  PeriodicTask task_;  // last: its thread uses the rest
};

}  // namespace slabot
