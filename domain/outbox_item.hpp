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
  // Unique per message the bot means to send: storing the same key twice sends once.
  std::string idempotency_key;
};

enum class OutboxStatus { pending, sent, dead };
std::string_view outbox_status_name(OutboxStatus status);

struct OutboxRow {
  std::int64_t id = 0;
  OutboxItem item;
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  Timestamp created_at{};
  Timestamp next_attempt_at{};
  std::string last_error;
};

// What a delivery attempt changed.
struct DeliveryUpdate {
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::string last_error;
};

}  // namespace slabot
