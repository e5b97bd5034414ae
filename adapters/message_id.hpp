#pragma once
// The id a receiver de-duplicates the bot's messages by.
#include <string>
#include <string_view>

namespace slabot {

// A UUID (RFC 9562 version 8: a name-based layout of our own) made from the SHA-256 of the
// message's outbox idempotency key: the same message has the same id on every resend, across
// restarts and database copies, and two messages never share one.
std::string outbox_message_id(std::string_view idempotency_key);

}  // namespace slabot
