#pragma once
// ${NAME} references in config string values, replaced from the environment.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slabot {

// Resolves ${NAME} references; nullopt means the variable is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// A variable name: [A-Za-z_][A-Za-z0-9_]*.
bool is_env_name(std::string_view name);

struct Substitution {
  std::optional<std::string> text;    // set only when problems is empty
  std::vector<std::string> problems;  // name the variable, never a value (it may be a secret)
};

// Replaces every ${NAME} in one pass: a substituted value is not scanned again, so it cannot pull
// in another variable. "$" not followed by "{" is literal. An empty lookup sets no variable.
Substitution substitute_env(std::string_view raw, const EnvLookup& env);

}  // namespace slabot
