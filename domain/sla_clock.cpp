#include "domain/sla_clock.hpp"

#include <algorithm>
#include <cmath>

namespace slabot {
namespace {

using namespace std::chrono_literals;

int warn_code(double fraction) { return static_cast<int>(std::lround(fraction * 1000)); }

// The stage right after `fired`, on this ticket's clock.
SlaStage stage_after(const SlaPolicy& policy, const Ticket& t, int fired) {
  const Duration window = t.response_due_at - t.clock_started_at;
  if (fired < kBreachStage) {
    for (double fraction : policy.warn_at) {
      const int code = warn_code(fraction);
      if (code > fired && code > kNoStage && code < kBreachStage) {
        const auto offset = std::chrono::duration_cast<Duration>(window * fraction);
        return {code, t.clock_started_at + offset};
      }
    }
    return {kBreachStage, t.response_due_at};
  }
  const int repeat = fired - kBreachStage + 1;
  return {kBreachStage + repeat, t.response_due_at + policy.repeat_interval(t.severity) * repeat};
}

}  // namespace

Duration SlaPolicy::repeat_interval(int severity) const {
  if (repeat_every && *repeat_every > Duration::zero()) return *repeat_every;
  return std::min<Duration>(response_limit(severity), 30min);
}

std::string stage_name(int code) {
  if (code == kBreachStage) return "breach";
  if (code > kBreachStage) return "repeat-" + std::to_string(code - kBreachStage);
  if (code % 10 == 0) return "warn" + std::to_string(code / 10);
  return "warn" + std::to_string(code / 10) + "." + std::to_string(code % 10);
}

SlaStage next_stage(const SlaPolicy& policy, const Ticket& ticket) {
  return stage_after(policy, ticket, ticket.sla_stage);
}

std::optional<SlaStage> due_stage(const SlaPolicy& policy, const Ticket& ticket, Timestamp now) {
  std::optional<SlaStage> latest;
  SlaStage stage = stage_after(policy, ticket, ticket.sla_stage);
  while (stage.at <= now) {
    latest = stage;
    if (is_breach_or_later(stage.code)) {
      // Repeats are evenly spaced: jump straight to the last one that is due.
      const auto interval = policy.repeat_interval(ticket.severity);
      if (interval <= Duration::zero()) break;
      const auto repeats = (now - ticket.response_due_at) / interval;
      const int last = kBreachStage + static_cast<int>(repeats);
      if (last > stage.code) latest = SlaStage{last, ticket.response_due_at + interval * repeats};
      break;
    }
    stage = stage_after(policy, ticket, stage.code);
  }
  return latest;
}

}  // namespace slabot
