#pragma once
// The outbox's rules, as pure functions: what an answer (or the lack of one) means, and what a
// message's row becomes after it. The worker applies them; tests check them without sockets.
//
//   delivered                      sent
//   the platform asked to wait     pending after the wait; not an attempt; the destination pauses
//   a failure that may pass        pending after backoff (first_retry doubling to max_retry),
//     (5xx, timeout, DNS, refused)   however many times, until outbox.max_age
//   the message itself is wrong    pending after backoff, dead at the outbox.max_attempts-th
//   it can never work              dead at once (a bad URL, token or chat)
//   the client stopped (shutdown)  pending, due at once after the restart; nothing counted
#include <optional>
#include <string_view>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"
#include "domain/outbox_item.hpp"

namespace slabot {

// The adapter's reading of an answer; a request that got none (status 0) is read here, from the
// transport failure, the same way for every platform. nullopt when the client stopped (the bot
// is shutting down): nothing is known, the message stays as it was. Never throws: an answer the
// adapter cannot read is a failure that may pass.
std::optional<DeliveryResult> read_delivery(const ChatAdapter& adapter, const HttpResponse& response);
// The same for the answer to the adapter's credential_request, read by take_credential.
std::optional<DeliveryResult> read_credential(const ChatAdapter& adapter, const HttpResponse& response, Timestamp at);

struct DeliveryStep {
  DeliveryUpdate update;
  // The platform's wait, about the destination rather than this one message: nothing goes to
  // it, in either lane, before then.
  std::optional<Timestamp> pause_until;
};

// What `row` becomes after `result` at `at`. `jitter` is a factor around 1 (random_jitter()).
DeliveryStep next_delivery_step(const OutboxRow& row, const DeliveryResult& result, Timestamp at,
                                const OutboxSettings& settings, double jitter);

// What one step did to `row`, as the metrics name it: sent, throttled (the platform asked to
// wait), retry (a failure that may pass), refused (the platform refused this message, to be
// tried again), dead or superseded. nullopt when nothing happened (the client stopped).
std::optional<std::string_view> delivery_outcome(const OutboxRow& row, const DeliveryUpdate& update);

}  // namespace slabot
