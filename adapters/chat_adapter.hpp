#pragma once
// The one interface every IM platform implements; see architecture.md.
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "adapters/http_types.hpp"
#include "domain/message.hpp"
#include "domain/time.hpp"

namespace slabot {

// Outcome of checking a request's authenticity.
struct Verified {};
struct Rejected {
  int status = 401;     // 401 bad signature or stale; 400 malformed
  std::string reason;   // for the log, never for the caller
};
using VerifyResult = std::variant<Verified, Rejected>;

// Outcome of parsing a verified request: messages for the bot, or an immediate answer
// (a platform's URL check or challenge), or a malformed body.
struct ParsedMessages {
  std::vector<InboundMessage> messages;
};
using ParseOutcome = std::variant<ParsedMessages, HttpAnswer, Rejected>;

struct RateLimit {
  int messages = 0;        // how many messages ...
  Duration per{};          // ... per this window; 0 messages = unlimited
};

class ChatAdapter {
 public:
  virtual ~ChatAdapter() = default;

  virtual std::string adapter_name() const = 0;

  // Checks the request exactly as the platform signs it, over the raw bytes, in constant time,
  // with the platform's replay window measured against `now`.
  virtual VerifyResult verify(const HttpRequest& request, Timestamp now) const = 0;

  // Turns a verified request into the bot's messages.
  virtual ParseOutcome parse(const HttpRequest& request) const = 0;

  // The synchronous HTTP answer that carries the bot's reply to `message`.
  virtual HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const = 0;

  // A message the bot starts, as the request the platform expects (signed where it must be).
  virtual OutboundRequest render(const OutboundMessage& message, Timestamp now) const = 0;

  // The platform's own rate limit for one destination: the outbox's default.
  virtual RateLimit rate_limit() const = 0;
};

}  // namespace slabot
