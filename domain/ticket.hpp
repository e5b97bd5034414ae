#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace slabot {

using TicketId = std::int64_t;

enum class TicketState { open, acknowledged, resolved, closed };
std::string_view state_name(TicketState state);
std::optional<TicketState> parse_state(std::string_view text);

// Rungs of the escalation ladder inside the support side.
constexpr int kEscalationEngineer = 0;
constexpr int kEscalationTam = 1;
constexpr int kEscalationManager = 2;
std::string_view escalation_rung_name(int level);  // "engineer", "TAM", "service manager"

struct Ticket {
  TicketId id = 0;
  std::string tenant_id;
  std::string sub_customer;  // the `for:` label; empty when none
  std::string title;
  int severity = 5;
  TicketState state = TicketState::open;
  std::string opened_by_id;
  std::string opened_by_name;
  std::string assignee_id;  // empty when unassigned
  std::string assignee_name;
  int escalation_level = kEscalationEngineer;
  Timestamp opened_at{};
  // The response clock starts at opening and restarts at a reopen; due = start + limit.
  Timestamp clock_started_at{};
  Timestamp response_due_at{};
  std::optional<Timestamp> acked_at;
  std::string acked_by_name;
  std::optional<Timestamp> resolved_at;
  std::optional<Timestamp> closed_at;
  Timestamp updated_at{};
  // The last SLA stage fired on the current response clock (see sla_clock.hpp); 0 for none.
  int sla_stage = 0;
  // The group it was opened in, "<connection>:<chat id>": where its notices go (with the support
  // side's channels that cover its tenant). Empty for tickets from before it was recorded.
  std::string origin;
  // Under the Critical Time Guarantee (/ctg): its warnings and breaches reach the TAM and the
  // service manager at once.
  bool ctg = false;
  // The partner's rating of the service, 1..5 (0: none yet), and when it was first given.
  int rating = 0;
  std::optional<Timestamp> rated_at;

  bool is_active() const { return state == TicketState::open || state == TicketState::acknowledged; }
};

// One row of the append-only activity log: who did what, when, from which channel.
struct Activity {
  std::int64_t seq = 0;
  TicketId ticket_id = 0;
  Timestamp at{};
  std::string actor_id;
  std::string actor_name;
  std::string action;  // "opened", "acknowledged", "assigned", ...
  std::string detail;
  std::string channel;    // "<connection>:<chat id>"
  bool internal = false;  // written in the support side's channel: hidden from partners
};

}  // namespace slabot
