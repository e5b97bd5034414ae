#pragma once
// Microsoft Teams: an outgoing webhook in (the channel @-mentions the bot), an incoming webhook
// (Workflows, or a retiring Office 365 connector) out.
//
// Secrets (Connection::secrets):
//   security_token  required. The base64 security token Teams shows once when the outgoing
//                   webhook is created. Requests carry "Authorization: HMAC " + base64(
//                   HMAC-SHA256(key = base64-decode(security_token), raw body)).
// outbound_url: the incoming webhook's URL (a Workflows "when a Teams webhook request is
//   received" flow, or https://<tenant>.webhook.office.com/...). A webhook posts to its own
//   channel, so one connection's outbound messages reach one channel.
//
// Teams sends no timestamp, so the HMAC cannot bound replays: deduplication on the activity id
// is what makes a replayed request harmless (same answer, no second state change).
//
// Inbound:  a Bot Framework "message" activity. text without the leading <at>Bot</at> and with
//           HTML entities decoded; event_id = id; chat_id = the channel
//           (channelData.teamsChannelId, else channelData.channel.id, else conversation.id
//           without its ";messageid=..." thread suffix, so every thread of a channel is one
//           chat); user_id = from.aadObjectId (else from.id); user_name = from.name.
//           Other activity types are acknowledged and ignored.
// Reply:    in the HTTP answer, within Teams' 5 s: {"type":"message","text":...}. Teams shows an
//           error for an empty text, so an empty reply is sent as "OK".
// Outbound: an Adaptive Card attachment whose TextBlock ends with <at>Name</at> for each
//           mention, with msteams.entities [{type:"mention", text:"<at>Name</at>",
//           mentioned:{id: user_id (an AAD object id or UPN), name}}].
#include <string>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"

namespace slabot {

class TeamsAdapter final : public ChatAdapter {
 public:
  // What an empty reply becomes: Teams refuses a message without text.
  static constexpr const char* empty_reply_text = "OK";

  // Throws std::invalid_argument when "security_token" is missing, empty or not base64.
  explicit TeamsAdapter(const Connection& connection);

  std::string adapter_name() const override { return "teams"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // Connectors report throttling inside a 200 ("... returned HTTP error 429 ..."); Workflows
  // answer 202, and 429 with Retry-After.
  DeliveryResult interpret(const HttpResponse& response) const override;
  // Teams allows a webhook 4 a second and 60 per 30 s (then 100 an hour, 1800 a day, which one
  // window cannot express; going over those comes back as a 429 and is retried). Two a second
  // keeps under both short windows whatever the burst.
  RateLimit rate_limit() const override { return {2, std::chrono::seconds(1)}; }

 private:
  std::string key_;  // the decoded security token
  std::string outbound_url_;
};

}  // namespace slabot
