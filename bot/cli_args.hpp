#pragma once
// One subcommand's command line, read the same way for every subcommand: `--help`/`-h`, options
// that take a value (`--config FILE`), flags (`--force`), and bare words.
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace slabot {

struct CliSpec {
  std::string command;                  // "serve", "outbox": names the command in messages
  std::string usage;                    // printed for --help, and after a mistake
  std::vector<std::string> with_value;  // "--config", "--db"
  std::vector<std::string> flags;       // "--force"
};

struct CliArgs {
  bool help = false;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
  std::vector<std::string> words;
  std::string error;  // what is wrong, in one line; empty when nothing is

  std::string value(const std::string& option) const {
    const auto found = values.find(option);
    return found == values.end() ? std::string() : found->second;
  }
};

// `--help` or `-h` anywhere wins over any mistake: asking for the usage always gets it.
CliArgs parse_cli(const std::vector<std::string>& args, const CliSpec& spec);

// The usage on `out`; 0.
int print_usage(const CliSpec& spec, std::ostream& out);

// "slabot <command>: <what>" and the usage on `err`; 2, the exit code for a usage problem.
int usage_error(const CliSpec& spec, const std::string& what, std::ostream& err);

// What every command does first: --help answered (0), a mistake on the command line reported (2);
// nullopt when neither.
std::optional<int> help_or_mistake(const CliSpec& spec, const CliArgs& cli, std::ostream& out, std::ostream& err);

}  // namespace slabot
