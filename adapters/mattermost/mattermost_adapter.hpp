#pragma once
// Mattermost: custom slash commands in (Slack-compatible form posts), an incoming webhook out.
//
// Secrets (Connection::secrets):
//   token  required. The slash command's token (Integrations > Slash Commands). Mattermost
//          sends it as the form field `token` and as "Authorization: Token <token>"; whichever
//          is present must match (compared in constant time), and at least one must be.
//   action_url     optional, not secret: slabot's public URL of this connection's hook
//                  (https://bot.example.com/hooks/<connection>), where buttons post their taps.
//                  Without it the bot's messages carry no buttons.
//   action_secret  required with action_url: the key slabot signs each button's context with
//                  (mattermost_buttons.hpp), since Mattermost signs nothing. Any long random string.
// outbound_url: an incoming webhook (https://<server>/hooks/<id>), for messages the bot starts.
//
// Mattermost signs nothing and sends no timestamp, so a request captured off the wire could be
// replayed for as long as the token is valid. What limits that: TLS (configure the command's
// Request URL as https), the bot's deduplication on trigger_id (a replay of a handled command
// gives the stored answer and changes nothing), and regenerating the token if it leaks.
//
// Inbound:  as Slack: text "/ticket ack 12" from command "/ticket" + text "ack 12";
//           event_id = trigger_id (else response_url, which is also unique per invocation);
//           reply_url = response_url. The command must be configured as POST.
//           chat_id = channel_name (the channel's URL name, e.g. "town-square"), because that
//           is what an incoming webhook's "channel" field takes: messages the bot starts can
//           then reach each partner channel through one webhook. Renaming a channel's URL means
//           updating the config's chat_id.
//           user_id = the user's id (stable; usernames can be changed by their owner).
// Reply:    in the HTTP answer (3 s): {"response_type":"in_channel","text":...}; nothing to say:
//           {"response_type":"ephemeral","text":""}, which Mattermost posts nowhere.
// Outbound: incoming webhook {"channel": chat_id, "text"}; to a response_url {"response_type":
//           "in_channel","text"}. Mentions: a Mention::user_id that is a Mattermost user id
//           (26 lower-case letters and digits) is sent as <@id>, which Mattermost's Slack
//           compatibility turns into @username; anything else is taken as the username: @name.
//
// Stream mode ("mode": "stream", bot/stream/mattermost_socket_session): secrets bot_token (a bot
// account's access token) instead of token, and stream_url, the server's https:// address. Posts
// come over the WebSocket; chat_id is then the channel's id, and every message (answers included)
// goes out as POST <stream_url>/api/v4/posts {"channel_id","message"} with the bot token as
// Bearer; an answer also carries "root_id" (OutboundMessage::thread_id: the thread of the post it
// answers, or that post itself when it is a root post), so it lands in the thread. In webhook mode
// the server does that itself: a slash command typed in a thread has its answer posted there
// (HandleCommandResponsePost sets the post's RootId from the command's, server app/command.go),
// and the command request carries no post id to thread on. No buttons: their taps post to /hooks/<connection>, which a
// stream connection lacks.
#include <string>

#include "adapters/chat_adapter.hpp"
#include "adapters/mattermost/mattermost_buttons.hpp"
#include "config/config.hpp"

namespace slabot {

class MattermostAdapter final : public ChatAdapter {
 public:
  // Throws std::invalid_argument when the connection has no (or an empty) "token" (in stream
  // mode: "bot_token", and a stream_url that is not https://).
  explicit MattermostAdapter(const Connection& connection);

  std::string adapter_name() const override { return "mattermost"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  // With buttons: attachments; a tap's answer: the integration response (update or ephemeral_text).
  HttpAnswer sync_answer(const InboundMessage& message, const Reply& reply) const override;
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // Webhooks answer "ok", or an HTTP error with a JSON AppError {"id":...}; 429 (when the
  // server's rate limiting is on) carries Retry-After.
  DeliveryResult interpret(const HttpResponse& response) const override;
  // Mattermost's own rate limiting, when an administrator turns it on, defaults to 10 a second.
  RateLimit rate_limit() const override { return {10, std::chrono::seconds(1)}; }

 private:
  // Stream mode: POST /api/v4/posts with the bot token.
  OutboundRequest render_post(const OutboundMessage& message, Timestamp now) const;

  std::string token_;  // webhook mode only
  std::string outbound_url_;
  // Stream mode: the server's base URL and the bot's token, for REST posts.
  std::string server_;
  std::string bot_token_;
  mattermost::ActionEndpoint actions_;  // empty: no buttons
};

}  // namespace slabot
