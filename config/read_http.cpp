// "http": the inbound server's connection cap and deadlines, and how long a stop may take.
#include "config/json_path.hpp"
#include "config/validator.hpp"

namespace slabot::config_detail {

void Validator::read_http(const json& root, Config& config) {
  const json* http = member(root, "", "http", Need::optional);
  if (http == nullptr) return;
  const std::string path = "/http";
  if (!is_object(*http, path)) return;
  check_keys(*http, path,
             {"max_connections", "first_request_timeout", "request_timeout", "idle_timeout", "shutdown_timeout"});
  HttpSettings& settings = config.http;
  if (auto cap = positive_integer(*http, path, "max_connections", Need::optional)) settings.max_connections = *cap;
  const std::pair<std::string_view, Duration HttpSettings::*> deadlines[] = {
      {"first_request_timeout", &HttpSettings::first_request_timeout},
      {"request_timeout", &HttpSettings::request_timeout},
      {"idle_timeout", &HttpSettings::idle_timeout},
      {"shutdown_timeout", &HttpSettings::shutdown_timeout},
  };
  for (const auto& [key, field] : deadlines) {
    if (auto value = duration(*http, path, key, Need::optional)) settings.*field = *value;
  }
}

}  // namespace slabot::config_detail
