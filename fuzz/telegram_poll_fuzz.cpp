// Telegram's getUpdates answers (adapters/telegram/telegram_polling.hpp): what comes back from
// api.telegram.org, or from whatever stands between (a proxy, a captive portal), decides which
// updates are confirmed. Each update then goes through the parser the webhook uses too.
//
// Input: the HTTP status as three digits, then the body ("200{\"ok\":true,...}").
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/telegram/telegram_polling.hpp"
#include "adapters/telegram/telegram_update.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;
using namespace slabot::telegram;

namespace {

HttpResponse response_of(std::string_view input) {
  HttpResponse response;
  int status = 0;
  std::size_t digits = 0;
  while (digits < 3 && digits < input.size() && input[digits] >= '0' && input[digits] <= '9') {
    status = status * 10 + (input[digits] - '0');
    ++digits;
  }
  response.status = status;  // 0: no answer, the body in words as the client gives it
  response.failure = status == 0 ? TransportFailure::connection_lost : TransportFailure::none;
  response.body = std::string(input.substr(digits));
  return response;
}

void check_answer(const PollAnswer& answer) {
  if (const auto* polled = std::get_if<Polled>(&answer)) {
    // In update_id order, so the offset past the last durable one never skips an earlier one.
    for (std::size_t i = 1; i < polled->updates.size(); ++i) {
      FUZZ_CHECK(polled->updates[i - 1].update_id <= polled->updates[i].update_id);
    }
    for (const auto& update : polled->updates) {
      FUZZ_CHECK(update.update.is_object());
      FUZZ_CHECK(update.update_id >= 0);  // the offset past it is never negative (Telegram: "forget")
      const ParseOutcome parsed = FUZZ_NO_THROW(parse_update(update.update, "sla_bot"));
      if (const auto* rejected = std::get_if<Rejected>(&parsed)) FUZZ_CHECK(!rejected->reason.empty());
      if (const auto* messages = std::get_if<ParsedMessages>(&parsed)) {
        for (const auto& message : messages->messages) {
          FUZZ_CHECK(message.event_id == std::to_string(update.update_id));
          FUZZ_CHECK(!message.chat_id.empty() && !message.user_id.empty());
        }
      }
    }
    return;
  }
  if (const auto* refused = std::get_if<PollRefused>(&answer)) FUZZ_CHECK(!refused->reason.empty());
  if (const auto* throttled = std::get_if<PollThrottled>(&answer)) {
    FUZZ_CHECK(throttled->retry_after.count() >= 0);
    FUZZ_CHECK(!throttled->reason.empty());
  }
  if (const auto* failed = std::get_if<PollFailed>(&answer)) FUZZ_CHECK(!failed->reason.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_answer(FUZZ_NO_THROW(read_get_updates(response_of(input))));
  return 0;
}
