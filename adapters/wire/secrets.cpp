#include "adapters/wire/secrets.hpp"

#include <stdexcept>

namespace slabot {

const std::string& secret_or_empty(const Connection& connection, const std::string& name) {
  static const std::string absent;
  const auto found = connection.secrets.find(name);
  return found == connection.secrets.end() ? absent : found->second;
}

const std::string& required_secret(const Connection& connection, std::string_view adapter, const std::string& name) {
  const std::string& value = secret_or_empty(connection, name);
  if (value.empty()) {
    throw std::invalid_argument(std::string(adapter) + " connection '" + connection.name +
                                "' needs a non-empty secret \"" + name + "\"");
  }
  return value;
}

GroupSecret::GroupSecret(const Connection& connection, std::string_view adapter, const std::string& name) {
  const std::string where = std::string(adapter) + " connection '" + connection.name + "'";
  if (const auto found = connection.secrets.find(name); found != connection.secrets.end()) {
    if (found->second.empty()) {
      throw std::invalid_argument(where + ": secret \"" + name + "\" is empty; remove it to send unsigned");
    }
    connection_secret_ = found->second;
  }
  for (const auto& [chat_id, secrets] : connection.group_secrets) {
    const auto found = secrets.find(name);
    if (found == secrets.end()) continue;
    if (found->second.empty()) {
      throw std::invalid_argument(where + ", group '" + chat_id + "': secret \"" + name +
                                  "\" is empty; remove it to use the connection's");
    }
    by_chat_id_[chat_id] = found->second;
  }
}

const std::string& GroupSecret::for_message(const OutboundMessage& message) const {
  if (message.url.empty()) return connection_secret_;
  const auto group = by_chat_id_.find(message.chat_id);
  return group == by_chat_id_.end() ? connection_secret_ : group->second;
}

}  // namespace slabot
