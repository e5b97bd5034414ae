#pragma once
// What the binary does, wired from the parts: `console`, `serve`, `check-config`, `outbox`,
// `backup`. Each takes the words after its name, reads them with bot/cli_args (`--help`/`-h`
// prints its usage, exit 0) and returns the exit code: 0 ok, 1 a runtime failure, 2 a usage or
// config problem.
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

// `slabot console [--db FILE] [--speed N]`.
int run_console(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err,
                bool interactive);

// `slabot serve --config FILE`: the HTTP server, until SIGINT or SIGTERM.
int run_serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `slabot outbox list|retry ID --config FILE`: the messages not yet delivered, and sending a
// dead one again. 1 when nothing was retried.
int run_outbox(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `slabot check-config --config FILE` (or a bare FILE): prints every problem with its JSON path,
// the database's location included.
int run_check_config(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `slabot backup --config FILE [--force] OUT`: a consistent copy of the database, while serve runs.
int run_backup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The usage of the command `name`, or "" when there is none by that name.
std::string command_usage(const std::string& name);

}  // namespace slabot
