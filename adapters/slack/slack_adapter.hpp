#pragma once
// Slack: slash commands in, chat.postMessage or a webhook out.
//
// Secrets (Connection::secrets):
//   signing_secret  required. The app's Signing Secret (Basic Information page). Every request
//                   is checked against it: X-Slack-Signature = "v0=" + hex HMAC-SHA256(secret,
//                   "v0:" + X-Slack-Request-Timestamp + ":" + raw body), timestamp within 5 min.
//                   Not used in Socket Mode ("mode": "stream": app_token and bot_token instead,
//                   bot/stream/slack_socket_session.hpp), whose verify() refuses every request.
//   bot_token       the bot's xoxb- token; required when messages go through chat.postMessage
//                   (outbound_url ending in /api/chat.postMessage, or empty outbound_url with a
//                   token, which then defaults to https://slack.com/api/chat.postMessage).
// outbound_url: https://slack.com/api/chat.postMessage, or an incoming webhook
//   (https://hooks.slack.com/services/...), which is bound to one channel. Empty without a
//   bot_token: the connection only answers commands.
//
// Inbound:  a slash command (form-encoded POST). `/ticket ack 12` arrives as command "/ticket"
//           and text "ack 12" and becomes the text "/ticket ack 12"; an app that registers
//           `/ack` gives "/ack 12". chat_id = channel_id, event_id = trigger_id, reply_url =
//           response_url. Slack's SSL check (ssl_check=1) gets an empty 200; an Events API
//           url_verification gets its challenge back; other events are acknowledged and ignored.
// Reply:    in the HTTP answer (Slack allows 3 s): {"response_type":"in_channel","text":...};
//           nothing to say: an empty 200, which Slack takes as a bare acknowledgement.
// Outbound: chat.postMessage {"channel","text"} with "Authorization: Bearer <bot_token>", or to
//           a webhook / response_url {"text"} (response_url also gets "response_type":
//           "in_channel", since it defaults to ephemeral). Mentions are <@U123>.
// Buttons:  a message with actions carries Block Kit blocks (slack_buttons.hpp); a tap comes as an
//           interactivity request (payload=<block_actions JSON>) to the same hook path (set the
//           app's Interactivity Request URL to it), signed and checked like a slash command. Its
//           answer updates the tapped message through the response_url, or tells the person who
//           tapped alone (ephemeral) why nothing changed.
#include <string>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"

namespace slabot {

class SlackAdapter final : public ChatAdapter {
 public:
  // How far X-Slack-Request-Timestamp may be from `now`, either way (Slack's advice).
  static constexpr Duration replay_window = std::chrono::minutes(5);
  static constexpr const char* default_api_url = "https://slack.com/api/chat.postMessage";

  // Throws std::invalid_argument naming a missing secret (never its value).
  explicit SlackAdapter(const Connection& connection);

  std::string adapter_name() const override { return "slack"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  // A slash command's answer with its buttons (Block Kit); a tap's request gets a bare 200, its
  // answer going to the response_url through the outbox.
  HttpAnswer sync_answer(const InboundMessage& message, const Reply& reply) const override;
  // Taps answer through their response_url (the outbox), to update the tapped message.
  ReplyRoute reply_route(const InboundMessage& message) const override {
    return message.tap ? ReplyRoute::via_outbox : ReplyRoute::in_response;
  }
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // chat.postMessage answers {"ok":false,"error":...} (often with HTTP 200); webhooks answer
  // "ok" or an HTTP error whose body is the code; 429 carries Retry-After.
  DeliveryResult interpret(const HttpResponse& response) const override;
  // Slack allows about one message a second per channel.
  RateLimit rate_limit() const override { return {1, std::chrono::seconds(1)}; }

 private:
  std::string signing_secret_;
  std::string bot_token_;
  std::string outbound_url_;
};

}  // namespace slabot
