#include "config/config_changes.hpp"

namespace slabot {

ConfigChanges compare_configs(const Config& running, const Config& next) {
  ConfigChanges changes;
  const auto note = [](std::vector<std::string>& into, bool changed, const char* key) {
    if (changed) into.emplace_back(key);
  };
  note(changes.need_restart, running.listen_address != next.listen_address || running.listen_port != next.listen_port,
       "listen");
  note(changes.need_restart, running.database_path != next.database_path, "database");
  note(changes.need_restart, running.http != next.http, "http");
  note(changes.applied, running.bot_name != next.bot_name, "bot_name");
  note(changes.applied, running.tenants != next.tenants, "tenants");
  note(changes.applied, running.staff != next.staff, "staff");
  // Secrets are part of a connection: a rotated secret shows as "connections", never its value.
  note(changes.applied, running.connections != next.connections, "connections");
  note(changes.applied, running.channels != next.channels, "channels");
  note(changes.applied, running.sla != next.sla, "packages");
  note(changes.applied, running.outbox != next.outbox, "outbox");
  note(changes.applied, running.reports != next.reports, "reports");
  note(changes.applied, running.reminders != next.reminders, "reminders");
  return changes;
}

Config keep_restart_only(const Config& running, Config next) {
  next.listen_address = running.listen_address;
  next.listen_port = running.listen_port;
  next.database_path = running.database_path;
  next.http = running.http;
  return next;
}

std::string join_keys(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& key : keys) out += (out.empty() ? "" : ", ") + key;
  return out.empty() ? "nothing" : out;
}

}  // namespace slabot
