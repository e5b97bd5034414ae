#pragma once
// Reading a connection's secrets (config's connections[].secrets and channels[].secrets) the same
// way in every adapter. Messages name the secret, never quote its value.
#include <map>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "domain/message.hpp"

namespace slabot {

// The secret's value, or "" when the connection does not give it.
const std::string& secret_or_empty(const Connection& connection, const std::string& name);

// The secret's value; throws std::invalid_argument ("<adapter> connection '<name>' needs a
// non-empty secret \"<secret>\"") when it is missing or empty: an empty key would make every
// signature trivially forgeable.
const std::string& required_secret(const Connection& connection, std::string_view adapter, const std::string& name);

// A signing secret a group robot may have of its own (DingTalk's robot_secret, Lark's
// bot_secret): optional for the connection, and overridden per group (Connection::group_secrets)
// for messages to that group's own webhook.
class GroupSecret {
 public:
  GroupSecret() = default;  // no secret anywhere: everything is sent unsigned
  // Throws std::invalid_argument when the connection or a group gives the secret empty: more
  // likely an unset ${VAR} than a choice, and it would send unsigned.
  GroupSecret(const Connection& connection, std::string_view adapter, const std::string& name);

  // The secret that signs `message`: a message without a url goes to the connection's robot, one
  // with a url to its group's robot when that group has a secret of its own. "" means unsigned.
  const std::string& for_message(const OutboundMessage& message) const;

  // The connection's own ("" when not given).
  const std::string& connection_secret() const { return connection_secret_; }

 private:
  std::string connection_secret_;
  std::map<std::string, std::string> by_chat_id_;
};

}  // namespace slabot
