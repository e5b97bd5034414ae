#pragma once
// DingTalk (钉钉): the enterprise robot in HTTP mode for messages that @-mention the bot, the
// group custom robot for messages the bot starts.
//
// Secrets (Connection::secrets):
//   app_secret    required. The enterprise robot's AppSecret: checks the `sign` header of
//                 inbound callbacks. Without it anyone could post commands to the hook. Not
//                 used in stream mode ("mode": "stream"), which needs client_id and
//                 client_secret instead (bot/stream/dingtalk_stream_session.hpp) and whose
//                 verify() refuses every HTTP callback.
//   robot_secret  optional. The group custom robot's signing secret ("SEC..."): when set, sends
//                 to the custom robot carry timestamp and sign in the query. Leave it out for a
//                 robot secured by keywords or an IP allow-list instead; present but empty is an
//                 error (an unset ${ENV} would otherwise silently send unsigned).
//   buttons       optional, "links": messages with buttons carry links that make the tapper
//                 send the command (dingtalk_buttons.hpp). Left out: text only.
// Per group (Connection::group_secrets, from channels[].secrets):
//   robot_secret  optional. The group's own custom robot's secret: signs messages to that group
//                 that carry a url (the channel's outbound_url). Messages without one go to the
//                 connection's outbound_url and are signed with the connection's robot_secret.
// outbound_url: the custom robot's webhook, https://oapi.dingtalk.com/robot/send?access_token=...
//
// Inbound:  POST, JSON body; headers timestamp (ms) and
//           sign = base64(HMAC-SHA256(app_secret, timestamp + "\n" + app_secret)),
//           refused when more than an hour off. The signature does not cover the body, so the
//           platform's msgId is the dedup key, and sessionWebhook is trusted only on DingTalk's
//           own host (a replayed signature with a forged body must not redirect replies).
// User id:  senderStaffId (the organisation's userid: what the staff list holds, and what
//           atUserIds expects), else senderId (an opaque id, stable for people outside the
//           organisation, who have no staff id).
// Reply:    via the outbox to sessionWebhook (the vendor documents replies through the session
//           webhook or the robot API, not in the callback's answer); the callback is answered
//           200 {} at once. A session webhook lives about 90 minutes (sessionWebhookExpiredTime,
//           ms): one that has expired, or expires within session_webhook_margin of the callback's
//           timestamp, is not used, so the reply goes to the group's robot instead. One that
//           expires while the reply waits in the outbox answers errcode 300001 "session ...":
//           given up with an error that says so (the outbox row keeps only the url, so there is no
//           robot to fall back to at that point).
// Outbound: {"msgtype":"text","text":{"content"},"at":{"atUserIds":[...],"isAtAll":false}};
//           a mention only shows when "@userid" is also in the text, so render adds it.
//           Custom robot URLs get &timestamp=MS&sign=urlencode(base64(HMAC-SHA256(robot_secret,
//           MS + "\n" + robot_secret))); session webhooks are sent unsigned.
// Buttons: with "buttons": "links", a message with actions goes as an ActionCard (or markdown,
//           when it mentions someone) whose links make the tapper send the command
//           (dingtalk_buttons.hpp).
#include <map>
#include <string>
#include <string_view>

#include "adapters/chat_adapter.hpp"
#include "adapters/wire/secrets.hpp"
#include "config/config.hpp"

namespace slabot {

class DingTalkAdapter final : public ChatAdapter {
 public:
  // DingTalk refuses callbacks whose timestamp is more than an hour from the server's clock.
  static constexpr Duration replay_window = std::chrono::hours(1);
  // The custom robot takes 20 messages a minute; beyond that it is muted for 10 minutes.
  static constexpr int messages_per_minute = 20;
  static constexpr Duration muted_for = std::chrono::minutes(10);
  // Only session webhooks on this prefix are used as reply urls.
  static constexpr std::string_view trusted_reply_prefix = "https://oapi.dingtalk.com/";
  // A session webhook with no more than this left (by sessionWebhookExpiredTime, against the
  // callback's timestamp) is not used: the reply would likely wait past it in the outbox.
  static constexpr Duration session_webhook_margin = std::chrono::minutes(1);

  // Throws std::invalid_argument when app_secret is missing or empty (webhook mode), or
  // robot_secret is empty.
  explicit DingTalkAdapter(const Connection& connection);

  std::string adapter_name() const override { return "dingtalk"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  // The fast acknowledgement: 200 {}. The answer itself goes through the outbox.
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  ReplyRoute reply_route(const InboundMessage&) const override { return ReplyRoute::via_outbox; }
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // Reads errcode from the body: DingTalk reports most failures with HTTP 200.
  DeliveryResult interpret(const HttpResponse& response) const override;
  RateLimit rate_limit() const override { return {messages_per_minute, std::chrono::minutes(1)}; }

 private:
  std::string app_secret_;
  GroupSecret robot_secret_;  // signs messages to the robot (empty: send unsigned)
  std::string outbound_url_;
  bool button_links_ = false;  // "buttons": "links"
};

}  // namespace slabot
