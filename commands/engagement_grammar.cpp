#include "commands/engagement_grammar.hpp"

#include "commands/lexer.hpp"
#include "commands/parser.hpp"
#include "commands/utf8.hpp"

namespace slabot {
namespace {

using lex::trim;

// Supplement units and person-days: a few hundred at most; a typo of 10000 is refused.
constexpr int kMaxAmount = 1000;
constexpr std::size_t kShownChars = 32;

// The first word of `rest`, and `rest` after it.
std::string_view first_word(std::string_view& rest) {
  rest = trim(rest);
  const std::string_view word = rest.substr(0, lex::word_length(rest));
  rest = trim(rest.substr(word.size()));
  return word;
}

std::optional<std::string> text_limit(const std::string& text, std::string_view what) {
  if (utf8::code_points(text) > kMaxTitleChars) {
    return std::string(what) + " is longer than " + std::to_string(kMaxTitleChars) + " characters";
  }
  return std::nullopt;
}

std::optional<std::string> parse_amount(std::string_view word, int& amount) {
  if (word.empty()) return "missing number";
  int value = 0;
  for (const char c : word) {
    if (c < '0' || c > '9' || value > kMaxAmount) return "a number like 2, not " + utf8::clip(word, kShownChars);
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > kMaxAmount) return "a number from 1 to " + std::to_string(kMaxAmount);
  amount = value;
  return std::nullopt;
}

std::optional<std::string> parse_start(std::string_view rest, Command& c) {
  const std::string_view edition = first_word(rest);
  if (edition.empty()) return "missing edition (standard or premium)";
  const auto parsed = parse_edition(edition);
  if (!parsed) return "edition is standard or premium, not " + utf8::clip(edition, kShownChars);
  c.edition = *parsed;
  while (!rest.empty()) {
    const std::string_view word = first_word(rest);
    if (utf8::istarts_with(word, "at:")) {
      if (c.start_date) return "one at: date only";
      c.start_date = parse_date(word.substr(3));
      if (!c.start_date) return "write the start date as at:2026-03-02";
      continue;
    }
    if (!c.text.empty()) c.text += ' ';
    c.text += word;
  }
  if (c.text.empty()) return "missing scenario";
  return text_limit(c.text, "scenario");
}

std::optional<std::string> parse_engagement(std::string_view rest, Command& c) {
  const std::string_view step = first_word(rest);
  if (step.empty()) {
    c.step = EngagementStep::show;
    return std::nullopt;
  }
  if (utf8::iequals(step, "start")) {
    c.step = EngagementStep::start;
    return parse_start(rest, c);
  }
  if (utf8::iequals(step, "csm")) {
    c.step = EngagementStep::csm;
    rest.remove_prefix(lex::at_sign_at(rest));
    c.person = std::string(trim(rest));
    if (c.person.empty()) return "missing person";
    if (utf8::code_points(c.person) > kMaxSubCustomerChars) return "name is too long";
    return std::nullopt;
  }
  if (utf8::iequals(step, "cancel")) {
    c.step = EngagementStep::cancel;
    c.text = std::string(rest);
    if (c.text.empty()) return "missing reason";
    return text_limit(c.text, "reason");
  }
  if (utf8::iequals(step, "units")) {
    const std::string_view which = first_word(rest);
    if (utf8::iequals(which, "add")) {
      c.step = EngagementStep::units_add;
    } else if (utf8::iequals(which, "use")) {
      c.step = EngagementStep::units_use;
    } else {
      return "units add <n> or units use <n> [note]";
    }
    if (auto error = parse_amount(first_word(rest), c.amount)) return error;
    if (c.step == EngagementStep::units_add && !rest.empty()) return "too many arguments";
    c.text = std::string(rest);
    return text_limit(c.text, "note");
  }
  return "unknown engagement action " + utf8::clip(step, kShownChars);
}

std::optional<std::string> take_milestone(std::string_view& rest, Command& c) {
  const std::string_view id = first_word(rest);
  if (id.empty()) return "missing milestone (1.1 to 1.6)";
  if (!is_milestone_id(id)) return "milestone is 1.1 to 1.6, not " + utf8::clip(id, kShownChars);
  c.milestone = std::string(id);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_engagement_words(std::string_view words, Command& c) {
  std::string_view rest = trim(words);
  if (c.verb == Verb::engagement) return parse_engagement(rest, c);
  const std::string_view step = first_word(rest);
  if (c.verb == Verb::milestone) {
    if (!utf8::iequals(step, "done"))
      return step.empty() ? "missing done" : "say done, not " + utf8::clip(step, kShownChars);
    c.step = EngagementStep::milestone_done;
  } else if (utf8::iequals(step, "submit")) {
    c.step = EngagementStep::submit;
  } else if (utf8::iequals(step, "confirm")) {
    c.step = EngagementStep::confirm;
  } else if (utf8::iequals(step, "object")) {
    c.step = EngagementStep::object;
  } else {
    return step.empty() ? "missing submit, confirm or object"
                        : "say submit, confirm or object, not " + utf8::clip(step, kShownChars);
  }
  if (auto error = take_milestone(rest, c)) return error;
  c.text = std::string(rest);
  if (c.step == EngagementStep::submit && c.text.empty()) return "missing title";
  return text_limit(c.text, c.step == EngagementStep::submit ? "title" : "text");
}

}  // namespace slabot
