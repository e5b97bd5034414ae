#include "bot/demo_config.hpp"

namespace slabot {

Config demo_config(const std::string& database_path) {
  Config config;
  config.database_path = database_path;
  config.tenants = {{"demo", "Demo Partner Ltd", Package::premium}};
  config.staff = {
      {"erin", "Erin", Role::engineer, {{"console", "erin"}}},
      {"tom", "Tom", Role::tam, {{"console", "tom"}}},
      {"maria", "Maria", Role::manager, {{"console", "maria"}}},
  };
  config.connections = {{kConsoleConnection, "console", {}, ""}};
  config.channels = {{kConsoleConnection, kConsoleChat, "demo"}};
  return config;
}

std::vector<ConsolePerson> demo_people() {
  return {
      {"pat", "Pat", "partner"},
      {"erin", "Erin", "engineer"},
      {"tom", "Tom", "TAM"},
      {"maria", "Maria", "service manager"},
  };
}

}  // namespace slabot
