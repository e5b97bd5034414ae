#pragma once
// What transports (the HTTP server, the console) hand inbound messages to.
#include <functional>
#include <string>
#include <vector>

#include "domain/message.hpp"

namespace slabot {

using BotReply = Reply;

class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  // Handles one message. `done` is called exactly once, possibly on another thread, once every
  // change the message caused is durable.
  virtual void handle(InboundMessage message, std::function<void(BotReply)> done) = 0;
};

// The replies to the messages of one request as its one answer: their texts on lines of their own
// (none when every reply went through the outbox) and all their buttons; acted when one acted.
inline BotReply joined_reply(const std::vector<BotReply>& replies, bool via_outbox) {
  BotReply joined;
  for (const auto& reply : replies) {
    if (!via_outbox && !reply.text.empty()) joined.text += (joined.text.empty() ? "" : "\n") + reply.text;
    joined.actions.insert(joined.actions.end(), reply.actions.begin(), reply.actions.end());
    joined.acted = joined.acted || reply.acted;
  }
  return joined;
}

}  // namespace slabot
