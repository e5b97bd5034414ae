#pragma once
// What transports (the HTTP server, the console) hand inbound messages to.
#include <functional>
#include <string>

#include "domain/message.hpp"

namespace slabot {

struct BotReply {
  std::string text;     // what the bot answers in the chat; empty: say nothing
  // The message could not be recorded (storage failure): the transport must let the platform
  // retry (HTTP 503) rather than acknowledge it, so nothing is lost.
  bool failed = false;
};

class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  // Handles one message. `done` is called exactly once, possibly on another thread, once every
  // change the message caused is durable.
  virtual void handle(InboundMessage message, std::function<void(BotReply)> done) = 0;
};

}  // namespace slabot
