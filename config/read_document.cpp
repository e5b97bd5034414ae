// The document's top level: its keys, listen, database, bot_name, and the order of the sections.
#include "config/json_path.hpp"
#include "config/listen_address.hpp"
#include "config/text_checks.hpp"
#include "config/validator.hpp"

namespace slabot::config_detail {

std::optional<Config> Validator::run(const json& root) {
  if (!root.is_object()) {
    report("", "the config must be a JSON object, not " + a_type(root));
    return std::nullopt;
  }
  check_keys(root, "",
             {"listen", "database", "bot_name", "tenants", "staff", "connections", "channels", "packages", "outbox",
              "http", "reports", "reminders", "holidays_dir"});
  Config config;
  if (auto listen = text(root, "", "listen", Need::required)) read_listen(*listen, "/listen", config);
  if (auto database = text(root, "", "database", Need::required)) {
    if (not_blank(*database, "/database")) config.database_path = *database;
  }
  if (auto bot_name = text(root, "", "bot_name", Need::optional)) {
    if (!only_chars(*bot_name, "_")) {
      report("/bot_name", "must be letters, digits and '_' only");
    } else {
      config.bot_name = *bot_name;
    }
  }
  // References are checked after what they name is read: a tenant's TAM after the staff, channels
  // (naming tenants and connections) last of the lists.
  for_each_object(root, "tenants", [&](const json& item, const std::string& path) { read_tenant(item, path, config); });
  for_each_object(root, "staff", [&](const json& item, const std::string& path) { read_staff(item, path, config); });
  resolve_tams(config);
  if (auto dir = text(root, "", "holidays_dir", Need::optional)) {
    if (not_blank(*dir, "/holidays_dir")) config.holidays_dir = *dir;
  }
  read_country_holidays(config.holidays_dir, config);
  for_each_object(root, "connections",
                  [&](const json& item, const std::string& path) { read_connection(item, path, config); });
  for_each_object(root, "channels",
                  [&](const json& item, const std::string& path) { read_channel(item, path, config); });
  read_packages(root, config);
  read_outbox(root, config);
  read_http(root, config);
  read_reports(root, config);
  read_reminders(root, config);
  if (!problems_.empty()) return std::nullopt;
  return config;
}

void Validator::read_listen(const std::string& listen, const std::string& path, Config& config) {
  ListenAddressResult parsed = parse_listen_address(listen);
  if (!parsed.address) {
    report(path, "bad listen address " + json_quoted(listen) + ": " + parsed.error +
                     " (expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080)");
    return;
  }
  config.listen_address = parsed.address->host;
  config.listen_port = parsed.address->port;
}

}  // namespace slabot::config_detail
