#pragma once
// What transports (the HTTP server, the console) hand inbound messages to.
#include <functional>
#include <string>

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

}  // namespace slabot
