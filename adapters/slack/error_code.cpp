#include "adapters/slack/error_code.hpp"

namespace slabot {

std::string safe_error_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return {};
  bool joined = false;
  bool digits = false;
  for (const char c : code) {
    if (c == '_' || c == '.') {
      joined = true;
    } else if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c < 'a' || c > 'z') {
      return {};
    }
  }
  return joined || !digits ? std::string(code) : std::string{};
}

std::string describe_error(std::string_view prefix, std::string_view code) {
  const std::string safe = safe_error_code(code);
  return safe.empty() ? std::string(prefix) : std::string(prefix) + ": " + safe;
}

}  // namespace slabot
