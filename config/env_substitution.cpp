#include "config/env_substitution.hpp"

#include "config/text_checks.hpp"

namespace slabot {

bool is_env_name(std::string_view name) {
  return config_detail::only_chars(name, "_") && !(name.front() >= '0' && name.front() <= '9');
}

Substitution substitute_env(std::string_view raw, const EnvLookup& env) {
  Substitution result;
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t start = raw.find("${", pos);
    if (start == std::string_view::npos) break;
    out.append(raw.substr(pos, start - pos));
    std::size_t end = raw.find('}', start + 2);
    if (end == std::string_view::npos) {
      result.problems.push_back("unterminated ${ (expected ${NAME})");
      return result;
    }
    std::string name(raw.substr(start + 2, end - start - 2));
    if (!is_env_name(name)) {
      result.problems.push_back(
          "malformed ${...} reference (a variable name is letters, digits and '_', not starting with a digit)");
    } else if (auto value = env ? env(name) : std::nullopt) {
      out += *value;
    } else {
      result.problems.push_back("environment variable " + name + " is not set");
    }
    pos = end + 1;
  }
  out.append(raw.substr(pos));
  if (result.problems.empty()) result.text = std::move(out);
  return result;
}

}  // namespace slabot
