#pragma once
// The embedded default behind `slabot console`: one tenant, a partner, and an engineer, a TAM and
// a manager, all in one demo group. No file needed.
#include <string>
#include <vector>

#include "config/config.hpp"

namespace slabot {

constexpr const char* kConsoleConnection = "console";
constexpr const char* kConsoleChat = "demo-group";
constexpr const char* kConsoleSupportChat = "support";

// Someone the console can type as.
struct ConsolePerson {
  std::string user_id;  // the console platform id
  std::string name;
  std::string role;  // as `:people` shows it
};

Config demo_config(const std::string& database_path);

// The partner first (the console starts as them), then the staff.
std::vector<ConsolePerson> demo_people(const Config& config);

}  // namespace slabot
