// The config loader (config/loader.hpp) on any document, with the registry's adapter rules as
// `serve` and `check-config` use them and a fixed environment. An operator's file is trusted
// more than a request, but check-config promises a report, never a crash, and a config it
// accepts must start.
//
// Input: the config file's text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/registry.hpp"
#include "config/loader.hpp"
#include "domain/url.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;

namespace {

// As bot/app.cpp wires them: each connection is built once by its adapter to check its secrets.
AdapterRules registry_rules() { return AdapterRules{known_adapters(), required_secrets, connection_problem}; }

// The environment: values a problem with a secret must not quote.
const std::map<std::string, std::string>& environment() {
  static const std::map<std::string, std::string> vars{
      {"SLABOT_GENERIC_SECRET", "env-generic-secret-5b1e"},
      {"ROBOT_SECRET", "SECenvrobotsecret0123456"},
      {"TOKEN", "envtoken42"},
      {"AES_KEY", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"},
      {"LOOP", "${LOOP}"},
      {"EMPTY", ""},
  };
  return vars;
}

std::optional<std::string> lookup(const std::string& name) {
  const auto found = environment().find(name);
  if (found == environment().end()) return std::nullopt;
  return found->second;
}

bool sendable(const std::string& url) {
  std::string error;
  return url.empty() || parse_url(url, error).has_value();
}

// What serve relies on in a config the loader accepted.
void check_config(const Config& config) {
  FUZZ_CHECK(config.listen_port != 0 && !config.listen_address.empty());
  for (const Connection& connection : config.connections) {
    FUZZ_CHECK(config.find_connection(connection.name) == &connection);
    FUZZ_CHECK(sendable(connection.outbound_url));
    try {
      make_adapter(connection);  // serve builds every adapter at start
    } catch (const std::exception& e) {
      fuzz::fail("an accepted connection does not build", e.what(), __FILE__, __LINE__);
    }
  }
  for (const Channel& channel : config.channels) {
    FUZZ_CHECK(config.find_connection(channel.connection) != nullptr);
    FUZZ_CHECK(channel.tenant_id.empty() || config.find_tenant(channel.tenant_id) != nullptr);
    FUZZ_CHECK(sendable(channel.outbound_url));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const AdapterRules rules = registry_rules();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ConfigResult result = FUZZ_NO_THROW(parse_config(text, rules, lookup));

  FUZZ_CHECK(result.config.has_value() == result.problems.empty());
  for (const ConfigProblem& problem : result.problems) {
    FUZZ_CHECK(problem.path.empty() || problem.path.front() == '/');
    FUZZ_CHECK(!problem.message.empty());
    // A problem with a secret never quotes it (other fields quote what they were given, after
    // ${VAR} substitution: a bad "listen" shows the address it got).
    if (problem.path.find("/secrets") == std::string::npos) continue;
    for (const auto& [name, value] : environment()) {
      if (value.size() >= 8 && text.find(value) == std::string_view::npos) {
        FUZZ_CHECK(problem.message.find(value) == std::string::npos);
      }
    }
  }
  const std::string report = format_problems(result.problems);
  FUZZ_CHECK(static_cast<std::size_t>(std::count(report.begin(), report.end(), '\n')) == result.problems.size());
  if (result.config) check_config(*result.config);
  return 0;
}
