#pragma once
// Long polling (getUpdates): the request and how its answer reads, with no I/O, so the session
// in bot/stream/ only moves bytes. From the Bot API's reference (core.telegram.org/bots/api,
// "Getting updates"):
//   - offset: the first update_id wanted. An update is confirmed (Telegram forgets it) as soon as
//     getUpdates is called with an offset higher than its update_id; without an offset, the
//     earliest unconfirmed update comes first.
//   - timeout: seconds Telegram holds the request open while there is nothing new (long polling).
//   - allowed_updates: the update kinds wanted; the setting sticks until the next call sets it.
//   - getUpdates does not work while a webhook is set: 409 "Conflict: can't use getUpdates
//     method while webhook is active; use deleteWebhook to delete the webhook first". A second
//     poller of the same bot gets 409 "Conflict: terminated by other getUpdates request".
//   - failures are {"ok":false,"error_code","description","parameters":{"retry_after"}}.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http_types.hpp"

namespace slabot::telegram {

// Where the Bot API is unless a connection's stream_url says otherwise.
inline constexpr std::string_view default_api_base = "https://api.telegram.org";

// "<base>/bot<token>/<method>"; `base` empty: default_api_base. The result holds the token: it
// is never logged nor put in an error string (redact_url masks it).
std::string method_url(std::string_view base, const std::string& token, std::string_view method);

struct GetUpdates {
  std::optional<std::int64_t> offset;  // unset: from the earliest unconfirmed update
  std::chrono::seconds timeout{25};    // long-poll wait; the HTTP read timeout must exceed it
};

// POST <url> with {"offset","timeout","allowed_updates":["message","callback_query"]}: new
// messages and inline-keyboard taps, nothing else (edits must not run a command twice).
OutboundRequest get_updates_request(const std::string& url, const GetUpdates& parameters);

// answerCallbackQuery for a tap that acted: it ends the spinner on the tapper's button. A
// webhook carries it in its HTTP answer; polling has none, so it is a call of its own.
OutboundRequest answer_callback_request(const std::string& url, const std::string& query_id);

struct PolledUpdate {
  std::int64_t update_id = 0;
  nlohmann::json update;
};

// What one getUpdates answer comes to.
struct Polled {  // ok: the updates, in update_id order (possibly none: the wait ran out)
  std::vector<PolledUpdate> updates;
};
struct PollRefused {  // the operator must act (a webhook set, a bad token): retry only slowly
  std::string reason;
};
struct PollThrottled {  // 429: wait as long as Telegram says
  std::chrono::seconds retry_after{0};
  std::string reason;
};
struct PollFailed {  // no answer, a 5xx, or an answer that is not the Bot API's: try again
  std::string reason;
};
using PollAnswer = std::variant<Polled, PollRefused, PollThrottled, PollFailed>;

// Reads getUpdates' answer. Every reason is for the log and /healthz: it quotes Telegram's
// description (cut short), never the token.
PollAnswer read_get_updates(const HttpResponse& response);

}  // namespace slabot::telegram
