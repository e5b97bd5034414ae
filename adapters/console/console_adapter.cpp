#include "adapters/console/console_adapter.hpp"

namespace slabot {

VerifyResult ConsoleAdapter::verify(const HttpRequest&, Timestamp) const {
  return Rejected{404, "the console adapter takes no webhooks"};
}

ParseOutcome ConsoleAdapter::parse(const HttpRequest&) const {
  return Rejected{404, "the console adapter takes no webhooks"};
}

HttpAnswer ConsoleAdapter::sync_reply(const InboundMessage&, const std::string& reply) const {
  return HttpAnswer{200, "text/plain; charset=utf-8", reply};
}

OutboundRequest ConsoleAdapter::render(const OutboundMessage& message, Timestamp) const {
  OutboundRequest request;
  request.method = "PRINT";
  request.url = "console:" + message.chat_id;
  request.body = message.text;
  for (const auto& person : message.mentions) request.body += " @" + person.user_id;
  return request;
}

DeliveryResult ConsoleAdapter::interpret(const HttpResponse& response) const {
  if (response.status == 200) return Delivered{};
  return GiveUp{"console: " + std::to_string(response.status) + " " + response.body};
}

}  // namespace slabot
