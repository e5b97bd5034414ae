#pragma once
// The stages of a ticket's response clock: warnings before the deadline, the breach at it, and
// repeat pings after it until someone acknowledges.
//
// A stage is identified by a code that orders them and does not depend on the policy's list of
// warnings: a warning is its point of the window in per-mille (500 = 50%), the breach is 1000, the
// k-th repeat ping 1000 + k. A ticket stores the code of the last stage fired for its current
// clock, so a stage fires once even if the policy or the severity changes in between.
#include <optional>
#include <string>

#include "domain/sla_policy.hpp"
#include "domain/ticket.hpp"

namespace slabot {

constexpr int kNoStage = 0;
constexpr int kBreachStage = 1000;

struct SlaStage {
  int code = kNoStage;
  Timestamp at{};
};

// "warn50", "warn80", "breach", "repeat-2": the log's and the metrics' name, and the activity
// log's ("sla warn50"). Never shown to a group: stage_words is.
std::string stage_name(int code);
std::optional<int> parse_stage_name(const std::string& name);
// What a group reads: "SLA warning, 50% of the response time gone", "response SLA breached",
// "reminder 2, still no response".
std::string stage_words(int code);

inline bool is_breach_or_later(int code) { return code >= kBreachStage; }

// Whether the ticket's response clock is running: open and not yet acknowledged.
inline bool clock_running(const Ticket& t) { return t.state == TicketState::open && !t.acked_at; }

// The first stage after the ticket's last fired one.
SlaStage next_stage(const SlaPolicy& policy, const Ticket& ticket);

// The most advanced stage due at `now` after the last fired one: stages that came due together
// (after downtime, or a severity raise) collapse into the latest. nullopt when none is due.
std::optional<SlaStage> due_stage(const SlaPolicy& policy, const Ticket& ticket, Timestamp now);

}  // namespace slabot
