#include "adapters/slack/slack_buttons.hpp"

#include <nlohmann/json.hpp>

#include "adapters/wire.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

using nlohmann::json;

json section(const std::string& mrkdwn) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", truncate_utf8(mrkdwn, kSlackSectionTextLimit)}}}};
}

json button(const MessageAction& action) {
  json element{{"type", "button"},
               {"action_id", std::string(action_id(action.kind))},
               {"text", {{"type", "plain_text"}, {"text", std::string(action_label(action.kind))}}},
               {"value", action_value(action)}};
  if (action.kind == ActionKind::ack) element["style"] = "primary";
  return element;
}

}  // namespace

json slack_blocks(const std::string& mrkdwn, const std::vector<MessageAction>& actions) {
  json elements = json::array();
  for (const auto& action : actions) elements.push_back(button(action));
  json blocks = json::array({section(mrkdwn)});
  if (!elements.empty()) blocks.push_back({{"type", "actions"}, {"block_id", "slabot"}, {"elements", elements}});
  return blocks;
}

json slack_tap_answer(const Tap& tap, const std::string& reply_mrkdwn) {
  if (!tap.acted) {
    return {{"response_type", "ephemeral"}, {"replace_original", false}, {"text", reply_mrkdwn}};
  }
  // The message as it was (Slack gave its text back, already in mrkdwn), and who acted, in place
  // of the buttons.
  const std::string done = ":white_check_mark: " + reply_mrkdwn;
  json blocks = json::array();
  if (!tap.original_text.empty()) blocks.push_back(section(tap.original_text));
  blocks.push_back({{"type", "context"}, {"elements", json::array({{{"type", "mrkdwn"}, {"text", done}}})}});
  const std::string text = tap.original_text.empty() ? done : tap.original_text + "\n" + done;
  return {{"replace_original", true}, {"text", text}, {"blocks", blocks}};
}

std::variant<InboundMessage, ParsedMessages, Rejected> slack_tap_from(const std::string& payload) {
  const json body = parse_json(payload);
  if (body.is_discarded() || !body.is_object()) return Rejected{400, "interaction payload is not a JSON object"};
  if (json_string(body, "type") != "block_actions") return ParsedMessages{};
  const json empty = json::object();
  const json& user = body.contains("user") ? body["user"] : empty;
  const json& channel = body.contains("channel") ? body["channel"] : empty;
  const json& container = body.contains("container") ? body["container"] : empty;
  const json& message = body.contains("message") ? body["message"] : empty;

  InboundMessage inbound;
  inbound.platform = "slack";
  inbound.user_id = json_string(user, "id");
  inbound.user_name = json_string(user, "username");
  if (inbound.user_name.empty()) inbound.user_name = json_string(user, "name");
  if (inbound.user_name.empty()) inbound.user_name = inbound.user_id;
  inbound.chat_id = json_string(channel, "id");
  if (inbound.chat_id.empty()) inbound.chat_id = json_string(container, "channel_id");
  inbound.reply_url = json_string(body, "response_url");
  if (inbound.user_id.empty() || inbound.chat_id.empty()) {
    return Rejected{400, "block_actions without user.id or channel.id"};
  }
  if (inbound.reply_url.empty()) return Rejected{400, "block_actions without response_url"};

  // One button is tapped per request; the first of slabot's values names it.
  std::optional<MessageAction> action;
  std::string action_ts;
  if (const auto actions = body.find("actions"); actions != body.end() && actions->is_array()) {
    for (const auto& tapped : *actions) {
      if (auto known = parse_action_value(json_string(tapped, "value"))) {
        action = known;
        action_ts = json_string(tapped, "action_ts");
        break;
      }
    }
  }
  if (!action) return Rejected{400, "block_actions without one of slabot's buttons"};

  const std::string message_ts =
      json_string(message, "ts").empty() ? json_string(container, "message_ts") : json_string(message, "ts");
  // trigger_id differs per interaction; without one, the tapped message and the tap's time do.
  inbound.event_id = json_string(body, "trigger_id");
  if (inbound.event_id.empty() && !action_ts.empty()) inbound.event_id = message_ts + "/" + action_ts;
  inbound.tap = Tap{*action, message_ts, "", json_string(message, "text"), false};
  inbound.text = tap_command(*action);
  return inbound;
}

}  // namespace slabot
