#pragma once
// The three things the binary does, wired from the parts: `console`, `serve`, `check-config`.
#include <iosfwd>
#include <string>

namespace slabot {

struct ConsoleOptions {
  std::string database_path = "slabot-demo.db";
};

// The interactive demo on the embedded default; scripted when input is not a terminal.
int run_console(const ConsoleOptions& options, std::istream& in, std::ostream& out, bool interactive);

// The HTTP server on a config file, until SIGINT or SIGTERM.
int run_serve(const std::string& config_path);

// Validates a config file and prints every problem with its JSON path; 0 when it is good.
int run_check_config(const std::string& config_path, std::ostream& out);

}  // namespace slabot
