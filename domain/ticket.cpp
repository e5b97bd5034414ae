#include "domain/ticket.hpp"

#include <array>
#include <utility>

#include "domain/outbox_item.hpp"
#include "domain/role.hpp"

namespace slabot {
namespace {
constexpr std::array<std::pair<TicketState, std::string_view>, 4> kStates{{
    {TicketState::open, "open"},
    {TicketState::acknowledged, "acknowledged"},
    {TicketState::resolved, "resolved"},
    {TicketState::closed, "closed"},
}};
}  // namespace

std::string_view state_name(TicketState state) {
  for (const auto& [value, name] : kStates) {
    if (value == state) return name;
  }
  return "unknown";
}

std::optional<TicketState> parse_state(std::string_view text) {
  for (const auto& [value, name] : kStates) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view outbox_status_name(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::pending: return "pending";
    case OutboxStatus::sent: return "sent";
    case OutboxStatus::dead: return "dead";
    case OutboxStatus::superseded: return "superseded";
  }
  return "unknown";
}

std::string_view escalation_rung_name(int level) {
  switch (level) {
    // The rungs are roles: one glossary (role_title) names both.
    case kEscalationEngineer: return role_title(Role::engineer);
    case kEscalationTam: return role_title(Role::tam);
    case kEscalationManager: return role_title(Role::manager);
    default: return "unknown";
  }
}

}  // namespace slabot
