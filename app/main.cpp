// slabot: the one binary. Parses the command line and hands over to bot/app.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bot/app.hpp"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  slabot console [--db FILE]          chat with the bot in a terminal (demo group, embedded default)\n"
    "  slabot serve --config FILE          run the webhook server\n"
    "  slabot check-config FILE            validate a config file and list every problem\n"
    "  slabot --help | --version\n"
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
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "slabot " << SLABOT_VERSION << "\n";
    return 0;
  }
  if (command == "console") {
    spdlog::set_level(spdlog::level::warn);
    spdlog::cfg::load_env_levels();
    slabot::ConsoleOptions options;
    for (std::size_t i = 1; i < args.size(); ++i) {
      if (args[i] == "--db" && i + 1 < args.size()) {
        options.database_path = args[++i];
      } else {
        return usage_error("console: unexpected argument '" + args[i] + "'");
      }
    }
    return slabot::run_console(options, std::cin, std::cout, isatty(STDIN_FILENO) != 0);
  }
  spdlog::cfg::load_env_levels();
  if (command == "serve") {
    if (args.size() != 3 || args[1] != "--config") return usage_error("serve needs --config FILE");
    return slabot::run_serve(args[2]);
  }
  if (command == "check-config") {
    if (args.size() != 2) return usage_error("check-config needs one FILE");
    return slabot::run_check_config(args[1], std::cout);
  }
  return usage_error("unknown command '" + command + "'");
}
