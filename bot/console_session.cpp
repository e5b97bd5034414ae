#include "bot/console_session.hpp"

#include <algorithm>
#include <future>
#include <istream>
#include <ostream>
#include <thread>

#include "config/duration.hpp"

namespace slabot {
namespace {

constexpr const char* kConsoleHelp =
    "console commands:\n"
    "  :as <person>   type as someone else (see :people)\n"
    "  :people        who you can type as\n"
    "  :wait <time>   let the bot's clock run, e.g. :wait 20m (watch an SLA breach)\n"
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

ConsoleSession::ConsoleSession(MessageHandler& handler, const Clock& clock, std::vector<ConsolePerson> people,
                               std::string connection, std::string chat_id, std::ostream& out)
    : handler_(handler),
      clock_(clock),
      people_(std::move(people)),
      connection_(std::move(connection)),
      chat_id_(std::move(chat_id)),
      out_(out) {}

void ConsoleSession::run(std::istream& in, bool interactive) {
  interactive_ = interactive;
  if (interactive) {
    print("slabot console: you are " + current().name + ", " + current().role +
          ", in the demo group. Type /help for the bot's commands, :help for the console's.");
  }
  std::string line;
  for (;;) {
    if (interactive) {
      std::lock_guard lock(out_mutex_);
      out_ << prompt() << std::flush;
      at_prompt_ = true;
    }
    const bool got = static_cast<bool>(std::getline(in, line));
    {
      std::lock_guard lock(out_mutex_);
      at_prompt_ = false;
    }
    if (!got || !handle_line(line)) break;
  }
}

void ConsoleSession::print(const std::string& text) {
  std::lock_guard lock(out_mutex_);
  out_ << text << std::endl;
}

void ConsoleSession::notice(const std::string& chat_id, const std::string& text) {
  const std::string where = chat_id == chat_id_ ? "" : " (" + chat_id + ")";
  std::lock_guard lock(out_mutex_);
  if (at_prompt_) out_ << '\n';
  out_ << "slabot" << where << ": " << text << std::endl;
  if (at_prompt_) out_ << prompt() << std::flush;
}

bool ConsoleSession::handle_line(const std::string& raw) {
  const std::string line = trim(raw);
  if (line.empty()) return true;
  if (line == ":quit" || line == ":q") return false;
  if (line.front() == ':') {
    console_command(line);
  } else {
    send(line);
  }
  return true;
}

void ConsoleSession::wait(const std::string& argument) {
  const auto duration = parse_duration(argument);
  if (!duration) {
    print("usage: :wait <time>, e.g. :wait 30s, :wait 20m, :wait 1h30m");
    return;
  }
  // The bot's clock may run faster than the wall's (--speed): wait until it has moved on.
  const Timestamp until = clock_.now() + *duration;
  for (Duration left = clock_.real_time_until(until); left > Duration::zero();
       left = clock_.real_time_until(until)) {
    std::this_thread::sleep_for(std::min<Duration>(left, std::chrono::milliseconds(100)));
  }
}

void ConsoleSession::console_command(const std::string& line) {
  if (line == ":help") {
    print(kConsoleHelp);
  } else if (line == ":people") {
    std::string text;
    for (std::size_t i = 0; i < people_.size(); ++i) {
      if (i) text += '\n';
      text += (i == current_ ? "* " : "  ") + people_[i].user_id + " - " + people_[i].name + ", " + people_[i].role;
    }
    print(text);
  } else if (line.rfind(":wait", 0) == 0 && (line.size() == 5 || line[5] == ' ')) {
    wait(trim(line.substr(5)));
  } else if (line.rfind(":as", 0) == 0 && (line.size() == 3 || line[3] == ' ')) {
    std::string who = lowercase(trim(line.substr(3)));
    if (!who.empty() && who.front() == '@') who.erase(0, 1);
    for (std::size_t i = 0; i < people_.size(); ++i) {
      if (people_[i].user_id == who) {
        current_ = i;
        print("you are now " + people_[i].name + ", " + people_[i].role);
        return;
      }
    }
    print("no one called \"" + who + "\" here; usage: :as <person> (see :people)");
  } else {
    print("unknown console command " + line + "; try :help");
  }
}

void ConsoleSession::send(const std::string& text) {
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
  if (!r.text.empty()) print("slabot: " + r.text);
}

}  // namespace slabot
