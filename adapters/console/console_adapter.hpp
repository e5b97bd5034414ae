#pragma once
// The terminal "platform" behind `slabot console`: no HTTP, no signatures; messages the bot
// starts are rendered as the lines the console prints.
#include <string>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"

namespace slabot {

class ConsoleAdapter final : public ChatAdapter {
 public:
  explicit ConsoleAdapter(const Connection&) {}

  std::string adapter_name() const override { return "console"; }
  // The console takes no webhooks: any HTTP request for it is refused.
  VerifyResult verify(const HttpRequest& request, Timestamp now) const override;
  ParseOutcome parse(const HttpRequest& request) const override;
  HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const override;
  // method "PRINT", url "console:<chat id>", body the line to print with its @-mentions.
  OutboundRequest render(const OutboundMessage& message, Timestamp now) const override;
  // The console's printer answers 200 once the line is printed; anything else is a request it
  // cannot print, and retrying would not help.
  DeliveryResult interpret(const HttpResponse& response) const override;
  RateLimit rate_limit() const override { return {}; }
};

}  // namespace slabot
