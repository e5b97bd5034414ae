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

}  // namespace slabot
