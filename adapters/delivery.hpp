#pragma once
// The HTTP-status reading every adapter starts from; platforms add their body's error codes.
#include <optional>

#include "adapters/chat_adapter.hpp"

namespace slabot {

// 2xx delivered; 429 throttled and 408, 5xx retry later (both honouring Retry-After in seconds);
// 400, 413, 422 refused (the message is wrong); other 4xx give up (the destination is wrong).
DeliveryResult interpret_http_status(const HttpResponse& response);

// The Retry-After header as a wait, when it is a number of seconds.
std::optional<Duration> retry_after(const HttpResponse& response);

}  // namespace slabot
