#pragma once
// What reloading the config changes, named by the file's top-level keys (config/FORMAT.md).
// Most keys take effect at once; the listening socket, the database and the server's limits
// were fixed when serve started, and only a restart changes them.
#include <string>
#include <vector>

#include "config/config.hpp"

namespace slabot {

struct ConfigChanges {
  std::vector<std::string> applied;       // e.g. {"staff", "channels"}: in effect from the reload on
  std::vector<std::string> need_restart;  // e.g. {"listen"}: kept as they were until a restart
};

ConfigChanges compare_configs(const Config& running, const Config& next);

// `next`, with what only a restart can change (listen, database, http) kept as `running` has it.
Config keep_restart_only(const Config& running, Config next);

// "staff, channels"; "nothing" when empty.
std::string join_keys(const std::vector<std::string>& keys);

}  // namespace slabot
