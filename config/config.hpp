#pragma once
// The bot's configuration: one JSON file (see config/example.json and the README).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/role.hpp"
#include "domain/tenant.hpp"

namespace slabot {

struct StaffMember {
  std::string id;
  std::string name;
  Role role = Role::engineer;
  // The member's user id on each platform, keyed by adapter name ("slack": "U123").
  std::map<std::string, std::string> platform_ids;
};

struct Connection {
  std::string name;     // appears in the webhook path: POST /hooks/<name>
  std::string adapter;  // registry name: "generic", "console", ...
  // Adapter-specific secrets ("secret", "token", ...), after ${ENV} substitution.
  std::map<std::string, std::string> secrets;
  std::string outbound_url;  // where messages the bot starts are sent; may be empty
};

struct Channel {
  std::string connection;  // Connection::name
  std::string chat_id;     // the platform's group id
  std::string tenant_id;   // the tenant the group belongs to; empty for the support side
  bool support_side() const { return tenant_id.empty(); }
};

struct Config {
  std::string listen_address = "127.0.0.1";
  unsigned short listen_port = 8080;
  std::string database_path = "slabot.db";
  std::string bot_name = "slabot";  // for "/ack@slabot" and the bot's own @-mention
  std::vector<Tenant> tenants;
  std::vector<StaffMember> staff;
  std::vector<Connection> connections;
  std::vector<Channel> channels;

  const Tenant* find_tenant(const std::string& id) const;
  const Connection* find_connection(const std::string& name) const;
  const Channel* find_channel(const std::string& connection, const std::string& chat_id) const;
  // The staff member with this user id on this platform, if any.
  const StaffMember* find_staff_by_platform(const std::string& platform, const std::string& user_id) const;
  // By config id or name, case-insensitive, with or without a leading '@'.
  const StaffMember* find_staff(const std::string& id_or_name) const;
};

}  // namespace slabot
