#include "adapters/lark/lark_card.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "adapters/wire.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

using nlohmann::json;

json plain_text(const std::string& text) {
  return {{"tag", "div"}, {"text", {{"tag", "plain_text"}, {"content", text}}}};
}

json button(const MessageAction& action, const std::string& text) {
  return {{"tag", "button"},
          {"text", {{"tag", "plain_text"}, {"content", std::string(action_label(action.kind))}}},
          {"type", action.kind == ActionKind::ack ? "primary" : "default"},
          {"behaviors",
           json::array(
               {{{"type", "callback"},
                 {"value", {{"slabot", action_value(action)}, {"text", truncate_utf8(text, kLarkValueTextBytes)}}}}})}};
}

// The member `name` of `object` when it is an object, else an empty one.
const json& object_member(const json& object, const char* name) {
  static const json empty = json::object();
  if (!object.is_object()) return empty;
  const auto found = object.find(name);
  return found != object.end() && found->is_object() ? *found : empty;
}

}  // namespace

json lark_card(const std::string& text, const std::vector<MessageAction>& actions,
               const std::vector<Mention>& mentions) {
  json elements = json::array({plain_text(text)});
  std::string ats;
  for (const auto& mention : mentions) {
    // Only characters an open_id has: nothing that could end the tag.
    std::string id;
    for (char c : mention.user_id) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') id.push_back(c);
    }
    if (!id.empty()) ats += (ats.empty() ? "" : " ") + std::string("<at id=") + id + "></at>";
  }
  if (!ats.empty()) elements.push_back({{"tag", "markdown"}, {"content", ats}});
  for (const auto& action : actions) elements.push_back(button(action, text));
  return {{"schema", "2.0"}, {"body", {{"elements", std::move(elements)}}}};
}

std::variant<InboundMessage, Rejected> lark_tap_from(const json& callback) {
  const json& header = object_member(callback, "header");
  const json& event = object_member(callback, "event");
  const json& context = object_member(event, "context");
  const json& value = object_member(object_member(event, "action"), "value");

  InboundMessage inbound;
  inbound.platform = "lark";
  inbound.event_id = json_string(header, "event_id");
  inbound.user_id = json_string(object_member(event, "operator"), "open_id");
  inbound.user_name = inbound.user_id;  // the callback carries no name, as events do not
  inbound.chat_id = json_string(context, "open_chat_id");
  if (inbound.event_id.empty() || inbound.user_id.empty() || inbound.chat_id.empty()) {
    return Rejected{400, "card.action.trigger without header.event_id, operator.open_id or context.open_chat_id"};
  }
  const auto action = parse_action_value(json_string(value, "slabot"));
  if (!action) return Rejected{400, "card.action.trigger without one of slabot's buttons"};
  inbound.tap = Tap{*action, json_string(context, "open_message_id"), "", json_string(value, "text"), false};
  inbound.text = tap_command(*action);
  return inbound;
}

HttpAnswer lark_tap_answer(const Tap& tap, const Reply& reply) {
  json answer;
  if (!reply.acted) {
    answer = {{"toast", {{"type", "error"}, {"content", reply.text}}}};
  } else {
    // The card as it was, then who acted in place of the buttons.
    const std::string done = "✅ " + reply.text;
    json elements = json::array();
    if (!tap.original_text.empty()) elements.push_back(plain_text(tap.original_text));
    elements.push_back(plain_text(done));
    answer = {{"toast", {{"type", "info"}, {"content", reply.text}}},
              {"card", {{"type", "raw"}, {"data", {{"schema", "2.0"}, {"body", {{"elements", elements}}}}}}}};
  }
  return HttpAnswer{200, "application/json", dump_json(answer)};
}

}  // namespace slabot
