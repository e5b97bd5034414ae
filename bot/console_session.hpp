#pragma once
// `slabot console`: a chat with the bot in a terminal, or scripted through a pipe (one message a
// line). Lines starting with ':' are the console's own commands; everything else is a message.
#include <iosfwd>
#include <string>
#include <vector>

#include "bot/demo_config.hpp"
#include "bot/message_handler.hpp"

namespace slabot {

class ConsoleSession {
 public:
  ConsoleSession(MessageHandler& handler, std::vector<ConsolePerson> people, std::string connection,
                 std::string chat_id);

  // Reads until end of input or `:quit`. `interactive` shows a prompt and a greeting.
  void run(std::istream& in, std::ostream& out, bool interactive);

  // Handles one line; returns false when the session should end.
  bool handle_line(const std::string& line, std::ostream& out);

  const ConsolePerson& current() const { return people_[current_]; }

 private:
  void console_command(const std::string& line, std::ostream& out);
  void send(const std::string& text, std::ostream& out);

  MessageHandler& handler_;
  std::vector<ConsolePerson> people_;
  std::string connection_;
  std::string chat_id_;
  std::size_t current_ = 0;
};

}  // namespace slabot
