#include "adapters/mattermost/mattermost_adapter.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/mattermost/mattermost_buttons.hpp"
#include "adapters/mattermost/mattermost_text.hpp"
#include "adapters/mattermost/mattermost_websocket.hpp"
#include "adapters/slack/error_code.hpp"
#include "adapters/slack/form_body.hpp"
#include "adapters/slack/slash_command.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {
namespace {

constexpr std::string_view token_scheme = "token ";

// Mattermost ids are 26 lower-case letters and digits; usernames are at most 22 characters,
// so the two cannot be confused.
bool is_user_id(const std::string& value) {
  return value.size() == 26 &&
         std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::islower(c) || std::isdigit(c); });
}

// A slash command's response_url (/hooks/commands/<id>): its posts are ephemeral by default.
bool is_response_url(const std::string& url) { return url.find("/hooks/commands/") != std::string::npos; }

std::string text_with_mentions(const OutboundMessage& message) {
  std::string text = mattermost_inert_text(message.text);
  for (const auto& mention : message.mentions) {
    std::string_view name = mention.user_id;
    if (name.starts_with('@')) name.remove_prefix(1);
    if (name.empty()) continue;
    text += text.empty() ? "" : " ";
    text += is_user_id(mention.user_id) ? "<@" + mention.user_id + ">" : "@" + std::string(name);
  }
  return text;
}

}  // namespace

MattermostAdapter::MattermostAdapter(const Connection& connection) : outbound_url_(connection.outbound_url) {
  if (connection.mode == ConnectionMode::stream) {
    bot_token_ = required_secret(connection, "mattermost", "bot_token");
    server_ = mattermost_server_base(connection.stream_url);
  } else {
    token_ = required_secret(connection, "mattermost", "token");
  }
  actions_.url = secret_or_empty(connection, "action_url");
  actions_.secret = secret_or_empty(connection, "action_secret");
  if (actions_.url.empty() != actions_.secret.empty()) {
    throw std::invalid_argument("mattermost connection '" + connection.name +
                                "': buttons need both \"action_url\" (slabot's public URL of /hooks/" +
                                connection.name + ") and \"action_secret\"");
  }
  if (!actions_.url.empty() && connection.mode == ConnectionMode::stream) {
    throw std::invalid_argument("mattermost connection '" + connection.name + "': buttons post their taps to /hooks/" +
                                connection.name +
                                ", which a stream connection does not serve; remove action_url and action_secret");
  }
  if (!actions_.url.empty() && !actions_.url.starts_with("https://") && !actions_.url.starts_with("http://")) {
    throw std::invalid_argument("mattermost connection '" + connection.name + "': action_url must be an http(s) URL");
  }
}

VerifyResult MattermostAdapter::verify(const HttpRequest& request, Timestamp) const {
  // A button's request: JSON, no token; its context carries slabot's own signature.
  if (mattermost::is_action_request(request.body)) return mattermost::verify_action(actions_, request.body);
  // A stream connection has no slash command token to check a form against: nothing else is its.
  if (token_.empty()) return Rejected{401, "a stream connection hears posts over its WebSocket, not by HTTP"};
  bool checked = false;
  const std::string& header = request.header("authorization");
  std::string scheme = header.substr(0, std::min(header.size(), token_scheme.size()));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Another scheme (a Bearer token from an outgoing OAuth connection) is not ours to check and
  // proves nothing; the form's token must then match.
  if (scheme == token_scheme) {
    if (!constant_time_equal(std::string_view(header).substr(token_scheme.size()), token_)) {
      return Rejected{401, "Authorization token mismatch"};
    }
    checked = true;
  }
  const auto form = parse_form(request.body);
  if (!form) return Rejected{400, "body is not a form"};
  if (form->contains("token")) {
    if (!constant_time_equal(form_field(*form, "token"), token_)) return Rejected{401, "token mismatch"};
    checked = true;
  }
  if (!checked) return Rejected{401, "no token in the form or an Authorization: Token header"};
  return Verified{};
}

ParseOutcome MattermostAdapter::parse(const HttpRequest& request) const {
  if (mattermost::is_action_request(request.body)) {
    auto tap = mattermost::tap_from(request.body);
    if (auto* rejected = std::get_if<Rejected>(&tap)) return std::move(*rejected);
    return one_message(std::get<InboundMessage>(std::move(tap)));
  }
  const auto form = parse_form(request.body);
  if (!form) return Rejected{400, "body is not a form"};
  auto command = slash_command_from(*form);
  if (auto* rejected = std::get_if<Rejected>(&command)) return std::move(*rejected);
  const auto& slash = std::get<SlashCommand>(command);
  if (slash.channel_name.empty()) return Rejected{400, "slash command without channel_name"};

  InboundMessage message;
  message.platform = adapter_name();
  message.event_id = slash.event_id();
  message.chat_id = slash.channel_name;
  message.user_id = slash.user_id;
  message.user_name = slash.user_name.empty() ? slash.user_id : slash.user_name;
  message.text = slash.command_line();  // Mattermost sends the text as typed
  message.reply_url = slash.response_url;
  return one_message(std::move(message));
}

HttpAnswer MattermostAdapter::sync_reply(const InboundMessage&, const std::string& reply) const {
  // An empty ephemeral answer posts nothing; an empty in_channel one would be an error.
  const char* type = reply.empty() ? "ephemeral" : "in_channel";
  return HttpAnswer{200, "application/json",
                    dump_json({{"response_type", type}, {"text", mattermost_inert_text(reply)}})};
}

HttpAnswer MattermostAdapter::sync_answer(const InboundMessage& message, const Reply& reply) const {
  if (message.tap) return mattermost::tap_answer(message, reply);
  HttpAnswer answer = sync_reply(message, reply.text);
  if (reply.actions.empty() || reply.text.empty() || actions_.url.empty()) return answer;
  auto body = nlohmann::json::parse(answer.body);
  body["attachments"] = mattermost::action_attachments(actions_, reply.actions, message.chat_id, body.at("text"));
  answer.body = dump_json(body);
  return answer;
}

OutboundRequest MattermostAdapter::render(const OutboundMessage& message, Timestamp now) const {
  if (!server_.empty() && message.url.empty()) return render_post(message, now);
  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? outbound_url_ : message.url;
  request.headers["Content-Type"] = "application/json";
  nlohmann::json body{{"text", text_with_mentions(message)}};
  if (is_response_url(request.url)) {
    body["response_type"] = "in_channel";
  } else if (message.url.empty() && !message.chat_id.empty()) {
    body["channel"] = message.chat_id;  // the connection's webhook reaches every channel by name
  }
  if (!message.actions.empty() && !actions_.url.empty()) {
    // The update after a tap shows the text again, without the mentions: Mattermost turns <@id>
    // into @name in a webhook's post, not in an action's update, and they were heard already.
    body["attachments"] =
        mattermost::action_attachments(actions_, message.actions, message.chat_id, mattermost_inert_text(message.text));
  }
  request.body = dump_json(body);
  return request;
}

OutboundRequest MattermostAdapter::render_post(const OutboundMessage& message, Timestamp) const {
  OutboundRequest request;
  request.method = "POST";
  request.url = server_ + "/api/v4/posts";
  request.headers["Content-Type"] = "application/json";
  request.headers["Authorization"] = "Bearer " + bot_token_;
  // No buttons: their taps would post to /hooks/<connection>, which a stream connection has not.
  nlohmann::json body{{"channel_id", message.chat_id}, {"message", text_with_mentions(message)}};
  // An answer goes in the thread of what it answers (a reply's root_id is the thread's first post).
  if (!message.thread_id.empty()) body["root_id"] = message.thread_id;
  request.body = dump_json(body);
  return request;
}

DeliveryResult MattermostAdapter::interpret(const HttpResponse& response) const {
  DeliveryResult result = interpret_http_status(response);
  if (std::holds_alternative<Delivered>(result)) return result;
  // An AppError names what went wrong in its "id" ("web.incoming_webhook.channel.app_error").
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string code;
  if (body.is_object()) {
    const auto id = body.find("id");
    if (id != body.end() && id->is_string()) code = id->get<std::string>();
  }
  // A 400 naming the webhook says the hook is gone or wrong, not the message; 501 is a server
  // with incoming webhooks turned off. Neither passes by retrying.
  if (std::holds_alternative<Refused>(result) && code.starts_with("web.incoming_webhook.invalid")) {
    result = GiveUp{std::get<Refused>(result).error};
  } else if (response.status == 501) {
    result = GiveUp{delivery_error(result)};
  }
  rewrite_delivery_error(result,
                         [&code](const std::string& error) { return describe_error("mattermost " + error, code); });
  return result;
}

}  // namespace slabot
