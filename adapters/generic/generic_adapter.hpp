#pragma once
// Our own documented JSON webhook, for tools that are not an IM platform (and for tests).
//
// Inbound:  POST /hooks/<connection>, body {"event_id","chat_id","user_id","user_name","text"},
//           headers X-Slabot-Timestamp: <unix seconds>
//                   X-Slabot-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
// Reply:    200 {"reply": "..."}
// Outbound: POST <outbound_url>, body {"chat_id","text","mentions":[...]}, signed the same way.
#include <string>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"

namespace slabot {

class GenericAdapter final : public ChatAdapter {
 public:
  // How far the signed timestamp may be from `now`, either way: bounds replays.
  static constexpr Duration replay_window = std::chrono::minutes(5);

  // Throws std::invalid_argument when the connection has no (or an empty) "secret".
  explicit GenericAdapter(const Connection& connection);

  std::string adapter_name() const override { return "generic"; }
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // Our own endpoint: the HTTP status says it all.
  DeliveryResult interpret(const HttpResponse& response) const override;
  RateLimit rate_limit() const override { return {}; }  // our own endpoint: no platform limit

 private:
  // The X-Slabot-Signature value for a body sent with this timestamp header value.
  std::string signature(const std::string& timestamp, const std::string& body) const;

  std::string secret_;
  std::string outbound_url_;
};

}  // namespace slabot
