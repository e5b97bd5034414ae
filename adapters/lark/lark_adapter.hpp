#pragma once
// Lark / Feishu (飞书): event subscription v2 (Webhook mode) for messages that @-mention the
// bot, the group custom bot for messages the bot starts.
//
// Secrets (Connection::secrets):
//   encrypt_key         optional. The app's Encrypt Key (Events and Callbacks > Encryption
//                       Strategy). With one (encrypted mode), Lark encrypts every body and signs
//                       every event. Without one (plain mode), Lark sends plain JSON and the
//                       verification token is the only check: a static secret inside every body,
//                       so anyone who has seen one event can forge others. Lark recommends a key.
//   verification_token  required in webhook mode (unused in stream mode). Checked on the URL verification (which Lark
//   does not sign)
//                       and in every event's token (header.token; the top-level token in the
//                       v1 shape).
//   app_id, app_secret  optional, together. The app's credentials: messages with buttons go as
//                       cards through the app (lark_app.hpp), whose taps call back. Without
//                       them, messages carry no buttons.
//   bot_secret          optional. The custom bot's signing secret: when set, every send carries
//                       "timestamp" and "sign" in the body. Leave it out for a bot secured by
//                       keywords or an IP allow-list; present but empty is an error.
// Stream mode ("mode": "stream", bot/stream/lark_stream_session): app_id and app_secret open Lark's
//           long connection; its data frames carry the same event JSON as a webhook body, which
//           parse() reads (the HttpRequest's body), without a token check: they come over the
//           socket the app's secret opened. verify() refuses every HTTP callback. Answers go out
//           as in webhook mode (the outbox, the custom bot's outbound_url); those with buttons as
//           the app's cards on stream_url (or the custom bot's host), whose taps come back over
//           the long connection (card.action.trigger), answered in the frame's ack.
// Per group (Connection::group_secrets, from channels[].secrets):
//   bot_secret          optional. The group's own custom bot's secret: signs messages to that
//                       group that carry a url (the channel's outbound_url). Messages without one
//                       go to the connection's outbound_url, signed with its bot_secret.
// outbound_url: the custom bot's webhook, https://open.feishu.cn/open-apis/bot/v2/hook/<token>
//               (Lark: open.larksuite.com).
//
// Inbound, encrypted mode:
//           body {"encrypt": base64(IV || AES-256-CBC(SHA-256(encrypt_key), IV, JSON))};
//           X-Lark-Signature = hex(SHA-256(X-Lark-Request-Timestamp + X-Lark-Request-Nonce +
//           encrypt_key + raw body)), timestamp in seconds, within an hour either way (Lark
//           publishes no window; a replay inside it can only repeat an event_id the dedup table
//           already holds, and a short window could refuse Lark's own retries). The URL
//           verification comes unsigned and is accepted on its verification token alone.
// Inbound, plain mode: the body is the event's JSON; its token must be the verification token
//           (401 otherwise, before anything is parsed). X-Lark-* headers are not read: Lark's
//           signature is keyed with the Encrypt Key, which a plain-mode app does not have.
// Mixed:    an app has one mode, so a body in the other one is not Lark's (or the two sides are
//           configured differently) and is refused with 400, the log saying which side to fix.
// Messages: im.message.receive_v1 text messages from users; user_id = sender's open_id (what
//           <at user_id=...> takes and the staff list holds for "lark"); event_id =
//           header.event_id. The event carries no sender name, so user_name is the open_id.
// Card taps: card.action.trigger callbacks on the same URL, verified like events, answered in
//           the HTTP answer (lark_card.hpp).
// Reply:    via the outbox (event answers carry no message; Lark wants 200 within 3 s and
//           retries otherwise), so the callback is answered 200 {} at once.
// Outbound: {"msg_type":"text","content":{"text":"... <at user_id=\"ou_x\">Name</at>"}}, signed
//           with sign = base64(HMAC-SHA256(key = timestamp + "\n" + bot_secret, message = "")),
//           the body kept under 20 KB by shortening the text.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "adapters/chat_adapter.hpp"
#include "adapters/lark/lark_app.hpp"
#include "adapters/wire/secrets.hpp"
#include "config/config.hpp"

namespace slabot {

class LarkAdapter final : public ChatAdapter {
 public:
  static constexpr Duration replay_window = std::chrono::hours(1);
  // The custom bot takes at most 20 KB a request.
  static constexpr std::size_t max_body_bytes = 20000;

  // Throws std::invalid_argument when verification_token is missing or empty (webhook mode), or encrypt_key
  // or bot_secret is present but empty.
  explicit LarkAdapter(const Connection& connection);

  // What check-config says about a connection: which mode it runs in.
  static std::string mode_of(const Connection& connection);

  std::string adapter_name() const override { return "lark"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  // The fast acknowledgement: 200 {}. The answer itself goes through the outbox.
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  // A card tap is answered in the callback's HTTP answer (a toast, the updated card:
  // lark_card.hpp); anything else as sync_reply.
  HttpAnswer sync_answer(const InboundMessage& message, const Reply& reply) const override;
  // Events through the outbox; a card tap in the HTTP answer, which is all Lark shows the tapper.
  ReplyRoute reply_route(const InboundMessage& message) const override {
    return message.tap ? ReplyRoute::in_response : ReplyRoute::via_outbox;
  }
  // A message with buttons goes as a card through the app (lark_app.hpp) when the connection
  // has app_id and app_secret; anything else as text to the custom bot.
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // Reads "code" from the body: the custom bot and the IM API report failures in it.
  DeliveryResult interpret(const HttpResponse& response) const override;
  // The app's tenant access token, for messages with buttons (lark_app.hpp).
  std::optional<OutboundRequest> credential_request(const OutboundMessage& message, Timestamp now) const override;
  DeliveryResult take_credential(const HttpResponse& response, Timestamp at) const override;
  // 100 a minute and 5 a second per bot: 5 per 3 s keeps both in any sliding window.
  RateLimit rate_limit() const override { return {5, std::chrono::seconds(3)}; }

 private:
  bool stream_ = false;      // a long connection's events, no HTTP callbacks
  std::string encrypt_key_;  // empty: plain mode
  std::string verification_token_;
  GroupSecret bot_secret_;  // signs messages to the bot (empty: send unsigned)
  std::string outbound_url_;
  std::unique_ptr<LarkApp> app_;  // null without app_id and app_secret: no buttons
};

}  // namespace slabot
