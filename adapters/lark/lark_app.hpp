#pragma once
// Lark / Feishu messages sent as the app (its bot), for the cards whose buttons call back.
//
// Lark runs a card's callback buttons only for cards the app sends itself, so a message with
// buttons goes through the IM API when the connection has the app's credentials (secrets app_id
// and app_secret, the same the long connection uses): POST <api>/open-apis/im/v1/messages
// ?receive_id_type=chat_id with {"receive_id": chat id, "msg_type": "interactive", "content": the
// card as a JSON string, "uuid": the outbox's message id (Lark sends one message per uuid within
// an hour)} and "Authorization: Bearer <tenant access token>". The token comes from POST
// <api>/open-apis/auth/v3/tenant_access_token/internal {"app_id", "app_secret"} -> {"code": 0,
// "tenant_access_token", "expire": seconds}; it is kept until refresh_margin before it expires,
// and forgotten when an answer says it is invalid (codes 99991661, 99991663, 99991668), so the
// next try fetches another. <api> is the origin of the connection's outbound_url (the custom
// bot's https://open.feishu.cn or https://open.larksuite.com), else https://open.feishu.cn.
// Messages without buttons still go to the groups' custom bots. The app must be in the group.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "adapters/chat_adapter.hpp"

namespace slabot {

class LarkApp {
 public:
  // A token is fetched again when it has less than this left.
  static constexpr Duration refresh_margin = std::chrono::minutes(5);
  static constexpr const char* token_path = "/open-apis/auth/v3/tenant_access_token/internal";
  static constexpr const char* messages_path = "/open-apis/im/v1/messages?receive_id_type=chat_id";

  LarkApp(std::string app_id, std::string app_secret, std::string api_base);

  // The token request when none is held valid at `now`; nullopt otherwise.
  std::optional<OutboundRequest> credential_request(Timestamp now) const;
  // Keeps the token from the answer: Delivered, or why there is none (a wrong app secret is
  // GiveUp: the same request fails again).
  DeliveryResult take_credential(const HttpResponse& response, Timestamp at) const;
  // The card (lark_card) as the IM API's request, with the token held.
  OutboundRequest render(const OutboundMessage& message) const;
  // Forgets the token when `response` says it is not valid (expired early, app reset).
  void forget_token_if_refused(const HttpResponse& response) const;

  // The origin of `outbound_url` ("https://open.larksuite.com"), else Lark's public API.
  static std::string api_base_of(const std::string& outbound_url);

 private:
  std::string app_id_;
  std::string app_secret_;
  std::string api_base_;
  mutable std::mutex mutex_;  // the outbox renders and reads answers on different threads
  mutable std::string token_;
  mutable Timestamp token_expires_{};
};

}  // namespace slabot
