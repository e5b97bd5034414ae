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

std::optional<int> parse_stage_name(const std::string& name) {
  if (name == "breach") return kBreachStage;
  const auto number = [](const std::string& digits) -> std::optional<int> {
    if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoi(digits);
  };
  if (name.starts_with("repeat-")) {
    const auto k = number(name.substr(7));
    return k && *k > 0 ? std::optional(kBreachStage + *k) : std::nullopt;
  }
  if (!name.starts_with("warn")) return std::nullopt;
  const std::string rest = name.substr(4);
  const auto dot = rest.find('.');
  const auto whole = number(rest.substr(0, dot));
  const auto tenth = dot == std::string::npos ? std::optional(0) : number(rest.substr(dot + 1));
  if (!whole || !tenth || *tenth > 9 || *whole >= 100) return std::nullopt;
  const int code = *whole * 10 + *tenth;
  return code > kNoStage ? std::optional(code) : std::nullopt;
}

std::string stage_words(int code) {
  if (code == kBreachStage) return "response SLA breached";
  if (code > kBreachStage) return "reminder " + std::to_string(code - kBreachStage) + ", still no response";
  std::string percent = std::to_string(code / 10);
  if (code % 10) percent += "." + std::to_string(code % 10);
  return "SLA warning, " + percent + "% of the response time gone";
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
