#pragma once
// `slabot console`: a chat with the bot in a terminal, or scripted through a pipe (one message a
// line). Lines starting with ':' are the console's own commands; everything else is a message,
// typed in one of the console connection's groups (`:in` switches, `:channels` lists them).
//
// Messages the bot starts (SLA warnings, breach pings, escalations) arrive on another thread
// through notice(); every write to the terminal goes through one lock so lines never interleave,
// and one that comes while the prompt shows is printed above it, the prompt drawn again below.
#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

#include "bot/console_channels.hpp"
#include "bot/console_input.hpp"
#include "bot/demo_config.hpp"
#include "bot/message_handler.hpp"
#include "domain/clock.hpp"

namespace slabot {

class ConsoleSession {
 public:
  // `clock` is the bot's clock: `:wait 20m` waits twenty minutes of it (seconds, at --speed 60).
  // The session starts in the first of `channels`.
  ConsoleSession(MessageHandler& handler, const Clock& clock, std::vector<ConsolePerson> people, std::string connection,
                 std::vector<ConsoleChannel> channels, std::ostream& out);

  // Reads until end of input or `:quit`. `interactive` shows a prompt and a greeting.
  void run(ConsoleInput& input, bool interactive);

  // Handles one line; returns false when the session should end.
  bool handle_line(const std::string& line);

  // A message the bot started in `chat_id`: printed at once, between the user's lines.
  void notice(const std::string& chat_id, const std::string& text);

  const ConsolePerson& current() const { return people_[current_]; }

 private:
  void console_command(const std::string& line);
  void switch_channel(const std::string& argument);
  void list_channels();
  // Returns the bot's answer ("" for none).
  std::string send(const std::string& text);
  // The console's people a line @-mentions by their id (`@pat`), as a platform reports mentions.
  std::vector<Mention> mentioned_people(const std::string& text) const;
  // A line with control characters (a terminal key such as an arrow, read from a pipe): never
  // silence, and never the raw bytes back to the terminal.
  void control_line(const std::string& line);
  void wait(const std::string& argument);
  void print(const std::string& text);  // one or more whole lines
  const std::string& chat_id() const { return channels_[channel_].chat_id; }
  std::string prompt() const;

  MessageHandler& handler_;
  const Clock& clock_;
  std::vector<ConsolePerson> people_;
  std::string connection_;
  std::vector<ConsoleChannel> channels_;
  std::size_t channel_ = 0;
  std::size_t current_ = 0;

  std::mutex out_mutex_;
  std::ostream& out_;
  bool interactive_ = false;
  bool at_prompt_ = false;         // the prompt is showing: a notice goes above it
  ConsoleInput* input_ = nullptr;  // while run() reads
};

}  // namespace slabot
