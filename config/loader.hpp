#pragma once
// Reads the one JSON config file into a Config, reporting every problem with its JSON path.
// The file format is documented in config/FORMAT.md.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/env_substitution.hpp"  // EnvLookup

namespace slabot {

struct ConfigProblem {
  std::string path;     // RFC 6901 pointer ("/channels/2/tenant"); "" is the whole document
  std::string message;  // never contains a secret value
};

// What the validator must know about adapters, injected so config/ does not depend on adapters/.
struct AdapterRules {
  std::vector<std::string> known;  // e.g. {"console", "generic"}
  // e.g. generic -> {"secret"}; may be empty (no adapter needs secrets).
  std::function<std::vector<std::string>(const std::string&)> required_secrets;
  // What is wrong with a connection's secrets beyond their presence (a malformed key), as one
  // message without any secret's value; nullopt when it is fine. May be empty. Called only for a
  // known adapter whose secrets are all present and readable; the message is reported at
  // "/connections/<i>/secrets" (withheld if it quotes a secret anyway).
  std::function<std::optional<std::string>(const Connection&)> check_connection;
  // The secrets a stream-mode connection of this adapter must have, or nullopt when the adapter
  // has no stream mode. May be empty (then no adapter has a stream mode).
  std::function<std::optional<std::vector<std::string>>(const std::string&)> stream_secrets;
};

// The process environment (getenv).
std::optional<std::string> process_env(const std::string& name);

struct ConfigResult {
  std::optional<Config> config;  // set only when problems is empty
  std::vector<ConfigProblem> problems;
};

ConfigResult parse_config(std::string_view json_text, const AdapterRules& rules, const EnvLookup& env);

// Reads the file and parses it; a file that cannot be read is one problem at path "".
ConfigResult load_config_file(const std::string& path, const AdapterRules& rules, const EnvLookup& env);

// One line per problem, "<path>: <message>\n"; the whole document's path prints as "(root)".
std::string format_problems(const std::vector<ConfigProblem>& problems);

}  // namespace slabot
