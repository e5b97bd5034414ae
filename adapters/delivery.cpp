#include "adapters/delivery.hpp"

#include <charconv>
#include <string>

namespace slabot {

std::optional<Duration> retry_after(const HttpResponse& response) {
  const std::string& value = response.header("retry-after");
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || error != std::errc{} || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

DeliveryResult interpret_http_status(const HttpResponse& response) {
  const int status = response.status;
  if (status >= 200 && status < 300) return Delivered{};
  const std::string error = "HTTP " + std::to_string(status);
  if (status == 429 || status == 408 || status >= 500 || status == 0) return RetryLater{retry_after(response), error};
  return GiveUp{error};
}

}  // namespace slabot
