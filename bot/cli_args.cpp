#include "bot/cli_args.hpp"

#include <algorithm>
#include <ostream>

namespace slabot {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

CliArgs parse_cli(const std::vector<std::string>& args, const CliSpec& spec) {
  CliArgs parsed;
  auto fail = [&parsed](std::string what) {
    if (parsed.error.empty()) parsed.error = std::move(what);  // the first mistake is the one to fix
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
    } else if (listed(spec.with_value, arg)) {
      if (i + 1 >= args.size()) {
        fail(arg + " needs a value");
      } else if (!parsed.values.emplace(arg, args[++i]).second) {
        fail(arg + " given twice");
      }
    } else if (listed(spec.flags, arg)) {
      parsed.flags.insert(arg);
    } else if (arg.size() > 1 && arg[0] == '-') {
      fail("unknown option '" + arg + "'");
    } else {
      parsed.words.push_back(arg);
    }
  }
  return parsed;
}

int print_usage(const CliSpec& spec, std::ostream& out) {
  out << spec.usage;
  return 0;
}

std::optional<int> help_or_mistake(const CliSpec& spec, const CliArgs& cli, std::ostream& out, std::ostream& err) {
  if (cli.help) return print_usage(spec, out);
  if (!cli.error.empty()) return usage_error(spec, cli.error, err);
  return std::nullopt;
}

int usage_error(const CliSpec& spec, const std::string& what, std::ostream& err) {
  err << "slabot " << spec.command << ": " << what << "\n" << spec.usage;
  return 2;
}

}  // namespace slabot
