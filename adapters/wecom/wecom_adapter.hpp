#pragma once
// WeCom (企业微信): encrypted callbacks from a group robot (群机器人回调) or an application, and
// the group robot's webhook for everything the bot sends.
//
// Secrets (Connection::secrets):
//   token             required. The callback Token: 3 to 32 letters or digits; keys msg_signature.
//   encoding_aes_key  required. The callback EncodingAESKey: 43 letters or digits, the base64 of
//                     the 32-byte AES key without its final '='.
//   corp_id           optional. The CorpID an application's callbacks are sealed for. Leave it
//                     out for a group robot, whose envelopes carry an empty receive id (vendor:
//                     "在群机器人的使用场景里，receiveid直接传空字符串"). Whichever applies must match
//                     exactly, or the callback is refused.
//   bot_name          optional, not secret. The robot's display name, so "@name" is stripped
//                     even when the name holds a space; without it the leading @-word is.
// outbound_url: the robot's webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY
//               (the key is a credential: never logged, never in an error string).
//
// Inbound:  msg_signature, timestamp, nonce (and echostr for the URL check) in the query,
//           percent-decoded; msg_signature = hex(SHA-1(sorted(token, timestamp, nonce,
//           encrypted text))), the encrypted text being echostr (GET) or the body's <Encrypt>
//           (POST). Timestamps more than 5 minutes off are refused: WeCom retries within
//           seconds (three times, 5 s apart), so a wider window would only help replays; MsgId
//           is the dedup key.
//           GET (URL check) is answered with the decrypted echostr alone, text/plain.
//           POST group robot text/mixed messages: ChatId, From/UserId, From/Name, Text/Content,
//           MsgId, WebhookUrl (the reply url, normalised to https://qyapi.weixin.qq.com).
//           POST application text messages: FromUserName (user and chat), Content, MsgId.
//           Events, images and attachments are acknowledged and ignored.
// Reply:    via the outbox to the robot's webhook. The callback itself is answered 200 with an
//           empty body, which the vendor documents as "no passive reply" (an encrypted passive
//           reply would have to be ready within WeCom's 5 s).
// Outbound: {"msgtype":"text","text":{"content":"...","mentioned_list":["userid",...]}}, content
//           cut to 2048 bytes on a UTF-8 boundary; plain text rather than markdown because the
//           robot's markdown cannot escape what users typed into ticket titles.
#include <string>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"

namespace slabot {

class WeComAdapter final : public ChatAdapter {
 public:
  static constexpr Duration replay_window = std::chrono::minutes(5);
  // The group robot takes 20 messages a minute.
  static constexpr int messages_per_minute = 20;
  // After errcode 45009 (too many calls), wait for the robot's minute to pass.
  static constexpr Duration rate_limited_wait = std::chrono::minutes(1);
  // The robot's text content limit, in bytes of UTF-8.
  static constexpr std::size_t max_text_bytes = 2048;

  // Throws std::invalid_argument naming a missing or malformed secret (never its value).
  explicit WeComAdapter(const Connection& connection);

  std::string adapter_name() const override { return "wecom"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  bool accepts_get() const override { return true; }  // the signed URL check
  ParseOutcome parse(const HttpRequest& request) const override;
  // 200 with an empty body: WeCom's "received, no passive reply". The answer goes via the outbox.
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  ReplyRoute reply_route(const InboundMessage&) const override { return ReplyRoute::via_outbox; }
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // Reads errcode from the body: WeCom reports failures with HTTP 200.
  DeliveryResult interpret(const HttpResponse& response) const override;
  RateLimit rate_limit() const override { return {messages_per_minute, std::chrono::minutes(1)}; }

 private:
  ParseOutcome parse_message(const std::string& plaintext) const;

  std::string token_;
  std::string aes_key_;     // 32 raw bytes
  std::string receive_id_;  // corp_id, or empty for a group robot
  std::string bot_name_;
  std::string outbound_url_;
};

}  // namespace slabot
