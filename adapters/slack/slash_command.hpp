#pragma once
// The fields of a slash command as Slack sends it, and as Mattermost sends it in the same
// shape (its "Slack compatibility"): one form-encoded POST per command typed.
#include <map>
#include <string>
#include <variant>

#include "adapters/chat_adapter.hpp"

namespace slabot {

struct SlashCommand {
  std::string command;  // "/ticket", as registered with the platform
  std::string text;     // everything typed after the command
  std::string channel_id;
  std::string channel_name;
  std::string user_id;
  std::string user_name;
  std::string trigger_id;    // unique per invocation (Slack; Mattermost since 5.x)
  std::string response_url;  // unique per invocation: a temporary webhook for later answers

  // What the person typed: "/ticket ack 12" from command "/ticket" and text "ack 12", so the
  // bot's grammar sees one line whatever command the app registered.
  std::string command_line() const;
  // The id to deduplicate on: trigger_id, else response_url (both differ per invocation);
  // empty when the platform sent neither.
  std::string event_id() const;
};

// The fields of a decoded form; Rejected{400} when command, channel_id or user_id is missing
// or command does not start with '/'.
std::variant<SlashCommand, Rejected> slash_command_from(const std::map<std::string, std::string>& form);

}  // namespace slabot
