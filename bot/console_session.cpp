#include "bot/console_session.hpp"

#include <algorithm>
#include <cctype>
#include <future>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "config/duration.hpp"

namespace slabot {
namespace {

constexpr const char* kConsoleHelp =
    "console commands:\n"
    "  :as <person>   type as someone else (see :people)\n"
    "  :people        who you can type as\n"
    "  :in <channel>  type in another group or the support side's channel (see :channels)\n"
    "  :channels      where you can type\n"
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

// Bytes the bot refuses as control characters (lex::has_control_characters): C0 but the tab,
// DEL, and C1 (C2 80..C2 9F in UTF-8).
bool is_control_at(const std::string& text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if ((byte < 0x20 && byte != '\t') || byte == 0x7F) return true;
  return byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9F;
}

bool has_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_control_at(text, i)) return true;
  }
  return false;
}

// Control characters as a terminal's caret notation (ESC is ^[, so the Up arrow reads ^[[A),
// C1 ones as M-^x (cat -v); cut to a line's worth at a character boundary.
std::string visible(const std::string& text) {
  constexpr std::size_t kShown = 60;
  std::string shown;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!is_control_at(text, i)) {
      shown += text[i];
    } else if (byte == 0xC2) {
      shown += "M-^" + std::string(1, static_cast<char>(static_cast<unsigned char>(text[++i]) - 0x40));
    } else {
      shown += byte == 0x7F ? std::string("^?") : "^" + std::string(1, static_cast<char>(byte + 0x40));
    }
  }
  if (shown.size() <= kShown) return shown;
  std::size_t cut = kShown - 3;
  while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
  return shown.substr(0, cut) + "...";
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

ConsoleSession::ConsoleSession(MessageHandler& handler, const Clock& clock, std::vector<ConsolePerson> people,
                               std::string connection, std::vector<ConsoleChannel> channels, std::ostream& out)
    : handler_(handler),
      clock_(clock),
      people_(std::move(people)),
      connection_(std::move(connection)),
      channels_(std::move(channels)),
      out_(out) {
  if (channels_.empty()) throw std::invalid_argument("the console needs a channel to type in");
}

std::string ConsoleSession::prompt() const {
  // Away from the first channel, the prompt says where a line goes, as notices say where from.
  return current().user_id + (channel_ == 0 ? "" : " (" + chat_id() + ")") + "> ";
}

void ConsoleSession::run(ConsoleInput& input, bool interactive) {
  interactive_ = interactive;
  if (interactive) {
    print("slabot console: you are " + current().name + ", " + current().role + ", in " + channels_[channel_].label +
          ". Type /help for the bot's commands, :help for the console's.");
  }
  for (;;) {
    const std::string shown = prompt();
    {
      std::lock_guard lock(out_mutex_);
      if (interactive && !input.redraws()) out_ << shown << std::flush;
      at_prompt_ = interactive;
      input_ = &input;
    }
    const auto line = input.read_line(shown);
    {
      std::lock_guard lock(out_mutex_);
      at_prompt_ = false;
      input_ = nullptr;
      input.flush();  // notices queued as the line ended: nothing queues them from now on
    }
    if (!line || !handle_line(*line)) break;
  }
}

void ConsoleSession::print(const std::string& text) {
  std::lock_guard lock(out_mutex_);
  out_ << text << std::endl;
}

void ConsoleSession::notice(const std::string& chat_id, const std::string& text) {
  std::lock_guard lock(out_mutex_);
  const std::string where = chat_id == this->chat_id() ? "" : " (" + chat_id + ")";
  const std::string line = "slabot" + where + ": " + text;
  if (at_prompt_ && input_ && input_->redraws()) {
    input_->print_above(line);  // the editor prints it on its own thread, then the prompt again
    return;
  }
  if (at_prompt_) out_ << '\n';
  out_ << line << std::endl;
  if (at_prompt_) out_ << prompt() << std::flush;
}

bool ConsoleSession::handle_line(const std::string& raw) {
  const std::string line = trim(raw);
  if (line.empty()) return true;
  if (line == ":quit" || line == ":q") return false;
  if (has_control(line)) {
    control_line(line);
  } else if (line.front() == ':') {
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
  for (Duration left = clock_.real_time_until(until); left > Duration::zero(); left = clock_.real_time_until(until)) {
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
  } else if (line == ":channels") {
    list_channels();
  } else if (line.rfind(":in", 0) == 0 && (line.size() == 3 || line[3] == ' ')) {
    switch_channel(trim(line.substr(3)));
  } else if (line.rfind(":wait", 0) == 0 && (line.size() == 5 || line[5] == ' ')) {
    wait(trim(line.substr(5)));
  } else if (line.rfind(":as", 0) == 0 && (line.size() == 3 || line[3] == ' ')) {
    std::string who = lowercase(trim(line.substr(3)));
    if (!who.empty() && who.front() == '@') who.erase(0, 1);
    for (std::size_t i = 0; i < people_.size(); ++i) {
      if (people_[i].user_id == who) {
        {
          std::lock_guard lock(out_mutex_);  // notice() reads it for the prompt it redraws
          current_ = i;
        }
        print("you are now " + people_[i].name + ", " + people_[i].role);
        return;
      }
    }
    print("no one called \"" + who + "\" here; usage: :as <person> (see :people)");
  } else {
    print("unknown console command " + line + "; try :help");
  }
}

void ConsoleSession::list_channels() {
  std::string text;
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    if (i) text += '\n';
    text += (i == channel_ ? "* " : "  ") + channels_[i].chat_id + " - " + channels_[i].label;
  }
  print(text);
}

void ConsoleSession::switch_channel(const std::string& argument) {
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    if (lowercase(channels_[i].chat_id) == lowercase(argument)) {
      {
        std::lock_guard lock(out_mutex_);  // notice() reads it to mark where a notice is from
        channel_ = i;
      }
      print("you are now in " + channels_[i].chat_id + ", " + channels_[i].label);
      return;
    }
  }
  print("no channel \"" + argument + "\" here; usage: :in <channel> (see :channels)");
}

void ConsoleSession::control_line(const std::string& line) {
  const std::string shown = visible(line);
  // A console command answers a typo itself; the bot refuses a command with control characters
  // and gives its usage, but takes anything else for chat, which gets silence.
  if (shown.front() == ':') {
    console_command(shown);
  } else if (send(line).empty()) {
    print("slabot: unknown command " + shown + "; usage: /help");
  }
}

std::vector<Mention> ConsoleSession::mentioned_people(const std::string& text) const {
  std::vector<Mention> out;
  for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
    std::size_t end = at + 1;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    const std::string word = lowercase(text.substr(at + 1, end - at - 1));
    for (const auto& person : people_) {
      bool seen = false;
      for (const auto& m : out) seen = seen || m.user_id == person.user_id;
      if (person.user_id == word && !seen) out.push_back({person.user_id, person.name});
    }
  }
  return out;
}

std::string ConsoleSession::send(const std::string& text) {
  InboundMessage message;
  message.connection = connection_;
  message.platform = "console";
  // No event id: the console never retries, so there is nothing to deduplicate.
  message.chat_id = chat_id();
  message.user_id = current().user_id;
  message.user_name = current().name;
  message.text = text;
  message.mentions = mentioned_people(text);
  std::promise<BotReply> answered;
  auto reply = answered.get_future();
  handler_.handle(std::move(message), [&answered](BotReply r) { answered.set_value(std::move(r)); });
  const BotReply r = reply.get();
  if (!r.text.empty()) print("slabot: " + r.text);
  return r.text;
}

}  // namespace slabot
