#pragma once
// `slabot console`: a chat with the bot in a terminal, or scripted through a pipe (one message a
// line). Lines starting with ':' are the console's own commands; everything else is a message.
//
// Messages the bot starts (SLA warnings, breach pings, escalations) arrive on another thread
// through notice(); every write to the terminal goes through one lock so lines never interleave.
#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

#include "bot/demo_config.hpp"
#include "bot/message_handler.hpp"
#include "domain/clock.hpp"

namespace slabot {

class ConsoleSession {
 public:
  // `clock` is the bot's clock: `:wait 20m` waits twenty minutes of it (seconds, at --speed 60).
  ConsoleSession(MessageHandler& handler, const Clock& clock, std::vector<ConsolePerson> people,
                 std::string connection, std::string chat_id, std::ostream& out);

  // Reads until end of input or `:quit`. `interactive` shows a prompt and a greeting.
  void run(std::istream& in, bool interactive);

  // Handles one line; returns false when the session should end.
  bool handle_line(const std::string& line);

  // A message the bot started in `chat_id`: printed at once, between the user's lines.
  void notice(const std::string& chat_id, const std::string& text);

  const ConsolePerson& current() const { return people_[current_]; }

 private:
  void console_command(const std::string& line);
  void send(const std::string& text);
  void wait(const std::string& argument);
  void print(const std::string& text);  // one or more whole lines
  std::string prompt() const { return current().user_id + "> "; }

  MessageHandler& handler_;
  const Clock& clock_;
  std::vector<ConsolePerson> people_;
  std::string connection_;
  std::string chat_id_;
  std::size_t current_ = 0;

  std::mutex out_mutex_;
  std::ostream& out_;
  bool interactive_ = false;
  bool at_prompt_ = false;  // the prompt is showing: a notice reprints it after itself
};

}  // namespace slabot
