#include "adapters/slack/slash_command.hpp"

#include "adapters/slack/form_body.hpp"

namespace slabot {

std::string SlashCommand::command_line() const { return text.empty() ? command : command + " " + text; }

std::string SlashCommand::event_id() const { return trigger_id.empty() ? response_url : trigger_id; }

std::variant<SlashCommand, Rejected> slash_command_from(const std::map<std::string, std::string>& form) {
  SlashCommand command;
  command.command = form_field(form, "command");
  command.text = form_field(form, "text");
  command.channel_id = form_field(form, "channel_id");
  command.channel_name = form_field(form, "channel_name");
  command.user_id = form_field(form, "user_id");
  command.user_name = form_field(form, "user_name");
  command.trigger_id = form_field(form, "trigger_id");
  command.response_url = form_field(form, "response_url");
  if (command.command.size() < 2 || command.command.front() != '/') {
    return Rejected{400, "slash command without a /command"};
  }
  if (command.channel_id.empty() || command.user_id.empty()) {
    return Rejected{400, "slash command without channel_id or user_id"};
  }
  return command;
}

}  // namespace slabot
