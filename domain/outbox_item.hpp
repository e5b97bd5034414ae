#pragma once
// A message the bot sends, as the outbox keeps it until the platform has it.
#include <cstdint>
#include <string>

#include "domain/message.hpp"

namespace slabot {

// Priority lanes: when a group is throttled, breach pings and escalations go first.
enum class Lane { urgent = 0, routine = 1 };

struct OutboxItem {
  OutboundMessage message;
  Lane lane = Lane::routine;
  // Unique per message the bot means to send: storing the same key twice sends once. The
  // message id receivers see is derived from it (outbox_message_id), so it survives restarts.
  std::string idempotency_key;
  // What the message is about, when it is an SLA stage's notice: a warning or repeat ping whose
  // ticket has since moved on is superseded instead of sent late. 0: not a stage notice.
  std::int64_t ticket_id = 0;
  int stage = 0;            // the stage code (sla_clock.hpp)
  Timestamp stage_clock{};  // when the response clock it belongs to started (a reopen starts another)
};

// superseded: never sent, because what it said was out of date before it could go (a warning
// whose ticket was acknowledged or breached meanwhile). Not a failure: not dead.
enum class OutboxStatus { pending, sent, dead, superseded };
std::string_view outbox_status_name(OutboxStatus status);

struct OutboxRow {
  std::int64_t id = 0;
  OutboxItem item;
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;  // sends made, the platform's waits among them
  Timestamp created_at{};
  Timestamp next_attempt_at{};
  std::string last_error;
  int waits = 0;     // answers asking to wait (429, mute, busy): never failures, never a reason to give up
  int refusals = 0;  // answers saying the message is wrong: dead at outbox.max_attempts
};

// What a delivery attempt changed.
struct DeliveryUpdate {
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::string last_error;
  int waits = 0;
  int refusals = 0;
};

}  // namespace slabot
