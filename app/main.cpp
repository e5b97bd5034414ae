// slabot: the one binary. Parses the command line and hands over to bot/app.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bot/app.hpp"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  slabot console [--db FILE] [--speed N]  chat with the bot in a terminal (demo group, embedded\n"
    "                                      default); --speed 60 makes a 15-minute SLA last 15 s\n"
    "  slabot serve --config FILE          run the webhook server\n"
    "  slabot check-config FILE            validate a config file and list every problem\n"
    "  slabot outbox list --config FILE    messages not yet delivered, dead ones first\n"
    "  slabot outbox retry ID --config FILE  send a dead message again\n"
    "  slabot --help | --version\n"
    "log level: SPDLOG_LEVEL=debug|info|warn|error (default info; warn for console)\n";

// A whole or decimal number from 1 to 100000: faster than that and a minute passes in under a
// millisecond, which the scheduler cannot show anyone.
std::optional<double> parse_speed(const std::string& text) {
  std::size_t used = 0;
  double speed = 0;
  try {
    speed = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !(speed >= 1 && speed <= 100000)) return std::nullopt;
  return speed;
}

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
    bool database_given = false;
    std::string speed_text;
    for (std::size_t i = 1; i < args.size(); ++i) {
      if (args[i] == "--db" && i + 1 < args.size()) {
        options.database_path = args[++i];
        database_given = true;
      } else if (args[i] == "--speed" && i + 1 < args.size()) {
        speed_text = args[++i];
        const auto speed = parse_speed(speed_text);
        if (!speed) return usage_error("console: --speed takes a number from 1 to 100000, e.g. --speed 60");
        options.speed = *speed;
      } else {
        return usage_error("console: unexpected argument '" + args[i] + "'");
      }
    }
    if (options.speed != 1) {
      // A sped-up clock writes times ahead of the wall's: keep them out of the demo database.
      if (database_given) {
        std::cerr << "slabot: note: at --speed " << speed_text << " the times written to " << options.database_path
                  << " run ahead of the wall clock; use that file only at this speed\n";
      } else {
        options.database_path =
            (std::filesystem::temp_directory_path() / ("slabot-speed-" + std::to_string(getpid()) + ".db")).string();
        options.remove_database_after = true;
      }
    }
    return slabot::run_console(options, std::cin, std::cout, isatty(STDIN_FILENO) != 0);
  }
  spdlog::cfg::load_env_levels();
  if (command == "serve") {
    if (args.size() != 3 || args[1] != "--config") return usage_error("serve needs --config FILE");
    return slabot::run_serve(args[2]);
  }
  if (command == "outbox") {
    return slabot::run_outbox(std::vector<std::string>(args.begin() + 1, args.end()), std::cout, std::cerr);
  }
  if (command == "check-config") {
    if (args.size() != 2) return usage_error("check-config needs one FILE");
    return slabot::run_check_config(args[1], std::cout);
  }
  return usage_error("unknown command '" + command + "'");
}
