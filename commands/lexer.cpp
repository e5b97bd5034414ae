#include "commands/lexer.hpp"

namespace slabot::lex {
namespace {

bool is_ascii_space(char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f': return true;
    default: return false;
  }
}

std::size_t space_before_end(std::string_view s) {
  if (s.empty()) return 0;
  if (is_ascii_space(s.back())) return 1;
  if (s.ends_with("\u3000")) return 3;
  if (s.ends_with("\u00A0")) return 2;
  return 0;
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

std::optional<Token> Lexer::next() {
  while (std::size_t n = space_at(rest_)) rest_.remove_prefix(n);
  if (rest_.empty()) return std::nullopt;
  Token token;
  bool in_quote = false;
  while (!rest_.empty()) {
    if (std::size_t n = quote_at(rest_)) {
      if (!in_quote && token.first_quote == std::string::npos) token.first_quote = token.text.size();
      in_quote = !in_quote;
      rest_.remove_prefix(n);
      continue;
    }
    if (!in_quote && space_at(rest_)) break;
    // Quoted text is kept byte for byte, except that line breaks and tabs become spaces:
    // titles and labels are shown on one line.
    const char c = rest_[0];
    token.text.push_back(space_at(rest_) == 1 ? ' ' : c);
    rest_.remove_prefix(1);
  }
  if (in_quote) failed_ = true;
  return token;
}

}  // namespace slabot::lex
