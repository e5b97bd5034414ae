#include "adapters/registry.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "adapters/console/console_adapter.hpp"
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/generic/generic_adapter.hpp"
#include "adapters/lark/lark_adapter.hpp"
#include "adapters/mattermost/mattermost_adapter.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/teams/teams_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"

namespace slabot {
namespace {

struct Registration {
  AdapterFactory make;
  std::vector<std::string> secrets;  // what config validation must find in Connection::secrets
  // What a single group may give for itself (Connection::group_secrets): its robot's own secret.
  std::vector<std::string> group_secrets = {};
  // For adapters that run in more than one way by their secrets: which one, as check-config says it.
  std::function<std::string(const Connection&)> mode = {};
  // What a connection with "mode": "stream" must have instead of `secrets`; unset: no stream mode.
  std::optional<std::vector<std::string>> stream_secrets = std::nullopt;
};

template <class Adapter>
AdapterFactory factory() {
  return [](const Connection& connection) -> std::unique_ptr<ChatAdapter> {
    return std::make_unique<Adapter>(connection);
  };
}

// One line per platform. A function-local static so it is built on first use, whatever the
// order in which other translation units initialise.
const std::map<std::string, Registration>& registrations() {
  static const std::map<std::string, Registration> table{
      {"console", {factory<ConsoleAdapter>(), {}}},
      {"dingtalk",
       {factory<DingTalkAdapter>(), {"app_secret"}, {"robot_secret"}, {}, {{"client_id", "client_secret"}}}},
      {"generic", {factory<GenericAdapter>(), {"secret"}}},
      {"lark",
       {factory<LarkAdapter>(),
        {"verification_token"},
        {"bot_secret"},
        LarkAdapter::mode_of,
        {{"app_id", "app_secret"}}}},
      {"mattermost", {factory<MattermostAdapter>(), {"token"}, {}, {}, {{"bot_token"}}}},
      {"slack", {factory<SlackAdapter>(), {"signing_secret"}, {}, {}, {{"app_token", "bot_token"}}}},
      {"teams", {factory<TeamsAdapter>(), {"security_token"}}},
      {"telegram", {factory<TelegramAdapter>(), {"webhook_secret"}, {}, {}, {{"bot_token"}}}},
      {"wecom", {factory<WeComAdapter>(), {"token", "encoding_aes_key"}}},
  };
  return table;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string joined_names() { return joined(known_adapters()); }

// Names only, never a value: the message ends up in check-config's output.
void check_group_secret_names(const Connection& connection, const Registration& registration) {
  const auto& allowed = registration.group_secrets;
  for (const auto& [chat_id, secrets] : connection.group_secrets) {
    for (const auto& [name, value] : secrets) {
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      throw std::invalid_argument("connection '" + connection.name + "', group '" + chat_id + "': the " +
                                  connection.adapter + " adapter takes no per-group secret \"" + name + "\" (" +
                                  (allowed.empty() ? std::string("it takes no per-group secrets")
                                                   : "a group's robot secret is: " + joined(allowed)) +
                                  ")");
    }
  }
}

}  // namespace

std::vector<std::string> known_adapters() {
  std::vector<std::string> names;  // std::map iterates in sorted order
  for (const auto& [name, registration] : registrations()) names.push_back(name);
  return names;
}

bool is_known_adapter(const std::string& name) { return registrations().contains(name); }

std::vector<std::string> required_secrets(const std::string& adapter) {
  const auto found = registrations().find(adapter);
  return found == registrations().end() ? std::vector<std::string>{} : found->second.secrets;
}

std::optional<std::vector<std::string>> stream_secrets(const std::string& adapter) {
  const auto found = registrations().find(adapter);
  return found == registrations().end() ? std::nullopt : found->second.stream_secrets;
}

std::vector<std::string> group_secret_names(const std::string& adapter) {
  const auto found = registrations().find(adapter);
  return found == registrations().end() ? std::vector<std::string>{} : found->second.group_secrets;
}

std::optional<std::string> connection_mode(const Connection& connection) {
  const auto found = registrations().find(connection.adapter);
  if (found == registrations().end() || !found->second.mode) return std::nullopt;
  return found->second.mode(connection);
}

std::unique_ptr<ChatAdapter> make_adapter(const Connection& connection) {
  const auto found = registrations().find(connection.adapter);
  if (found == registrations().end()) {
    throw std::invalid_argument("connection '" + connection.name + "': unknown adapter '" + connection.adapter +
                                "' (known: " + joined_names() + ")");
  }
  check_group_secret_names(connection, found->second);
  return found->second.make(connection);
}

std::optional<std::string> connection_problem(const Connection& connection) {
  try {
    make_adapter(connection);
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

}  // namespace slabot
