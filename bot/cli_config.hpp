#pragma once
// What the command-line tools share: the checked config, and the database it names.
#include <optional>
#include <string>

#include "config/loader.hpp"

namespace slabot {

// The config and where its database goes: the problems check-config lists, serve refuses to
// start on, and the tools refuse to run on.
ConfigResult load_checked(const std::string& config_path);

// The tools read an existing database: a mistyped path must not create an empty one. The reason
// in words, or nullopt when the file is there.
std::optional<std::string> missing_database(const std::string& path);

}  // namespace slabot
