#pragma once
// The one interface every IM platform implements; see architecture.md.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "adapters/http_types.hpp"
#include "domain/message.hpp"
#include "domain/rate_limit.hpp"
#include "domain/time.hpp"

namespace slabot {

// Outcome of checking a request's authenticity.
struct Verified {};
struct Rejected {
  int status = 401;    // 401 bad signature or stale; 400 malformed
  std::string reason;  // for the log, never for the caller
};
using VerifyResult = std::variant<Verified, Rejected>;

// Outcome of parsing a verified request: messages for the bot, or an immediate answer
// (a platform's URL check or challenge), or a malformed body.
struct ParsedMessages {
  std::vector<InboundMessage> messages;
};

// The usual outcome: one message, moved in. A braced list (`ParsedMessages{{message}}`) would copy
// it, every string of it, since an initializer_list's elements are const.
inline ParsedMessages one_message(InboundMessage message) {
  ParsedMessages parsed;
  parsed.messages.push_back(std::move(message));
  return parsed;
}
using ParseOutcome = std::variant<ParsedMessages, HttpAnswer, Rejected>;

// What the outbox does after a send, from the platform's answer. Several platforms report
// failures with HTTP 200 and an error code in the body: adapters read the body. Every `error`
// is for the log and the dead-letter list, never a secret.
struct Delivered {};
// The platform asked to wait (429 with Retry-After, DingTalk's mute, "busy" codes): not a failed
// attempt. Nothing goes to the destination before then; the message never dies of it, only of
// outbox.max_age.
struct Throttled {
  std::optional<Duration> after;  // the platform's wait; unset: the outbox's backoff
  std::string error;
};
// A failure that may pass (5xx, 408, a platform's transient code): retried with backoff until
// outbox.max_age, however many times.
struct RetryLater {
  std::optional<Duration> after;  // the platform's own wait (Retry-After on a 503), if it said
  std::string error;
};
// The platform says this message itself is wrong (400, 413, 422, a content error code): tried
// outbox.max_attempts times in all, in case it was the platform's glitch, then dead.
struct Refused {
  std::string error;
};
// It can never work as configured (a bad token, an unknown chat, a removed webhook): dead at
// once, for the operator to fix and retry.
struct GiveUp {
  std::string error;
};
using DeliveryResult = std::variant<Delivered, Throttled, RetryLater, Refused, GiveUp>;

// The result's error, whatever its kind ("" for Delivered).
std::string delivery_error(const DeliveryResult& result);
// Rewrites the result's error, whatever its kind (an adapter naming itself: "teams HTTP 503").
void rewrite_delivery_error(DeliveryResult& result, const std::function<std::string(const std::string&)>& rewrite);

// How the bot's answer to an inbound message travels.
enum class ReplyRoute {
  in_response,  // in the HTTP answer to the platform's request (sync_reply)
  via_outbox,   // a fast empty acknowledgement now, the answer as an outbound message
};

class ChatAdapter {
 public:
  virtual ~ChatAdapter() = default;

  virtual std::string adapter_name() const = 0;

  // Checks the request exactly as the platform signs it, over the raw bytes, in constant time,
  // with the platform's replay window measured against `now`.
  virtual VerifyResult verify(const HttpRequest& request, Timestamp now) const = 0;

  // Whether the platform sends GET requests to the webhook (a URL check); the server answers any
  // other adapter's GET with 405, so only POST bodies are ever parsed for them.
  virtual bool accepts_get() const { return false; }

  // Turns a verified request into the bot's messages.
  virtual ParseOutcome parse(const HttpRequest& request) const = 0;

  // The synchronous HTTP answer that carries the bot's reply to `message`.
  virtual HttpAnswer sync_reply(const InboundMessage& message, const std::string& reply) const = 0;

  // The synchronous HTTP answer from the whole Reply: its buttons, and for a tap whether the
  // tapped message is updated (reply.acted) or the person told why not. reply.text is empty
  // when the answer went through the outbox. Platforms without buttons answer the text alone.
  virtual HttpAnswer sync_answer(const InboundMessage& message, const Reply& reply) const {
    return sync_reply(message, reply.text);
  }

  // A message the bot starts, as the request the platform expects (signed where it must be).
  virtual OutboundRequest render(const OutboundMessage& message, Timestamp now) const = 0;

  // Reads the platform's answer to a rendered request.
  virtual DeliveryResult interpret(const HttpResponse& response) const = 0;

  // Platforms that send with a short-lived credential fetched from the platform itself (Lark's
  // tenant access token): the request that fetches it, when `message` needs one and the adapter
  // holds none still valid at `now`; nullopt otherwise (every other platform). The outbox sends it
  // in the message's place and hands the answer to take_credential; the message goes on the next
  // pass, rendered with the credential.
  virtual std::optional<OutboundRequest> credential_request(const OutboundMessage&, Timestamp) const {
    return std::nullopt;
  }
  // Reads the answer to credential_request and keeps the credential: Delivered when it was taken,
  // else what that means for the waiting message (a wrong app secret: GiveUp; 5xx: RetryLater).
  virtual DeliveryResult take_credential(const HttpResponse&, Timestamp) const { return Delivered{}; }

  // Whether the answer to `message` can go in the HTTP answer; platforms with short deadlines or
  // reply webhooks answer through the outbox instead.
  virtual ReplyRoute reply_route(const InboundMessage&) const { return ReplyRoute::in_response; }

  // The platform's own rate limit for one destination: the outbox's default.
  virtual RateLimit rate_limit() const = 0;
};

}  // namespace slabot
