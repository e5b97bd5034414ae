#pragma once
// The gauges that come from the database (the outbox's depth, the age of its oldest pending
// message, the active tickets by tenant, severity and state), read on a thread of their own every few seconds: a scrape answers from memory on
// the HTTP server's I/O thread and never waits on the store. The figures are at most `every` old.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bot/metrics/metrics.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

class StoreGauges {
 public:
  // All three must outlive the gauges.
  StoreGauges(Store& store, const Clock& clock, Metrics& metrics,
              std::chrono::milliseconds every = std::chrono::seconds(5));
  ~StoreGauges();  // stop()
  StoreGauges(const StoreGauges&) = delete;
  StoreGauges& operator=(const StoreGauges&) = delete;

  // Refreshes at once, then every `every`. Once only.
  void start();
  // Waits for a refresh in progress (it uses the caller's store). Idempotent.
  void stop();

  // Reads the store on the caller's thread and sets the gauges; throws what the store throws.
  void refresh();

 private:
  void run();

  Store& store_;
  const Clock& clock_;
  Metrics& metrics_;
  const std::chrono::milliseconds every_;

  std::mutex mutex_;
  std::condition_variable stopping_changed_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace slabot
