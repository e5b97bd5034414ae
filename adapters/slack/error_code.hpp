#pragma once
// Platform error codes for logs and the dead-letter list. A code is shown only when it looks
// like one: an answer body is never copied wholesale, so nothing the platform might echo back
// (a webhook key, a token) can reach a log line.
#include <string>
#include <string_view>

namespace slabot {

// `code` when it looks like an error code ("channel_not_found", "ratelimited",
// "web.incoming_webhook.channel.app_error"), else "". Codes are lower-case words joined by '_'
// or '.'; a lone run of letters and digits is refused, because webhook keys look like that.
std::string safe_error_code(std::string_view code);

// "<prefix>: <code>", or just "<prefix>" when the code is not safe to show.
std::string describe_error(std::string_view prefix, std::string_view code);

}  // namespace slabot
