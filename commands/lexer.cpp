#include "commands/lexer.hpp"

#include "commands/utf8.hpp"

namespace slabot::lex {
namespace {

bool is_ascii_space(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\v':
    case '\f': return true;
    default: return false;
  }
}

bool is_line_break_or_tab(char c) { return c == '\r' || c == '\n' || c == '\t'; }

std::size_t space_before_end(std::string_view s) {
  if (s.empty()) return 0;
  if (is_ascii_space(s.back())) return 1;
  if (s.ends_with("\u3000")) return 3;
  if (s.ends_with("\u00A0")) return 2;
  return 0;
}

// Where a quote may open a group: at the start of a word, or right after `for:`.
bool quote_may_open(const Token& token) {
  return token.first_quote == std::string::npos && (token.text.empty() || utf8::iequals(token.text, "for:"));
}

}  // namespace

std::size_t space_at(std::string_view s) {
  if (s.empty()) return 0;
  if (is_ascii_space(s[0])) return 1;
  if (s.starts_with("\u3000")) return 3;
  if (s.starts_with("\u00A0")) return 2;
  return 0;
}

std::size_t quote_at(std::string_view s) {
  if (s.starts_with('"')) return 1;
  if (s.starts_with("\u201C") || s.starts_with("\u201D")) return 3;
  return 0;
}

std::size_t mark_at(std::string_view s, char ascii, std::string_view full_width) {
  if (s.starts_with(ascii)) return 1;
  if (s.starts_with(full_width)) return full_width.size();
  return 0;
}

std::string_view trim(std::string_view s) {
  while (std::size_t n = space_at(s)) s.remove_prefix(n);
  while (std::size_t n = space_before_end(s)) s.remove_suffix(n);
  return s;
}

std::size_t word_length(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (space_at(s.substr(i))) return i;
  }
  return s.size();
}

bool has_control_characters(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto byte = static_cast<unsigned char>(s[i]);
    if ((byte < 0x20 && !is_line_break_or_tab(s[i])) || byte == 0x7F) return true;
    // U+0080..U+009F are C2 80..C2 9F; in well-formed UTF-8 a C2 byte always leads.
    if (byte == 0xC2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

std::string fold_line_breaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (!is_line_break_or_tab(s[i])) {
      out.push_back(s[i++]);
      continue;
    }
    out.push_back(' ');
    while (i < s.size() && is_line_break_or_tab(s[i])) ++i;
  }
  return out;
}

std::optional<Token> Lexer::next() {
  while (std::size_t n = space_at(rest_)) rest_.remove_prefix(n);
  if (rest_.empty()) return std::nullopt;
  Token token;
  bool in_quote = false;
  while (!rest_.empty()) {
    const std::size_t quote = quote_at(rest_);
    if (quote != 0 && (in_quote || quote_may_open(token))) {
      if (!in_quote) token.first_quote = token.text.size();
      in_quote = !in_quote;
      rest_.remove_prefix(quote);
      continue;
    }
    if (!in_quote && space_at(rest_)) break;
    // A quote that groups nothing is copied whole, like any other character.
    const std::size_t length = quote != 0 ? quote : 1;
    token.text.append(rest_.substr(0, length));
    rest_.remove_prefix(length);
  }
  if (in_quote) failed_ = true;
  return token;
}

}  // namespace slabot::lex
