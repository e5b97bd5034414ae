// "reminders": when the bot reminds a tenant of a health check falling due.
#include "config/json_path.hpp"
#include "config/validator.hpp"

namespace slabot::config_detail {

void Validator::read_reminders(const json& root, Config& config) {
  const json* reminders = member(root, "", "reminders", Need::optional);
  if (reminders == nullptr) return;
  const std::string path = "/reminders";
  if (!is_object(*reminders, path)) return;
  check_keys(*reminders, path, {"health_check_before", "milestone_before"});
  if (auto before = duration(*reminders, path, "health_check_before", Need::optional)) {
    config.reminders.health_check_before = *before;
  }
  if (auto before = duration(*reminders, path, "milestone_before", Need::optional)) {
    config.reminders.milestone_before = *before;
  }
}

}  // namespace slabot::config_detail
