#include "adapters/wire/secrets.hpp"

#include <stdexcept>

#include <catch2/catch.hpp>

using namespace slabot;

namespace {

Connection connection_with(std::map<std::string, std::string> secrets,
                           std::map<std::string, std::map<std::string, std::string>> group_secrets = {}) {
  Connection connection{"hook", "lark", std::move(secrets), "https://example.invalid/hook", std::nullopt};
  connection.group_secrets = std::move(group_secrets);
  return connection;
}

OutboundMessage message_to(std::string chat_id, std::string url) {
  OutboundMessage message;
  message.chat_id = std::move(chat_id);
  message.url = std::move(url);
  return message;
}

}  // namespace

TEST_CASE("wire secrets: a missing secret reads empty, a required one must be there", "[wire]") {
  const Connection connection = connection_with({{"token", "t0k"}, {"blank", ""}});
  CHECK(secret_or_empty(connection, "token") == "t0k");
  CHECK(secret_or_empty(connection, "absent").empty());
  CHECK(required_secret(connection, "mattermost", "token") == "t0k");
  CHECK_THROWS_WITH(required_secret(connection, "mattermost", "absent"),
                    "mattermost connection 'hook' needs a non-empty secret \"absent\"");
  CHECK_THROWS_WITH(required_secret(connection, "mattermost", "blank"),
                    "mattermost connection 'hook' needs a non-empty secret \"blank\"");
}

TEST_CASE("wire secrets: a group's own secret signs messages to its own webhook", "[wire]") {
  const GroupSecret secret(connection_with({{"bot_secret", "conn"}}, {{"oc_a", {{"bot_secret", "group-a"}}}}), "lark",
                           "bot_secret");
  CHECK(secret.connection_secret() == "conn");
  CHECK(secret.for_message(message_to("oc_a", "https://example.invalid/a")) == "group-a");
  // Without a url the message goes to the connection's robot, whatever its chat.
  CHECK(secret.for_message(message_to("oc_a", "")) == "conn");
  // A group without a secret of its own uses the connection's.
  CHECK(secret.for_message(message_to("oc_b", "https://example.invalid/b")) == "conn");
  CHECK(GroupSecret().for_message(message_to("oc_a", "https://example.invalid/a")).empty());
}

TEST_CASE("wire secrets: a secret given empty is refused, naming it and never a value", "[wire]") {
  CHECK_THROWS_WITH(GroupSecret(connection_with({{"robot_secret", ""}}), "dingtalk", "robot_secret"),
                    "dingtalk connection 'hook': secret \"robot_secret\" is empty; remove it to send unsigned");
  CHECK_THROWS_WITH(
      GroupSecret(connection_with({{"robot_secret", "SECvalue"}}, {{"cid1", {{"robot_secret", ""}}}}), "dingtalk",
                  "robot_secret"),
      "dingtalk connection 'hook', group 'cid1': secret \"robot_secret\" is empty; remove it to use the connection's");
  // Not given at all: unsigned.
  CHECK(GroupSecret(connection_with({}), "dingtalk", "robot_secret").connection_secret().empty());
}
