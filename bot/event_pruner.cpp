#include "bot/event_pruner.hpp"

#include <spdlog/spdlog.h>

#include <future>

namespace slabot {

std::size_t EventPruner::prune_now() {
  const Timestamp before = clock_.now() - kRetention;
  std::size_t total = 0;
  for (;;) {
    std::promise<std::size_t> removed;
    store_.prune_processed_events(before, kChunk, [&removed](std::size_t n) { removed.set_value(n); });
    const std::size_t n = removed.get_future().get();
    total += n;
    if (n < static_cast<std::size_t>(kChunk)) break;  // the last chunk (or a failed write: next time)
  }
  if (total) spdlog::info("forgot {} platform events handled more than a week ago", total);
  return total;
}

void EventPruner::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void EventPruner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventPruner::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      prune_now();
    } catch (const std::exception& e) {
      spdlog::warn("could not forget old platform events: {}", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, kEvery, [this] { return stopping_; });
  }
}

}  // namespace slabot
