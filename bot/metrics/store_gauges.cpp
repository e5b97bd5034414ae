#include "bot/metrics/store_gauges.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace slabot {

StoreGauges::StoreGauges(Store& store, const Clock& clock, Metrics& metrics, std::chrono::milliseconds every)
    : store_(store), clock_(clock), metrics_(metrics), every_(every) {}

StoreGauges::~StoreGauges() { stop(); }

void StoreGauges::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void StoreGauges::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StoreGauges::refresh() {
  OutboxFigures figures;
  figures.pending = static_cast<std::int64_t>(store_.count_outbox(OutboxQuery::pending));
  figures.dead = static_cast<std::int64_t>(store_.count_outbox(OutboxQuery::dead));
  // Ids grow with creation: the first pending row by id is the oldest.
  const auto oldest = store_.list_outbox(OutboxQuery::pending, 1);
  if (!oldest.empty()) {
    const std::chrono::duration<double> age = clock_.now() - oldest.front().created_at;
    figures.oldest_pending_age_seconds = std::max(0.0, age.count());
  }
  metrics_.set_outbox(figures);

  std::vector<OpenTickets> open;
  for (const auto& tally : store_.tally_active_tickets()) {
    open.push_back({tally.tenant_id, tally.severity, std::string(state_name(tally.state)),
                    static_cast<std::int64_t>(tally.count)});
  }
  metrics_.set_open_tickets(open);
}

void StoreGauges::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      refresh();
    } catch (const std::exception& e) {
      // The gauges keep their last figures; /healthz says whether the store is in trouble.
      spdlog::warn("metrics: could not read the store's figures: {}", e.what());
    }
    lock.lock();
    stopping_changed_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

}  // namespace slabot
