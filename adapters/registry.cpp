#include "adapters/registry.hpp"

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
      {"dingtalk", {factory<DingTalkAdapter>(), {"app_secret"}}},
      {"generic", {factory<GenericAdapter>(), {"secret"}}},
      {"lark", {factory<LarkAdapter>(), {"encrypt_key", "verification_token"}}},
      {"mattermost", {factory<MattermostAdapter>(), {"token"}}},
      {"slack", {factory<SlackAdapter>(), {"signing_secret"}}},
      {"teams", {factory<TeamsAdapter>(), {"security_token"}}},
      {"telegram", {factory<TelegramAdapter>(), {"webhook_secret"}}},
      {"wecom", {factory<WeComAdapter>(), {"token", "encoding_aes_key"}}},
  };
  return table;
}

std::string joined_names() {
  std::string names;
  for (const auto& name : known_adapters()) names += (names.empty() ? "" : ", ") + name;
  return names;
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

std::unique_ptr<ChatAdapter> make_adapter(const Connection& connection) {
  const auto found = registrations().find(connection.adapter);
  if (found == registrations().end()) {
    throw std::invalid_argument("connection '" + connection.name + "': unknown adapter '" +
                                connection.adapter + "' (known: " + joined_names() + ")");
  }
  return found->second.make(connection);
}

}  // namespace slabot
