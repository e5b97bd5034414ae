// "outbox": how messages the bot starts are retried, and when they are given up.
#include "config/duration.hpp"
#include "config/json_path.hpp"
#include "config/validator.hpp"

namespace slabot::config_detail {

void Validator::read_outbox(const json& root, Config& config) {
  const json* outbox = member(root, "", "outbox", Need::optional);
  if (outbox == nullptr) return;
  const std::string path = "/outbox";
  if (!is_object(*outbox, path)) return;
  check_keys(*outbox, path, {"max_attempts", "max_age", "first_retry", "max_retry"});
  OutboxSettings& settings = config.outbox;
  if (auto attempts = positive_integer(*outbox, path, "max_attempts", Need::optional))
    settings.max_attempts = *attempts;
  if (auto age = duration(*outbox, path, "max_age", Need::optional)) settings.max_age = *age;
  auto first_retry = duration(*outbox, path, "first_retry", Need::optional);
  auto max_retry = duration(*outbox, path, "max_retry", Need::optional);
  if (first_retry) settings.first_retry = *first_retry;
  if (max_retry) settings.max_retry = *max_retry;
  // Compared as they take effect, defaults included; a faulty one is reported already.
  const bool first_read = first_retry || !outbox->contains("first_retry");
  const bool max_read = max_retry || !outbox->contains("max_retry");
  if (first_read && max_read && settings.max_retry < settings.first_retry) {
    if (max_retry) {
      report(child_path(path, "max_retry"), "must not be shorter than first_retry (" +
                                                format_config_duration(settings.first_retry) +
                                                (first_retry ? "" : ", the default") + ")");
    } else {
      report(child_path(path, "first_retry"),
             "must not be longer than max_retry (" + format_config_duration(settings.max_retry) + ", the default)");
    }
  }
}

}  // namespace slabot::config_detail
