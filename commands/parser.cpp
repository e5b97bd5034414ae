#include "commands/parser.hpp"

#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "commands/clean_text.hpp"
#include "commands/engagement_grammar.hpp"
#include "commands/lexer.hpp"
#include "commands/usage.hpp"
#include "commands/utf8.hpp"
#include "domain/severity.hpp"

namespace slabot {
namespace {

using lex::Lexer;
using lex::Token;
using lex::trim;

constexpr std::string_view kBadId = "ticket id must be a number like #12";
constexpr std::string_view kBadSeverity = "severity must be 1-5 or critical, urgent, high, medium, low";
constexpr std::string_view kControlCharacters = "control characters are not allowed";
constexpr std::size_t kShownNameChars = 32;  // how much of an unknown word an error echoes back

// A word echoed in an error, cut so a pasted essay stays one short line.
std::string clip(std::string_view s) { return utf8::clip(s, kShownNameChars); }

// Telegram's command charset. Anything else after a slash ("/usr/bin", "/ shrug", "//") is
// ordinary chat, not a command with a typo.
bool is_command_name(std::string_view name) {
  if (name.empty()) return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(name[0])) return false;
  for (const char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') return false;
  }
  return true;
}

// --- Arguments.

// `s` with the full-width digits ０..９ (U+FF10..U+FF19, bytes EF BC 90..99) written as ASCII;
// nullopt if anything but a digit is in it.
std::optional<std::string> ascii_digits(std::string_view s) {
  constexpr std::string_view kFullWidthDigitLead = "\xEF\xBC";
  std::string out;
  while (!s.empty()) {
    if (s[0] >= '0' && s[0] <= '9') {
      out.push_back(s[0]);
      s.remove_prefix(1);
      continue;
    }
    if (s.size() < 3 || !s.starts_with(kFullWidthDigitLead)) return std::nullopt;
    const auto last = static_cast<unsigned char>(s[2]);
    if (last < 0x90 || last > 0x99) return std::nullopt;
    out.push_back(static_cast<char>('0' + (last - 0x90)));
    s.remove_prefix(3);
  }
  return out;
}

std::optional<TicketId> parse_id(std::string_view s) {
  s.remove_prefix(lex::mark_at(s, '#', "\uFF03"));
  const auto digits = ascii_digits(s);  // also refuses signs, which from_chars allows
  if (!digits || digits->empty()) return std::nullopt;
  TicketId id = 0;
  const char* const end = digits->data() + digits->size();
  const auto [stop, error] = std::from_chars(digits->data(), end, id);
  if (error != std::errc{} || stop != end || id <= 0) return std::nullopt;
  return id;
}

// `s` starts with a quote: the text up to the closing quote and what follows it, or nullopt
// when the quote is never closed.
struct Quoted {
  std::string_view inner;
  std::string_view after;
};

std::optional<Quoted> split_quoted(std::string_view s) {
  const std::string_view inner = s.substr(lex::quote_at(s));
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (const std::size_t close = lex::quote_at(inner.substr(i))) {
      return Quoted{inner.substr(0, i), inner.substr(i + close)};
    }
  }
  return std::nullopt;
}

// Free text after an id (note, reasons, summaries) is taken as typed: quotes there are part of
// what someone said, not grouping, so `he said "reboot` must not fail. One pair of quotes
// around the whole text is the user grouping it, and is removed.
std::string free_text(std::string_view s) {
  if (lex::quote_at(s)) {
    const auto quoted = split_quoted(s);
    if (quoted && quoted->after.empty()) return std::string(trim(quoted->inner));
  }
  return std::string(s);
}

// `s` without one leading '@' or '＠' and the whitespace around it.
std::string_view without_at_sign(std::string_view s) {
  s = trim(s);
  return trim(s.substr(lex::at_sign_at(s)));
}

// Whether a word after the first one is an @-mention: `@alice @bob` names two people.
bool mentions_another(std::string_view s) {
  while (!s.empty()) {
    if (const std::size_t n = lex::space_at(s)) {
      s.remove_prefix(n);
      if (lex::at_sign_at(s)) return true;
      continue;
    }
    s.remove_prefix(1);
  }
  return false;
}

// Reads one verb's arguments. Each parse_* fills command_ and returns an error or nothing.
class ArgumentParser {
 public:
  ArgumentParser(Verb verb, Lexer lexer) : lexer_(std::move(lexer)) { command_.verb = verb; }

  ParseResult parse() {
    std::optional<ParseError> error;
    switch (command_.verb) {
      case Verb::open: error = parse_open(); break;
      case Verb::ack:
      case Verb::show: error = parse_id_only(); break;
      case Verb::assign: error = parse_assign(); break;
      case Verb::sev: error = parse_sev(); break;
      case Verb::note: error = parse_id_and_text(/*required=*/true); break;
      case Verb::escalate:
      case Verb::resolve:
      case Verb::close:
      case Verb::reopen: error = parse_id_and_text(/*required=*/false); break;
      case Verb::list: error = parse_list(); break;
      case Verb::sla:
      case Verb::oncall: error = parse_tenant_filter(); break;
      case Verb::duty: error = parse_duty(); break;
      case Verb::whoami: error = parse_nothing(); break;
      case Verb::help: error = parse_help(); break;
      case Verb::outbox: error = parse_outbox(); break;
      case Verb::report: error = parse_report(); break;
      case Verb::entitlements: error = parse_tenant_filter(); break;
      case Verb::package: error = parse_package_change(); break;
      case Verb::ctg: error = parse_ctg(); break;
      case Verb::done: error = parse_done(); break;
      case Verb::rate: error = parse_rate(); break;
      case Verb::engagement:
      case Verb::milestone:
      case Verb::deliverable: error = parse_engagement(); break;
    }
    if (error) return *std::move(error);
    return command_;
  }

 private:
  ParseError fail(std::string message) const {
    return ParseError{std::move(message), std::string(usage_of(command_.verb))};
  }

  // The next word, or an error for an unterminated quote; nullopt word at the end.
  std::optional<ParseError> take(std::optional<Token>& token) {
    token = lexer_.next();
    if (lexer_.failed()) return fail("unterminated quote");
    return std::nullopt;
  }

  std::optional<ParseError> take_all(std::vector<Token>& tokens) {
    std::optional<Token> token;
    for (;;) {
      if (auto error = take(token)) return error;
      if (!token) return std::nullopt;
      tokens.push_back(*std::move(token));
    }
  }

  std::optional<ParseError> take_id() {
    std::optional<Token> token;
    if (auto error = take(token)) return error;
    if (!token) return fail("missing ticket id");
    const auto id = parse_id(token->text);
    if (!id) return fail(std::string(kBadId));
    command_.id = *id;
    return std::nullopt;
  }

  std::optional<ParseError> expect_end() {
    std::optional<Token> token;
    if (auto error = take(token)) return error;
    if (token) return fail("too many arguments");
    return std::nullopt;
  }

  std::optional<ParseError> parse_open() {
    std::optional<Token> sev;
    if (auto error = take(sev)) return error;
    if (!sev) return fail("missing severity");
    const auto level = parse_severity(sev->text);
    if (!level) return fail(std::string(kBadSeverity));
    command_.severity = *level;

    std::vector<Token> words;
    if (auto error = take_all(words)) return error;
    bool has_label = false;
    for (const Token& word : words) {
      const bool is_label = utf8::istarts_with(word.text, "for:") && word.first_quote >= 4;
      if (is_label) {
        if (has_label) return fail("only one for: label per ticket");
        has_label = true;
        command_.sub_customer = std::string(trim(std::string_view(word.text).substr(4)));
        if (command_.sub_customer.empty()) return fail("missing customer name after for:");
        if (utf8::code_points(command_.sub_customer) > kMaxSubCustomerChars) {
          return fail("customer name is longer than " + std::to_string(kMaxSubCustomerChars) + " characters");
        }
        continue;
      }
      const std::string_view part = trim(word.text);
      if (part.empty()) continue;
      if (!command_.title.empty()) command_.title += ' ';
      command_.title += part;
    }
    if (command_.title.empty()) return fail("missing title");
    if (utf8::code_points(command_.title) > kMaxTitleChars) {
      return fail("title is longer than " + std::to_string(kMaxTitleChars) + " characters");
    }
    return std::nullopt;
  }

  std::optional<ParseError> parse_id_only() {
    if (auto error = take_id()) return error;
    return expect_end();
  }

  // The person is the rest of the line, so display names with spaces (`@Wei Zhang`) work.
  std::optional<ParseError> parse_assign() {
    if (auto error = take_id()) return error;
    if (auto error = take_person()) return error;
    if (command_.person.empty()) return fail("missing person to assign");
    return std::nullopt;
  }

  // The rest as one person (possibly none): `alice`, `@alice`, `"Wei Zhang"`, `@"Wei Zhang"`.
  std::optional<ParseError> take_person() {
    std::string_view name = without_at_sign(lexer_.rest());
    const std::string one_person = std::string(verb_name(command_.verb)) + " takes exactly one person";
    if (lex::quote_at(name)) {
      const auto quoted = split_quoted(name);
      if (!quoted) return fail("unterminated quote");
      if (!trim(quoted->after).empty()) return fail(one_person);
      name = without_at_sign(quoted->inner);
    }
    if (mentions_another(name)) return fail(one_person);
    command_.person = std::string(name);
    return std::nullopt;
  }

  std::optional<ParseError> parse_sev() {
    if (auto error = take_id()) return error;
    std::optional<Token> level;
    if (auto error = take(level)) return error;
    if (!level) return fail("missing severity");
    const auto parsed = parse_severity(level->text);
    if (!parsed) return fail(std::string(kBadSeverity));
    command_.severity = *parsed;
    return expect_end();
  }

  std::optional<ParseError> parse_id_and_text(bool required) {
    if (auto error = take_id()) return error;
    command_.text = free_text(lexer_.rest());
    if (required && command_.text.empty()) return fail("missing note text");
    return std::nullopt;
  }

  std::optional<ParseError> parse_list() {
    std::vector<Token> words;
    if (auto error = take_all(words)) return error;
    bool has_scope = false;
    for (const Token& word : words) {
      std::optional<ListScope> scope;
      if (utf8::iequals(word.text, "open")) scope = ListScope::open;
      if (utf8::iequals(word.text, "mine")) scope = ListScope::mine;
      if (utf8::iequals(word.text, "all")) scope = ListScope::all;
      if (scope) {
        if (has_scope) return fail("list takes one of open, mine or all");
        has_scope = true;
        command_.scope = *scope;
        continue;
      }
      // A bare "2" could be a ticket id as easily as a severity: only sevN and names count.
      const bool bare_number = !word.text.empty() && word.text.find_first_not_of("0123456789") == std::string::npos;
      const auto level = bare_number ? std::nullopt : parse_severity(word.text);
      if (!level) {
        if (bare_number) return fail("write a list severity as sevN or a name, like sev2");
        // Anything else names a tenant: whether one is called so is the service's to say.
        if (!command_.tenant.empty()) return fail("list takes one tenant");
        command_.tenant = word.text;
        continue;
      }
      if (command_.severity != 0) return fail("list takes one severity");
      command_.severity = *level;
    }
    return std::nullopt;
  }

  std::optional<ParseError> parse_tenant_filter() {
    std::vector<Token> words;
    if (auto error = take_all(words)) return error;
    if (words.size() > 1) return fail(std::string(verb_name(command_.verb)) + " takes one tenant");
    if (!words.empty()) command_.tenant = words[0].text;
    return std::nullopt;
  }

  std::optional<ParseError> parse_duty() {
    std::optional<Token> word;
    if (auto error = take(word)) return error;
    if (!word) return std::nullopt;  // asks
    if (utf8::iequals(word->text, "on")) {
      command_.duty_on = true;
    } else if (utf8::iequals(word->text, "off")) {
      command_.duty_on = false;
    } else {
      return fail("say on or off, not " + clip(word->text));
    }
    return take_person();
  }

  // A word starting with a digit is the month (checked by the service, which knows the zone);
  // any other word names a tenant, or all.
  std::optional<ParseError> parse_report() {
    std::vector<Token> words;
    if (auto error = take_all(words)) return error;
    if (!words.empty() && utf8::iequals(words[0].text, "engagement")) {
      command_.step = EngagementStep::report;
      if (words.size() > 2) return fail("report engagement takes one tenant");
      if (words.size() == 2) command_.tenant = words[1].text;
      return std::nullopt;
    }
    for (const auto& word : words) {
      const bool month = !word.text.empty() && word.text[0] >= '0' && word.text[0] <= '9';
      std::string& slot = month ? command_.text : command_.tenant;
      if (!slot.empty()) return fail(month ? "report takes one month" : "report takes one tenant");
      slot = word.text;
    }
    return std::nullopt;
  }

  std::optional<ParseError> parse_engagement() {
    if (auto why = parse_engagement_words(lexer_.rest(), command_)) return fail(*std::move(why));
    return std::nullopt;
  }

  std::optional<ParseError> parse_nothing() {
    std::optional<Token> token;
    if (auto error = take(token)) return error;
    if (token) return fail(std::string(verb_name(command_.verb)) + " takes no arguments");
    return std::nullopt;
  }

  std::optional<ParseError> parse_outbox() {
    std::optional<Token> word;
    if (auto error = take(word)) return error;
    if (!word) return std::nullopt;
    if (!utf8::iequals(word->text, "retry")) return fail("unknown outbox action " + clip(word->text));
    std::optional<Token> number;
    if (auto error = take(number)) return error;
    if (!number) return fail("missing message number");
    const auto id = parse_id(number->text);
    if (!id) return fail("message number must be a number like 12, as /outbox lists it");
    command_.message_id = *id;
    return expect_end();
  }

  std::optional<ParseError> parse_package_change() {
    std::optional<Token> tenant, name;
    if (auto error = take(tenant)) return error;
    if (!tenant) return fail("missing tenant");
    if (auto error = take(name)) return error;
    if (!name) return fail("missing package");
    const auto package = parse_package(name->text);
    if (!package) return fail("unknown package " + clip(name->text));
    command_.tenant = tenant->text;
    command_.package = *package;
    return expect_end();
  }

  // `/ctg 12 [reason]`, or staff's `/ctg 12 exception <reason>`.
  std::optional<ParseError> parse_ctg() {
    if (auto error = take_id()) return error;
    std::string_view rest = trim(lexer_.rest());
    const std::string_view first = rest.substr(0, lex::word_length(rest));
    if (utf8::iequals(first, "exception")) {
      command_.exception = true;
      rest = trim(rest.substr(first.size()));
      if (rest.empty()) return fail("an exception needs a reason");
    }
    command_.text = free_text(rest);
    return std::nullopt;
  }

  std::optional<ParseError> parse_done() {
    std::optional<Token> word;
    if (auto error = take(word)) return error;
    if (!word) return fail("missing service");
    const auto service = parse_service(word->text);
    if (!service) return fail("unknown service " + clip(word->text));
    command_.service = *service;
    command_.text = free_text(lexer_.rest());
    return std::nullopt;
  }

  std::optional<ParseError> parse_rate() {
    if (auto error = take_id()) return error;
    std::optional<Token> score;
    if (auto error = take(score)) return error;
    if (!score) return fail("missing rating");
    if (score->text.size() != 1 || score->text[0] < '1' || score->text[0] > '5') {
      return fail("a rating is a whole number from 1 to 5");
    }
    command_.rating = score->text[0] - '0';
    command_.text = free_text(lexer_.rest());
    return std::nullopt;
  }

  std::optional<ParseError> parse_help() {
    std::optional<Token> topic;
    if (auto error = take(topic)) return error;
    if (!topic) return std::nullopt;
    std::string_view name = topic->text;
    name.remove_prefix(lex::mark_at(name, '/', "\uFF0F"));
    const auto verb = verb_from_name(name);
    if (!verb) return fail("unknown command /" + clip(name));
    // The canonical name, so `help acknowledge` and `help ack` reach the handler alike.
    command_.text = std::string(verb_name(*verb));
    return expect_end();
  }

  Lexer lexer_;
  Command command_;
};

ParseError general_error(std::string message) { return ParseError{std::move(message), std::string(kHelpUsage)}; }

// The usage of `verb` when it is known, else /help's.
ParseError error_for(std::optional<Verb> verb, std::string message) {
  if (!verb) return general_error(std::move(message));
  return ParseError{std::move(message), std::string(usage_of(*verb))};
}

// --- Addressing.

// The bot's handle without its '@'.
std::string_view own_handle(std::string_view bot_name) {
  bot_name = trim(bot_name);
  bot_name.remove_prefix(lex::at_sign_at(bot_name));
  return bot_name;
}

// Bytes of a leading mention of the bot itself (`@slabot`, `＠SlaBot:`, `@slabot,`), 0 for
// anything else, mentions of other people included.
std::size_t own_mention_at(std::string_view s, std::string_view handle) {
  const std::size_t at = lex::at_sign_at(s);
  if (at == 0 || handle.empty()) return 0;
  const std::string_view word = s.substr(0, lex::word_length(s));
  std::string_view name = word.substr(at);
  constexpr std::array<std::string_view, 4> kSeparators{":", ",", "\uFF1A", "\uFF0C"};
  for (const std::string_view separator : kSeparators) {
    if (name.ends_with(separator)) {
      name.remove_suffix(separator.size());
      break;
    }
  }
  return utf8::iequals(name, handle) ? word.size() : 0;
}

// The Telegram `/cmd@bot` suffix of a command word: where it starts and how long its '@' is.
std::pair<std::size_t, std::size_t> at_suffix(std::string_view word) {
  const std::size_t ascii = word.find('@');
  const std::size_t full_width = word.find("\uFF20");
  if (full_width < ascii) return {full_width, 3};
  return {ascii, 1};
}

}  // namespace

ParseResult parse_command(std::string_view text, std::string_view bot_name) {
  // First decide, cheaply and from the front only, whether this is meant for the bot at all:
  // plain chat of any length must get silence, never an error. Only the bot's own mentions are
  // skipped; `@otherbot /help` is for the other bot.
  const std::string_view handle = own_handle(bot_name);
  std::string_view rest = trim(text);
  while (const std::size_t mention = own_mention_at(rest, handle)) rest = trim(rest.substr(mention));
  const std::size_t slash = lex::mark_at(rest, '/', "\uFF0F");
  if (slash == 0) return NotACommand{};
  rest.remove_prefix(slash);
  const std::string_view word = rest.substr(0, lex::word_length(rest));
  rest.remove_prefix(word.size());
  const auto [at, at_length] = at_suffix(word);
  const std::string_view name = word.substr(0, at);
  if (!is_command_name(name)) return NotACommand{};
  if (at != std::string_view::npos) {
    const std::string_view suffix = word.substr(at + at_length);
    if (handle.empty() || !utf8::iequals(suffix, handle)) return NotACommand{};
  }

  if (text.size() > kMaxCommandBytes) return general_error("message too long");
  if (!utf8::valid(text)) return general_error("message is not valid UTF-8");
  const bool has_controls = lex::has_control_characters(text);

  // Replies and timeline rows show free text and titles on one line, and show it as typed:
  // invisible characters that could reorder or hide what others read are dropped here, once,
  // for every argument (a title of nothing but them is then a missing title).
  const std::string arguments = text::without_invisible(lex::fold_line_breaks(rest));
  Lexer lexer(arguments);
  std::optional<Verb> verb;
  if (utf8::iequals(name, "ticket")) {
    const std::optional<Token> sub = lexer.next();
    if (has_controls) {
      return error_for(sub ? verb_from_name(sub->text) : std::nullopt, std::string(kControlCharacters));
    }
    if (!sub) return Command{.verb = Verb::help};  // a bare /ticket asks what it can do
    if (lexer.failed()) return general_error("unterminated quote");
    verb = verb_from_name(sub->text);
    if (!verb) return general_error("unknown command /ticket " + clip(sub->text));
  } else {
    verb = verb_from_name(name);
    if (has_controls) return error_for(verb, std::string(kControlCharacters));
    if (!verb) return general_error("unknown command /" + clip(name));
  }
  return ArgumentParser(*verb, std::move(lexer)).parse();
}

}  // namespace slabot
