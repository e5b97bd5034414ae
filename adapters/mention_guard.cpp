#include "adapters/mention_guard.hpp"

#include "adapters/wire.hpp"

namespace slabot {
namespace {

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (const std::string_view prefix : prefixes) {
    if (istarts_with(s, prefix)) return true;
  }
  return false;
}

// Whether `s` starts with one of `words` that no letter or digit continues. Any other byte ends
// it, non-ASCII ones included: a word that only might go on is defused rather than left live.
bool starts_with_whole_word(std::string_view s, std::initializer_list<std::string_view> words) {
  for (const std::string_view word : words) {
    if (istarts_with(s, word) && (s.size() == word.size() || !is_ascii_alnum(s[word.size()]))) return true;
  }
  return false;
}

}  // namespace

std::string defuse_markup(std::string_view text, std::initializer_list<std::string_view> openers) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && starts_with_any(text.substr(i + 1), openers)) {
      out += kInertLessThan;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string defuse_mention_words(std::string_view text, std::initializer_list<std::string_view> words) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool after_word = i > 0 && is_ascii_alnum(text[i - 1]);  // ops@all.example: an address
    if (text[i] == '@' && !after_word && starts_with_whole_word(text.substr(i + 1), words)) {
      out += kInertAtSign;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace slabot
