#include "adapters/delivery.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace slabot {

std::optional<Duration> retry_after(const HttpResponse& response) {
  const std::string& value = response.header("retry-after");
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || error != std::errc{} || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  // Beyond a year is no wait anyone means; capped before it could overflow in milliseconds.
  constexpr long long kYear = 365LL * 24 * 3600;
  return std::chrono::seconds(std::min(seconds, kYear));
}

DeliveryResult interpret_http_status(const HttpResponse& response) {
  const int status = response.status;
  if (status >= 200 && status < 300) return Delivered{};
  const std::string error = "HTTP " + std::to_string(status);
  if (status == 429) return Throttled{retry_after(response), error};
  if (status == 408 || status >= 500 || status == 0) return RetryLater{retry_after(response), error};
  // The request's content: the same bytes again might pass only if the platform erred.
  if (status == 400 || status == 413 || status == 422) return Refused{error};
  return GiveUp{error};  // 401, 403, 404, 410...: the token, the chat or the webhook is wrong
}

std::string delivery_error(const DeliveryResult& result) {
  return std::visit(
      [](const auto& r) -> std::string {
        if constexpr (requires { r.error; }) {
          return r.error;
        } else {
          return {};
        }
      },
      result);
}

void rewrite_delivery_error(DeliveryResult& result, const std::function<std::string(const std::string&)>& rewrite) {
  std::visit(
      [&rewrite](auto& r) {
        if constexpr (requires { r.error; }) r.error = rewrite(r.error);
      },
      result);
}

}  // namespace slabot
