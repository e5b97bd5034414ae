#include "bot/demo_config.hpp"

namespace slabot {

Config demo_config(const std::string& database_path) {
  Config config;
  config.database_path = database_path;
  // Premium: Tom is the designated TAM, the ladder's second rung after Erin, who is on duty.
  config.tenants = {{"demo", "Demo Partner Ltd", Package::premium, "tom"}};
  config.staff = {
      {"erin", "Erin", Role::engineer, {{"console", "erin"}}, true},
      {"tom", "Tom", Role::tam, {{"console", "tom"}}},
      {"maria", "Maria", Role::manager, {{"console", "maria"}}},
  };
  config.connections = {{kConsoleConnection, "console", {}, ""}};
  // The support side's channel hears escalations; the console prints them marked "(support)".
  config.channels = {{kConsoleConnection, kConsoleChat, "demo"}, {kConsoleConnection, kConsoleSupportChat, ""}};
  return config;
}

std::vector<ConsolePerson> demo_people(const Config& config) {
  std::vector<ConsolePerson> people{{"pat", "Pat", std::string(role_title(Role::partner))}};
  // The staff as the config has them, in the words the bot uses for their roles everywhere.
  for (const auto& member : config.staff) {
    const auto id = member.platform_ids.find("console");
    if (id != member.platform_ids.end())
      people.push_back({id->second, member.name, std::string(role_title(member.role))});
  }
  return people;
}

}  // namespace slabot
