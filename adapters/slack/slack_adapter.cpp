#include "adapters/slack/slack_adapter.hpp"

#include <charconv>
#include <cstdint>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/slack/error_code.hpp"
#include "adapters/slack/form_body.hpp"
#include "adapters/slack/slack_buttons.hpp"
#include "adapters/slack/slack_markup.hpp"
#include "adapters/slack/slash_command.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {
namespace {

constexpr const char* timestamp_header = "x-slack-request-timestamp";
constexpr const char* signature_header = "x-slack-signature";
constexpr std::string_view signature_prefix = "v0=";

bool is_web_api(const std::string& url) { return url.ends_with("/api/chat.postMessage"); }

// A slash command's response_url (hooks.slack.com/commands/...): messages there are ephemeral
// unless they say otherwise.
bool is_response_url(const std::string& url) { return url.find("/commands/") != std::string::npos; }

// Error codes that say "later": rate limits and Slack's own transient failures.
bool transient_error(const std::string& code) {
  static const std::set<std::string> codes{"ratelimited",     "rate_limited",        "internal_error",   "fatal_error",
                                           "request_timeout", "service_unavailable", "team_added_to_org"};
  return codes.contains(code);
}

// Incoming-webhook error bodies that name the destination, not the message.
bool webhook_config_error(const std::string& code) {
  static const std::set<std::string> codes{"user_not_found",      "channel_not_found",
                                           "channel_is_archived", "no_service",
                                           "no_service_id",       "no_team",
                                           "team_disabled",       "invalid_token",
                                           "action_prohibited",   "posting_to_general_channel_denied"};
  return codes.contains(code);
}

// Codes that say this message's content is wrong (chat.postMessage's errors), not the token or
// the channel: the outbox tries it outbox.max_attempts times, then it is dead.
bool content_error(const std::string& code) {
  static const std::set<std::string> codes{
      "msg_too_long",        "no_text",           "invalid_blocks",    "invalid_blocks_format", "too_many_attachments",
      "invalid_attachments", "invalid_arguments", "invalid_form_data", "invalid_json",          "json_not_object"};
  return codes.contains(code);
}

std::string text_with_mentions(const OutboundMessage& message) {
  std::string text = slack_escape(message.text);
  for (const auto& mention : message.mentions) {
    if (mention.user_id.empty()) continue;
    text += (text.empty() ? "<@" : " <@") + slack_escape(mention.user_id) + ">";
  }
  return text;
}

}  // namespace

SlackAdapter::SlackAdapter(const Connection& connection) : outbound_url_(connection.outbound_url) {
  // Socket Mode hears Slack over its own socket: no request to check, no signing_secret.
  if (connection.mode != ConnectionMode::stream)
    signing_secret_ = required_secret(connection, "slack", "signing_secret");
  bot_token_ = secret_or_empty(connection, "bot_token");
  if (outbound_url_.empty() && !bot_token_.empty()) outbound_url_ = default_api_url;
  if (is_web_api(outbound_url_) && bot_token_.empty()) {
    throw std::invalid_argument("slack connection '" + connection.name +
                                "' sends through chat.postMessage and needs a non-empty secret "
                                "\"bot_token\"");
  }
}

VerifyResult SlackAdapter::verify(const HttpRequest& request, Timestamp now) const {
  if (signing_secret_.empty()) return Rejected{401, "a Socket Mode connection takes no HTTP requests"};
  const std::string& timestamp = request.header(timestamp_header);
  const std::string& signature = request.header(signature_header);
  if (timestamp.empty() || signature.empty()) {
    return Rejected{401, "missing X-Slack-Request-Timestamp or X-Slack-Signature"};
  }
  const auto seconds = parse_unix_seconds(timestamp);
  if (!seconds) return Rejected{401, "X-Slack-Request-Timestamp is not unix seconds"};
  const Duration skew = now - from_unix_ms(*seconds * 1000);
  if (skew > replay_window || skew < -replay_window) {
    return Rejected{401, "X-Slack-Request-Timestamp outside the 5 minute window"};
  }
  const std::string_view sent(signature);
  if (!sent.starts_with(signature_prefix)) return Rejected{401, "X-Slack-Signature lacks v0="};
  const auto sent_mac = hex_decode(sent.substr(signature_prefix.size()));
  if (!sent_mac) return Rejected{401, "X-Slack-Signature is not hex"};
  // The timestamp is signed exactly as received, and the body byte for byte.
  const std::string expected = hmac_sha256(signing_secret_, "v0:" + timestamp + ":" + request.body);
  if (!constant_time_equal(*sent_mac, expected)) return Rejected{401, "X-Slack-Signature mismatch"};
  return Verified{};
}

ParseOutcome SlackAdapter::parse(const HttpRequest& request) const {
  // The Events API posts JSON; its URL check must be answered with the challenge.
  if (!request.body.empty() && request.body.front() == '{') {
    const auto body = parse_json(request.body);
    if (body.is_discarded() || !body.is_object()) return Rejected{400, "body is not a JSON object"};
    const auto type = body.find("type");
    if (type != body.end() && *type == "url_verification") {
      const auto challenge = body.find("challenge");
      if (challenge == body.end() || !challenge->is_string()) {
        return Rejected{400, "url_verification without a challenge"};
      }
      return HttpAnswer{200, "application/json", dump_json({{"challenge", *challenge}})};
    }
    return ParsedMessages{};  // events are not what this adapter listens to
  }

  const auto form = parse_form(request.body);
  if (!form) return Rejected{400, "body is not a form"};
  // Slack checks the certificate of a command URL with ssl_check=1: nothing to do but say 200.
  if (form_field(*form, "ssl_check") == "1") return HttpAnswer{200, "text/plain; charset=utf-8", ""};
  // A tap on one of the bot's buttons: an interactivity request, payload=<JSON>.
  if (form->contains("payload") && !form->contains("command")) {
    auto tap = slack_tap_from(form_field(*form, "payload"));
    if (auto* message = std::get_if<InboundMessage>(&tap)) return one_message(std::move(*message));
    if (auto* rejected = std::get_if<Rejected>(&tap)) return std::move(*rejected);
    return std::get<ParsedMessages>(std::move(tap));
  }
  // Anything else without a command is not for us.
  if (!form->contains("command")) return ParsedMessages{};

  auto command = slash_command_from(*form);
  if (auto* rejected = std::get_if<Rejected>(&command)) return std::move(*rejected);
  auto& slash = std::get<SlashCommand>(command);
  // Users typed in the text; Slack may have rewritten names as <@U1|ann>: keep who they are,
  // and give the words back.
  auto mentions = slack_user_mentions(slash.text);
  slash.text = slack_plain_text(slash.text);

  InboundMessage message;
  message.platform = adapter_name();
  message.event_id = slash.event_id();
  message.chat_id = slash.channel_id;
  message.user_id = slash.user_id;
  message.user_name = slash.user_name.empty() ? slash.user_id : slash.user_name;
  message.text = slash.command_line();
  message.reply_url = slash.response_url;
  message.mentions = std::move(mentions);
  return one_message(std::move(message));
}

HttpAnswer SlackAdapter::sync_reply(const InboundMessage&, const std::string& reply) const {
  // An empty 200 acknowledges the command without posting anything.
  if (reply.empty()) return HttpAnswer{200, "text/plain; charset=utf-8", ""};
  return HttpAnswer{200, "application/json",
                    dump_json({{"response_type", "in_channel"}, {"text", slack_escape(reply)}})};
}

HttpAnswer SlackAdapter::sync_answer(const InboundMessage& message, const Reply& reply) const {
  // A tap's answer goes to its response_url (slack_tap_answer): the request gets a bare 200.
  if (message.tap) return HttpAnswer{200, "text/plain; charset=utf-8", ""};
  if (reply.actions.empty() || reply.text.empty()) return sync_reply(message, reply.text);
  const std::string text = slack_escape(reply.text);
  return HttpAnswer{
      200, "application/json",
      dump_json({{"response_type", "in_channel"}, {"text", text}, {"blocks", slack_blocks(text, reply.actions)}})};
}

OutboundRequest SlackAdapter::render(const OutboundMessage& message, Timestamp) const {
  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? outbound_url_ : message.url;
  request.headers["Content-Type"] = "application/json; charset=utf-8";
  const std::string text = text_with_mentions(message);
  if (message.tap) {
    // The answer to a tap, to its response_url: never with the bot token.
    request.body = dump_json(slack_tap_answer(*message.tap, text));
    return request;
  }
  auto body = is_response_url(request.url) ? nlohmann::json{{"response_type", "in_channel"}, {"text", text}}
                                           : nlohmann::json{{"text", text}};
  if (!message.actions.empty()) body["blocks"] = slack_blocks(text, message.actions);
  if (is_web_api(request.url)) {
    body["channel"] = message.chat_id;
    request.body = dump_json(body);
    // The token goes only to the Web API the config names or to slack.com itself: never to a
    // webhook, nor to a URL that merely ends like the API.
    if (request.url == outbound_url_ || request.url.starts_with("https://slack.com/api/")) {
      request.headers["Authorization"] = "Bearer " + bot_token_;
    }
  } else {
    request.body = dump_json(body);  // a response_url, or an incoming webhook posting to its own channel
  }
  return request;
}

DeliveryResult SlackAdapter::interpret(const HttpResponse& response) const {
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.contains("ok") && body["ok"].is_boolean()) {
    if (body["ok"].get<bool>()) return Delivered{};
    const auto error = body.find("error");
    const std::string code = error != body.end() && error->is_string() ? error->get<std::string>() : "";
    const std::string description = describe_error("slack", code);
    if (response.status == 429 || code == "ratelimited" || code == "rate_limited") {
      return Throttled{retry_after(response), description};
    }
    if (transient_error(code)) return RetryLater{retry_after(response), description};
    if (content_error(code)) return Refused{description};
    return GiveUp{description};
  }
  // Webhooks answer "ok", or an HTTP error whose plain-text body is the code.
  DeliveryResult result = interpret_http_status(response);
  // Incoming webhooks answer a 400 for a removed channel, user or service too: the config's.
  if (std::holds_alternative<Refused>(result) && webhook_config_error(response.body)) {
    result = GiveUp{delivery_error(result)};
  }
  rewrite_delivery_error(
      result, [&response](const std::string& error) { return describe_error("slack " + error, response.body); });
  return result;
}

}  // namespace slabot
