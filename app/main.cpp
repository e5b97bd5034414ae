// slabot: the one binary. Picks the command and hands its words over to bot/app.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bot/app.hpp"
#include "bot/report_cli.hpp"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  slabot console [--db FILE] [--speed N]  chat with the bot in a terminal (demo group, embedded\n"
    "                                      default); --speed 60 makes a 15-minute SLA last 15 s\n"
    "  slabot serve --config FILE          run the webhook server\n"
    "  slabot check-config --config FILE   validate a config file and list every problem (or: FILE)\n"
    "  slabot outbox list --config FILE    messages not yet delivered, dead ones first\n"
    "  slabot outbox retry ID --config FILE  send a dead message again\n"
    "  slabot backup --config FILE [--force] OUT  copy the database while serve runs\n"
    "  slabot report --config FILE --tenant ID --period YYYY-MM [--format md|csv|html] [--out FILE]\n"
    "                                      a tenant's service summary report for a month\n"
    "  slabot report --config FILE --engagement TENANT|ID [--format md|html] [--out FILE]\n"
    "                                      a customer success engagement's report\n"
    "  slabot help [COMMAND] | --help | --version\n"
    "every command takes --help; exit codes: 0 ok, 1 runtime failure, 2 usage or config problem\n"
    "log level: SPDLOG_LEVEL=debug|info|warn|error (default info; warn for console)\n";

int usage_error(const std::string& what) {
  std::cerr << "slabot: " << what << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  // Logs go to stderr so the console's stdout stays the conversation.
  spdlog::set_default_logger(spdlog::stderr_color_mt("slabot"));
  if (args.empty()) return usage_error("missing command");
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    if (rest.empty()) {
      std::cout << kUsage;
      return 0;
    }
    const std::string usage = slabot::command_usage(rest[0]);
    if (usage.empty() || rest.size() > 1) return usage_error("help: no command '" + rest.back() + "'");
    std::cout << usage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "slabot " << SLABOT_VERSION << "\n";
    return 0;
  }
  if (command == "console") {
    spdlog::set_level(spdlog::level::warn);
    spdlog::cfg::load_env_levels();
    return slabot::run_console(rest, std::cin, std::cout, std::cerr, isatty(STDIN_FILENO) != 0);
  }
  spdlog::cfg::load_env_levels();
  if (command == "serve") return slabot::run_serve(rest, std::cout, std::cerr);
  if (command == "outbox") return slabot::run_outbox(rest, std::cout, std::cerr);
  if (command == "check-config") return slabot::run_check_config(rest, std::cout, std::cerr);
  if (command == "backup") return slabot::run_backup(rest, std::cout, std::cerr);
  if (command == "report") return slabot::run_report(rest, std::cout, std::cerr);
  if (command.starts_with("-")) return usage_error("unknown option '" + command + "'");
  return usage_error("unknown command '" + command + "'");
}
