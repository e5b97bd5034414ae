#include "adapters/mattermost/mattermost_buttons.hpp"

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/mattermost/mattermost_text.hpp"
#include "adapters/wire.hpp"

namespace slabot::mattermost {
namespace {

using nlohmann::json;

std::string signature(const std::string& secret, const std::string& chat, const std::string& action,
                      const std::string& text) {
  return hex_encode(hmac_sha256(secret, "slabot-action-v1\n" + chat + "\n" + action + "\n" + text));
}

}  // namespace

json action_attachments(const ActionEndpoint& endpoint, const std::vector<MessageAction>& actions,
                        const std::string& chat, const std::string& text) {
  json buttons = json::array();
  for (const auto& action : actions) {
    const std::string value = action_value(action);
    json button{{"id", std::string(action_id(action.kind))},
                {"type", "button"},
                {"name", std::string(action_label(action.kind))},
                {"integration",
                 {{"url", endpoint.url},
                  {"context",
                   {{"action", value},
                    {"chat", chat},
                    {"text", text},
                    {"sig", signature(endpoint.secret, chat, value, text)}}}}}};
    if (action.kind == ActionKind::ack) button["style"] = "primary";
    buttons.push_back(std::move(button));
  }
  return json::array({{{"actions", buttons}}});
}

bool is_action_request(const std::string& body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && body[first] == '{';
}

VerifyResult verify_action(const ActionEndpoint& endpoint, const std::string& body) {
  if (endpoint.secret.empty()) return Rejected{401, "an action request, but the connection has no action_secret"};
  const json request = parse_json(body);
  if (request.is_discarded() || !request.is_object()) return Rejected{400, "action request is not a JSON object"};
  const auto context = request.find("context");
  if (context == request.end() || !context->is_object()) return Rejected{401, "action request without a context"};
  const std::string sent = json_string(*context, "sig");
  if (sent.empty()) return Rejected{401, "action context without a signature"};
  const std::string expected = signature(endpoint.secret, json_string(*context, "chat"),
                                         json_string(*context, "action"), json_string(*context, "text"));
  if (!constant_time_equal(sent, expected)) return Rejected{401, "action context signature mismatch"};
  return Verified{};
}

std::variant<InboundMessage, Rejected> tap_from(const std::string& body) {
  const json request = parse_json(body);
  if (request.is_discarded() || !request.is_object()) return Rejected{400, "action request is not a JSON object"};
  const json empty = json::object();
  const json& context = request.contains("context") ? request["context"] : empty;
  const auto action = parse_action_value(json_string(context, "action"));
  if (!action) return Rejected{400, "action context names none of slabot's buttons"};

  InboundMessage inbound;
  inbound.platform = "mattermost";
  inbound.chat_id = json_string(context, "chat");  // signed: the channel the button was sent to
  inbound.user_id = json_string(request, "user_id");
  inbound.user_name = json_string(request, "user_name");
  if (inbound.user_name.empty()) inbound.user_name = inbound.user_id;
  if (inbound.user_id.empty() || inbound.chat_id.empty()) return Rejected{400, "action request without user_id"};
  const std::string post_id = json_string(request, "post_id");
  // trigger_id differs per click; without one, the same person's click on the same button of
  // the same post is the same tap.
  inbound.event_id = json_string(request, "trigger_id");
  if (inbound.event_id.empty()) inbound.event_id = post_id + ":" + inbound.user_id + ":" + action_value(*action);
  inbound.text = tap_command(*action);
  inbound.tap = Tap{*action, post_id, "", json_string(context, "text"), false};
  return inbound;
}

HttpAnswer tap_answer(const InboundMessage& message, const Reply& reply) {
  json answer = json::object();
  if (reply.acted && message.tap) {
    // The message as it was, its buttons replaced by who acted.
    answer["update"] = {
        {"message", message.tap->original_text},
        {"props", {{"attachments", json::array({{{"text", "✅ " + mattermost_inert_text(reply.text)}}})}}}};
  } else if (!reply.text.empty()) {
    answer["ephemeral_text"] = mattermost_inert_text(reply.text);
  }
  return HttpAnswer{200, "application/json", dump_json(answer)};
}

}  // namespace slabot::mattermost
