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
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "config/env_substitution.hpp"
#include "config/loader.hpp"
#include "domain/url.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;

namespace {

// As bot/app.cpp wires them: each connection is built once by its adapter to check its secrets.
AdapterRules registry_rules() {
  return AdapterRules{known_adapters(), required_secrets, connection_problem, stream_secrets};
}

// A fixed environment, with values shaped like the secrets they stand for.
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

// The document's string values and keys, each after ${VAR} substitution, sorted into those under a
// "secrets" object (of a connection or a channel) and all the others.
void collect_text(const nlohmann::json& node, bool in_secrets, std::vector<std::string>& secret, std::string& other) {
  const auto expanded = [](const std::string& raw) { return substitute_env(raw, lookup).text.value_or(raw); };
  if (node.is_string()) {
    std::string value = expanded(node.get<std::string>());
    if (in_secrets) {
      secret.push_back(std::move(value));
    } else {
      other += value + '\n';
    }
    return;
  }
  if (!node.is_structured()) return;  // nlohmann iterates a number as a range of itself
  for (auto item = node.begin(); item != node.end(); ++item) {
    const bool secrets_object = node.is_object() && item.key() == "secrets";
    if (node.is_object()) other += item.key() + '\n';
    collect_text(*item, in_secrets || secrets_object, secret, other);
  }
}

// What a problem must never quote: the fixed environment's values (distinctive, so that no message
// text holds one by chance) that reached a value under "secrets" and nothing else in the document
// (a value also used as, say, a chat id is quoted as that).
std::vector<std::string> secret_markers(std::string_view text) {
  const auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return {};
  std::vector<std::string> secret;
  std::string other;
  collect_text(document, false, secret, other);
  std::vector<std::string> markers;
  for (const auto& variable : environment()) {
    const std::string& value = variable.second;
    const bool in_a_secret = std::any_of(secret.begin(), secret.end(),
                                         [&](const std::string& s) { return s.find(value) != std::string::npos; });
    if (value.size() >= 8 && in_a_secret && other.find(value) == std::string::npos) markers.push_back(value);
  }
  return markers;
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
  const std::vector<std::string> secrets = secret_markers(text);
  for (const ConfigProblem& problem : result.problems) {
    FUZZ_CHECK(problem.path.empty() || problem.path.front() == '/');
    FUZZ_CHECK(!problem.message.empty());
    for (const std::string& secret : secrets) FUZZ_CHECK(problem.message.find(secret) == std::string::npos);
  }
  const std::string report = format_problems(result.problems);
  FUZZ_CHECK(static_cast<std::size_t>(std::count(report.begin(), report.end(), '\n')) == result.problems.size());
  if (result.config) check_config(*result.config);
  return 0;
}
