// The slash-command grammar (commands/parser, lexer, clean_text) on any chat text: what a
// partner types reaches parse_command unfiltered on every platform.
//
// Input: the message text; or, when it holds a NUL byte, the bot's own handle before the first
// NUL and the text after it (Telegram gives each connection its own handle).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "commands/clean_text.hpp"
#include "commands/lexer.hpp"
#include "commands/parser.hpp"
#include "commands/utf8.hpp"
#include "domain/severity.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;

namespace {

// Bidi controls and the line/paragraph separators: never kept in anything typed (clean_text.hpp).
bool is_bidi_or_separator(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x2028 || c == 0x2029;
}

// What every stored field of a Command must be: well-formed, one line, no bidi tricks.
void check_field(std::string_view field) {
  FUZZ_CHECK(utf8::valid(field));
  FUZZ_CHECK(!lex::has_control_characters(field));
  FUZZ_CHECK(field.find_first_of("\r\n\t") == std::string_view::npos);
  for (std::string_view rest = field; !rest.empty();) {
    const auto decoded = utf8::decode(rest);
    FUZZ_CHECK(decoded.length > 0);
    FUZZ_CHECK(!is_bidi_or_separator(decoded.code_point));
    rest.remove_prefix(decoded.length);
  }
}

bool takes_id(Verb verb) {
  switch (verb) {
    case Verb::ack:
    case Verb::assign:
    case Verb::escalate:
    case Verb::sev:
    case Verb::note:
    case Verb::resolve:
    case Verb::close:
    case Verb::reopen:
    case Verb::show:
    case Verb::ctg:
    case Verb::rate: return true;
    default: return false;
  }
}

void check_command(const Command& command, std::string_view text) {
  // Only what passed the message-wide checks is ever a Command.
  FUZZ_CHECK(text.size() <= kMaxCommandBytes);
  FUZZ_CHECK(utf8::valid(text));
  FUZZ_CHECK(!lex::has_control_characters(text));
  for (const std::string* field : {&command.title, &command.sub_customer, &command.person, &command.text}) {
    check_field(*field);
  }
  FUZZ_CHECK(takes_id(command.verb) == (command.id > 0));
  FUZZ_CHECK((command.verb == Verb::outbox) || command.message_id == 0);
  FUZZ_CHECK(command.message_id >= 0);
  switch (command.verb) {
    case Verb::open:
      FUZZ_CHECK(is_valid_severity(command.severity));
      FUZZ_CHECK(!command.title.empty() && utf8::code_points(command.title) <= kMaxTitleChars);
      FUZZ_CHECK(utf8::code_points(command.sub_customer) <= kMaxSubCustomerChars);
      break;
    case Verb::sev: FUZZ_CHECK(is_valid_severity(command.severity)); break;
    case Verb::list: FUZZ_CHECK(command.severity == 0 || is_valid_severity(command.severity)); break;
    case Verb::assign: FUZZ_CHECK(!command.person.empty()); break;
    case Verb::note: FUZZ_CHECK(!command.text.empty()); break;
    case Verb::rate: FUZZ_CHECK(command.rating >= 1 && command.rating <= 5); break;
    case Verb::milestone:
    case Verb::deliverable: FUZZ_CHECK(is_milestone_id(command.milestone)); break;
    case Verb::engagement:
      FUZZ_CHECK(command.step != EngagementStep::none);
      FUZZ_CHECK(command.amount >= 0 && command.amount <= 1000);
      break;
    default: FUZZ_CHECK(command.severity == 0); break;
  }
  if (command.verb != Verb::open) FUZZ_CHECK(command.title.empty() && command.sub_customer.empty());
}

bool same(const ParseResult& a, const ParseResult& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<Command>(&a)) {
    const auto& y = std::get<Command>(b);
    return x->verb == y.verb && x->id == y.id && x->severity == y.severity && x->title == y.title &&
           x->sub_customer == y.sub_customer && x->person == y.person && x->text == y.text &&
           x->message_id == y.message_id && x->scope == y.scope && x->package == y.package && x->service == y.service &&
           x->exception == y.exception && x->rating == y.rating && x->step == y.step && x->edition == y.edition &&
           x->start_date == y.start_date && x->milestone == y.milestone && x->amount == y.amount;
  }
  if (const auto* x = std::get_if<ParseError>(&a)) {
    const auto& y = std::get<ParseError>(b);
    return x->message == y.message && x->usage == y.usage;
  }
  return true;
}

// The lexer on text already folded, as the parser uses it.
void check_lexer(std::string_view folded) {
  lex::Lexer lexer(folded);
  std::size_t tokens = 0;
  while (const auto token = lexer.next()) {
    FUZZ_CHECK(++tokens <= folded.size());  // every word takes at least one byte: it ends
    // A word nobody quoted ends at the first blank.
    if (token->first_quote == std::string::npos) FUZZ_CHECK(lex::word_length(token->text) == token->text.size());
  }
}

// A bot handle as platforms allow them, for which "@handle /x" must mean "/x".
bool plain_handle(std::string_view handle) {
  if (handle.empty()) return false;
  for (const char c : handle) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view bot_name = "slabot";
  std::string_view text = input;
  if (const auto nul = input.find('\0'); nul != std::string_view::npos) {
    bot_name = input.substr(0, nul);
    text = input.substr(nul + 1);
  }

  const ParseResult result = FUZZ_NO_THROW(parse_command(text, bot_name));
  if (const auto* command = std::get_if<Command>(&result)) check_command(*command, text);
  if (const auto* error = std::get_if<ParseError>(&result)) {
    FUZZ_CHECK(!error->message.empty() && !error->usage.empty());
    FUZZ_CHECK(utf8::valid(error->message));  // it is sent back to the chat
  }
  // A leading mention of the bot changes nothing ("@slabot /ack 12" is "/ack 12").
  const std::string_view handle = bot_name.substr(lex::at_sign_at(bot_name));
  if (plain_handle(handle) && text.size() + handle.size() + 2 <= kMaxCommandBytes) {
    const std::string mentioned = "@" + std::string(handle) + " " + std::string(text);
    FUZZ_CHECK(same(result, parse_command(mentioned, bot_name)));
  }

  if (utf8::valid(text)) {
    const std::string folded = lex::fold_line_breaks(text);
    FUZZ_CHECK(folded.find_first_of("\r\n\t") == std::string::npos);
    check_lexer(folded);
    const std::string visible = text::without_invisible(folded);
    FUZZ_CHECK(utf8::valid(visible));
    FUZZ_CHECK(visible.size() <= folded.size());
  }
  // Display names: any bytes in, one clean line out.
  const std::string name = text::clean_name(text);
  FUZZ_CHECK(utf8::valid(name));
  FUZZ_CHECK(!lex::has_control_characters(name) && name.find_first_of("\r\n\t") == std::string::npos);
  FUZZ_CHECK(name.empty() || (name.front() != ' ' && name.back() != ' '));
  return 0;
}
