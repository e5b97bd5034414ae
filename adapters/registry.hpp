#pragma once
// Adapters by name: a platform is one folder and one registration line in registry.cpp.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/chat_adapter.hpp"
#include "config/config.hpp"

namespace slabot {

using AdapterFactory = std::function<std::unique_ptr<ChatAdapter>(const Connection&)>;

// The names of every registered adapter, sorted.
std::vector<std::string> known_adapters();

bool is_known_adapter(const std::string& name);

// The secrets a connection of this adapter must have ("secret" for generic).
std::vector<std::string> required_secrets(const std::string& adapter);

// The secrets a connection with "mode": "stream" must have (dingtalk: client_id, client_secret),
// or nullopt when the adapter has no stream mode.
std::optional<std::vector<std::string>> stream_secrets(const std::string& adapter);

// The secrets a single group may give for itself (channels[].secrets, Connection::group_secrets):
// its robot's own signing secret ("robot_secret" for dingtalk, "bot_secret" for lark); none for
// most adapters.
std::vector<std::string> group_secret_names(const std::string& adapter);

// Which way a connection runs, for adapters with more than one (lark: "plain mode (...)" or
// "encrypted mode (...)"); nullopt for the others.
std::optional<std::string> connection_mode(const Connection& connection);

// Builds the adapter for a connection; throws std::invalid_argument naming the known adapters
// when the name is unknown, and naming the allowed ones when a group gives a secret its adapter
// does not take per group (never quoting a value).
std::unique_ptr<ChatAdapter> make_adapter(const Connection& connection);

// What make_adapter says is wrong with the connection (its std::invalid_argument), or nullopt when
// it builds: the config loader's AdapterRules::check_connection, as check-config runs it.
std::optional<std::string> connection_problem(const Connection& connection);

}  // namespace slabot
