// The public entry points of the config loader. The file format is config/FORMAT.md; reading it
// is the Validator's job (validator.hpp and read_*.cpp), after strict_json.cpp has parsed it.

#include "config/loader.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "config/json_path.hpp"
#include "config/strict_json.hpp"
#include "config/validator.hpp"

namespace slabot {
namespace {

ConfigResult single_problem(std::string path, std::string message) {
  ConfigResult result;
  result.problems.push_back({std::move(path), std::move(message)});
  return result;
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

ConfigResult parse_config(std::string_view json_text, const AdapterRules& rules, const EnvLookup& env) {
  config_detail::StrictJson parsed = config_detail::parse_strict_json(json_text);
  ConfigResult result;
  result.problems = std::move(parsed.problems);
  if (!parsed.root) return result;  // not JSON: that one problem
  config_detail::Validator validator(rules, env);
  auto config = validator.run(*parsed.root);
  auto problems = validator.take_problems();
  result.problems.insert(result.problems.end(), problems.begin(), problems.end());
  if (result.problems.empty()) result.config = std::move(config);
  return result;
}

ConfigResult load_config_file(const std::string& path, const AdapterRules& rules, const EnvLookup& env) {
  std::error_code ignored;
  // A directory opens fine on Linux and then reads as empty, which would read as "not JSON".
  if (std::filesystem::is_directory(path, ignored)) {
    return single_problem("", "cannot read config file " + config_detail::json_quoted(path) + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return single_problem("", "cannot open config file " + config_detail::json_quoted(path) + ": " +
                                  std::error_code(errno, std::generic_category()).message());
  }
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return single_problem("", "cannot read config file " + config_detail::json_quoted(path));
  return parse_config(text, rules, env);
}

std::string format_problems(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const auto& problem : problems) {
    std::string line = (problem.path.empty() ? "(root)" : problem.path) + ": " + problem.message;
    // One line per problem, whatever a key or value contains.
    for (char& c : line) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    }
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace slabot
