#include "domain/message_action.hpp"

#include <array>
#include <charconv>

namespace slabot {
namespace {

struct ActionRow {
  ActionKind kind;
  std::string_view id;  // in values and as the button's id
  std::string_view label;
  std::string_view command;  // the verb typed
};

constexpr std::array<ActionRow, 3> kActions{{
    {ActionKind::ack, "ack", "Acknowledge", "/ack"},
    {ActionKind::escalate, "escalate", "Escalate", "/escalate"},
    {ActionKind::assign_to_me, "assign", "Assign to me", "/assign"},
}};

const ActionRow& row_of(ActionKind kind) {
  for (const auto& row : kActions) {
    if (row.kind == kind) return row;
  }
  return kActions[0];
}

}  // namespace

std::string action_value(const MessageAction& action) {
  return std::string(row_of(action.kind).id) + ":" + std::to_string(action.ticket);
}

std::optional<MessageAction> parse_action_value(std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view id = value.substr(0, colon);
  const std::string_view number = value.substr(colon + 1);
  // Digits only, no leading zero, at most 18 of them (fits an int64 without overflow checks).
  if (number.empty() || number.size() > 18 || number.front() == '0') return std::nullopt;
  for (char c : number) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t ticket = 0;
  std::from_chars(number.data(), number.data() + number.size(), ticket);
  for (const auto& row : kActions) {
    if (row.id == id) return MessageAction{row.kind, ticket};
  }
  return std::nullopt;
}

std::string tap_command(const MessageAction& action) {
  std::string command = std::string(row_of(action.kind).command) + " " + std::to_string(action.ticket);
  if (action.kind == ActionKind::assign_to_me) command += " me";
  return command;
}

std::string_view action_label(ActionKind kind) { return row_of(kind).label; }

std::string_view action_id(ActionKind kind) { return row_of(kind).id; }

}  // namespace slabot
