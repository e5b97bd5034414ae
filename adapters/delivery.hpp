#pragma once
// The HTTP-status reading every adapter starts from; platforms add their body's error codes.
#include <optional>

#include "adapters/chat_adapter.hpp"

namespace slabot {

// 2xx delivered; 429, 408 and 5xx retry later (honouring Retry-After in seconds); other 4xx give up.
DeliveryResult interpret_http_status(const HttpResponse& response);

// The Retry-After header as a wait, when it is a number of seconds.
std::optional<Duration> retry_after(const HttpResponse& response);

}  // namespace slabot
