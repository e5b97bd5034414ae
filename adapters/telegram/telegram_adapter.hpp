#pragma once
// Telegram: a bot receiving Updates by webhook, and sendMessage for everything the bot starts.
//
// Secrets (Connection::secrets):
//   webhook_secret  required. The secret_token given to setWebhook (1 to 256 of A-Z a-z 0-9 _ -):
//                   Telegram sends it in X-Telegram-Bot-Api-Secret-Token with every update.
//   bot_token       required unless outbound_url is set. The token from @BotFather
//                   ("123456:ABC..."); sends go to https://api.telegram.org/bot<token>/sendMessage.
//                   That URL holds the token: it is never logged nor put in an error string.
//   bot_username    optional, not secret. The bot's username (with or without '@'), so a message
//                   starting "@username /ticket ..." reaches the parser as "/ticket ...".
//                   "/ticket@username" is passed through unchanged: the command parser matches the
//                   suffix against the config's bot_name, which must then be the bot's username.
// outbound_url: optional; replaces the sendMessage URL (a Bot API server of one's own).
// mode "stream": the bot polls getUpdates instead (adapters/telegram/telegram_polling.hpp,
//           bot/stream/telegram_session.hpp): bot_token is required, webhook_secret is not, and
//           every webhook request is refused; sendMessage goes under stream_url when one is set.
//
// Inbound:  POST, JSON Update. The secret header is compared in constant time; there is no
//           signature over the body and no timestamp, so update_id is the dedup key.
//           message with text: chat.id (negative for groups, kept as a string), from.id,
//           first and last name (else username), text. edited_message, channel_post, membership
//           changes and messages without text carry nothing for the bot. callback_query: a tap
//           on one of the bot's buttons (telegram_buttons.hpp), parsed in the same Update.
// Reply:    in the webhook's HTTP answer, {"method":"sendMessage","chat_id":..,"text":..}, which
//           costs no extra call. It is sent as plain text, without parse_mode: Telegram never
//           reports the outcome of such a call, and plain text cannot fail to parse.
// Outbound: sendMessage {"chat_id","text","parse_mode":"HTML"}, the text HTML-escaped and
//           mentions as <a href="tg://user?id=ID">Name</a> in front; 4096 characters (UTF-16
//           code units) at most. Failures are {"ok":false,"error_code","description",
//           "parameters":{"retry_after","migrate_to_chat_id"}}.
#include <string>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"

namespace slabot {

class TelegramAdapter final : public ChatAdapter {
 public:
  // sendMessage's text limit, counted after entity parsing, in UTF-16 code units.
  static constexpr std::size_t max_text_units = 4096;
  // Telegram's documented limit in a group: 20 messages a minute (and about 1 a second in any
  // chat; bursts beyond it get 429 with retry_after, which interpret() honours).
  static constexpr int messages_per_minute = 20;

  // Throws std::invalid_argument naming a missing or malformed secret (never its value).
  explicit TelegramAdapter(const Connection& connection);

  std::string adapter_name() const override { return "telegram"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  // sendMessage as a webhook answer; 200 {} when there is nothing to say.
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  // With buttons: sendMessage's reply_markup; a tap's answer: answerCallbackQuery (telegram_buttons.hpp).
  HttpAnswer sync_answer(const InboundMessage& message, const Reply& reply) const override;
  // Polled updates have no HTTP answer to carry a reply: it goes as sendMessage from the outbox.
  // A tap's answer edits the tapped message or alerts the tapper: calls of their own, through the
  // outbox, queued with the change.
  ReplyRoute reply_route(const InboundMessage& message) const override {
    return polling_ || message.tap ? ReplyRoute::via_outbox : ReplyRoute::in_response;
  }
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  DeliveryResult interpret(const HttpResponse& response) const override;
  RateLimit rate_limit() const override { return {messages_per_minute, std::chrono::minutes(1)}; }

 private:
  bool polling_ = false;  // mode stream: updates come by getUpdates, never by webhook
  std::string webhook_secret_;
  std::string bot_username_;  // without '@'; empty: strip no mention
  std::string send_url_;      // holds the token unless outbound_url replaced it
};

}  // namespace slabot
