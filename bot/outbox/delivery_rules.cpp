#include "bot/outbox/delivery_rules.hpp"

#include <algorithm>
#include <variant>

#include "bot/outbox/backoff.hpp"
#include "domain/time_format.hpp"

namespace slabot {
namespace {

constexpr Duration kShortestWait = std::chrono::seconds(1);

DeliveryResult transport_failure(const HttpResponse& response) {
  const std::string error = std::string(transport_failure_name(response.failure)) + ": " + response.body;
  switch (response.failure) {
    case TransportFailure::bad_request: return GiveUp{error};  // the URL or a header can never be sent
    case TransportFailure::none: return RetryLater{std::nullopt, "no answer: " + response.body};
    default: return RetryLater{std::nullopt, error};
  }
}

// An answer as `read` makes of it, or of its absence as the transport says.
template <typename Read>
std::optional<DeliveryResult> read_answer(const HttpResponse& response, const Read& read) {
  // The bot is stopping: nothing is known of the message, and nothing is held against it.
  if (response.status == 0 && response.failure == TransportFailure::stopped) return std::nullopt;
  if (response.status == 0) return transport_failure(response);
  try {
    return read(response);
  } catch (const std::exception& e) {
    return RetryLater{std::nullopt, std::string("could not read the answer: ") + e.what()};
  } catch (...) {
    return RetryLater{std::nullopt, "could not read the answer"};
  }
}

}  // namespace

std::optional<DeliveryResult> read_delivery(const ChatAdapter& adapter, const HttpResponse& response) {
  return read_answer(response, [&](const HttpResponse& answer) { return adapter.interpret(answer); });
}

std::optional<DeliveryResult> read_credential(const ChatAdapter& adapter, const HttpResponse& response, Timestamp at) {
  return read_answer(response, [&](const HttpResponse& answer) { return adapter.take_credential(answer, at); });
}

DeliveryStep next_delivery_step(const OutboxRow& row, const DeliveryResult& result, Timestamp at,
                                const OutboxSettings& settings, double jitter) {
  DeliveryStep step;
  DeliveryUpdate& u = step.update;
  u = {OutboxStatus::pending, row.attempts + 1, at, delivery_error(result), row.waits, row.refusals};
  if (std::holds_alternative<Delivered>(result)) {
    u.status = OutboxStatus::sent;
    u.last_error.clear();
    return step;
  }
  if (const auto* give_up = std::get_if<GiveUp>(&result)) {
    u.status = OutboxStatus::dead;
    u.last_error = give_up->error;
    return step;
  }
  std::optional<Duration> platform_wait;
  if (const auto* wait = std::get_if<Throttled>(&result)) {
    ++u.waits;
    platform_wait = wait->after;
  } else if (const auto* later = std::get_if<RetryLater>(&result)) {
    platform_wait = later->after;
  } else if (std::holds_alternative<Refused>(result)) {
    ++u.refusals;
    if (u.refusals >= settings.max_attempts) {
      u.status = OutboxStatus::dead;
      u.last_error += " (refused " + std::to_string(u.refusals) + " times, outbox.max_attempts)";
      return step;
    }
  }
  if (at - row.created_at >= settings.max_age) {
    u.status = OutboxStatus::dead;
    u.last_error += " (undelivered for " + format_duration(at - row.created_at) + ", outbox.max_age)";
    return step;
  }
  // A wait of 0 would resend at once, and the recorded outcome wakes the worker: a loop against
  // a throttling platform. Nothing waits past max_age either, when the message is dead anyway.
  if (platform_wait) platform_wait = std::clamp<Duration>(*platform_wait, kShortestWait, settings.max_age);
  // The backoff grows with the failures, never with the waits; a wait without a length (a
  // "busy" code) backs off one step beyond the failures so far.
  const bool throttled = std::holds_alternative<Throttled>(result);
  const int backoff_step = std::max(1, u.attempts - u.waits + (throttled && !platform_wait ? 1 : 0));
  u.next_attempt_at = at + retry_delay(settings, backoff_step, platform_wait, jitter);
  // A wait the platform asks for, or gives a length for, is about the whole destination.
  if (throttled || platform_wait) step.pause_until = u.next_attempt_at;
  return step;
}

std::optional<std::string_view> delivery_outcome(const OutboxRow& row, const DeliveryUpdate& update) {
  switch (update.status) {
    case OutboxStatus::sent: return "sent";
    case OutboxStatus::dead: return "dead";
    case OutboxStatus::superseded: return "superseded";
    case OutboxStatus::pending: break;
  }
  if (update.waits > row.waits) return "throttled";
  if (update.refusals > row.refusals) return "refused";
  if (update.attempts > row.attempts) return "retry";
  return std::nullopt;
}

}  // namespace slabot
