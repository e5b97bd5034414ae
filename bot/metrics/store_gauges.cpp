#include "bot/metrics/store_gauges.hpp"

#include <algorithm>

namespace slabot {

StoreGauges::StoreGauges(Store& store, const Clock& clock, Metrics& metrics, std::chrono::milliseconds every)
    : store_(store),
      clock_(clock),
      metrics_(metrics),
      task_("store-gauges", "read the store's figures for /metrics", every, [this] { refresh(); }) {}

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

}  // namespace slabot
