#include "bot/console_session.hpp"

#include <algorithm>
#include <future>
#include <istream>
#include <ostream>

namespace slabot {
namespace {

constexpr const char* kConsoleHelp =
    "console commands:\n"
    "  :as <person>   type as someone else (see :people)\n"
    "  :people        who you can type as\n"
    "  :help          this list\n"
    "  :quit          leave (end of input works too)\n"
    "anything else is a chat message; try /help";

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

ConsoleSession::ConsoleSession(MessageHandler& handler, std::vector<ConsolePerson> people, std::string connection,
                               std::string chat_id)
    : handler_(handler), people_(std::move(people)), connection_(std::move(connection)), chat_id_(std::move(chat_id)) {}

void ConsoleSession::run(std::istream& in, std::ostream& out, bool interactive) {
  if (interactive) {
    out << "slabot console: you are " << current().name << ", " << current().role
        << ", in the demo group. Type /help for the bot's commands, :help for the console's." << std::endl;
  }
  std::string line;
  for (;;) {
    if (interactive) out << current().user_id << "> " << std::flush;
    if (!std::getline(in, line)) break;
    if (!handle_line(line, out)) break;
  }
}

bool ConsoleSession::handle_line(const std::string& raw, std::ostream& out) {
  const std::string line = trim(raw);
  if (line.empty()) return true;
  if (line == ":quit" || line == ":q") return false;
  if (line.front() == ':') {
    console_command(line, out);
  } else {
    send(line, out);
  }
  return true;
}

void ConsoleSession::console_command(const std::string& line, std::ostream& out) {
  if (line == ":help") {
    out << kConsoleHelp << std::endl;
  } else if (line == ":people") {
    for (std::size_t i = 0; i < people_.size(); ++i) {
      out << (i == current_ ? "* " : "  ") << people_[i].user_id << " - " << people_[i].name << ", "
          << people_[i].role << std::endl;
    }
  } else if (line.rfind(":as", 0) == 0 && (line.size() == 3 || line[3] == ' ')) {
    std::string who = lowercase(trim(line.substr(3)));
    if (!who.empty() && who.front() == '@') who.erase(0, 1);
    for (std::size_t i = 0; i < people_.size(); ++i) {
      if (people_[i].user_id == who) {
        current_ = i;
        out << "you are now " << people_[i].name << ", " << people_[i].role << std::endl;
        return;
      }
    }
    out << "no one called \"" << who << "\" here; usage: :as <person> (see :people)" << std::endl;
  } else {
    out << "unknown console command " << line << "; try :help" << std::endl;
  }
}

void ConsoleSession::send(const std::string& text, std::ostream& out) {
  InboundMessage message;
  message.connection = connection_;
  message.platform = "console";
  // No event id: the console never retries, so there is nothing to deduplicate.
  message.chat_id = chat_id_;
  message.user_id = current().user_id;
  message.user_name = current().name;
  message.text = text;
  std::promise<BotReply> answered;
  auto reply = answered.get_future();
  handler_.handle(std::move(message), [&answered](BotReply r) { answered.set_value(std::move(r)); });
  const BotReply r = reply.get();
  if (!r.text.empty()) out << "slabot: " << r.text << std::endl;
}

}  // namespace slabot
