#pragma once
// The three things the binary does, wired from the parts: `console`, `serve`, `check-config`.
#include <iosfwd>
#include <string>
#include <vector>

namespace slabot {

struct ConsoleOptions {
  std::string database_path = "slabot-demo.db";
  // How much faster than real time the bot's clock runs: 60 turns a 15-minute SLA into 15 s.
  double speed = 1;
  // Removes the database file when the console ends: a sped-up clock writes times ahead of the
  // wall's, which a later run at real speed would read as the future.
  bool remove_database_after = false;
};

// The interactive demo on the embedded default; scripted when input is not a terminal.
int run_console(const ConsoleOptions& options, std::istream& in, std::ostream& out, bool interactive);

// The HTTP server on a config file, until SIGINT or SIGTERM.
int run_serve(const std::string& config_path);

// `slabot outbox list|retry ID --config FILE`: the messages not yet delivered, and sending a
// dead one again. `args` are the words after "outbox". 0 on success, 1 when nothing was retried,
// 2 for a usage or config problem.
int run_outbox(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Validates a config file and prints every problem with its JSON path; 0 when it is good.
int run_check_config(const std::string& config_path, std::ostream& out);

}  // namespace slabot
