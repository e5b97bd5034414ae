#include "adapters/telegram/telegram_json.hpp"

#include <charconv>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "adapters/wire.hpp"

namespace slabot::telegram {

nlohmann::json id_json(const std::string& id) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (!id.empty() && error == std::errc{} && end == id.data() + id.size()) return value;
  return id;
}

std::string display_name(const nlohmann::json& user, const std::string& user_id) {
  std::string name = json_string(user, "first_name");
  if (const std::string last = json_string(user, "last_name"); !last.empty()) name += (name.empty() ? "" : " ") + last;
  if (name.empty()) name = json_string(user, "username");
  return name.empty() ? user_id : name;
}

}  // namespace slabot::telegram
