#pragma once
// The characters of a chat command and how it splits into words. Phones and CJK keyboards insert
// look-alikes of the ASCII marks (full-width ＠＃／, typographic quotes, U+3000); they are accepted.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace slabot::lex {

// --- Characters. Each returns the bytes of the character starting `s`, 0 if it is not one.

// Whitespace: ASCII, the ideographic space U+3000 and the no-break space U+00A0.
std::size_t space_at(std::string_view s);

// A double quote: '"' or the typographic “ ” (either may open or close, since phones are not
// consistent about which one they insert).
std::size_t quote_at(std::string_view s);

// `ascii` or its full-width form (U+FF01.. mirrors ASCII), given as UTF-8 in `full_width`.
std::size_t mark_at(std::string_view s, char ascii, std::string_view full_width);

// '@' or '＠'.
inline std::size_t at_sign_at(std::string_view s) { return mark_at(s, '@', "\uFF20"); }

// `s` without the whitespace around it.
std::string_view trim(std::string_view s);

// Bytes up to the next whitespace.
std::size_t word_length(std::string_view s);

// --- Control characters: commands are shown on one line, in replies and timeline rows.

// A C0 or C1 control character other than the tab and the line breaks \r and \n: U+0000..U+001F,
// U+007F, U+0080..U+009F. `s` must be well-formed UTF-8.
bool has_control_characters(std::string_view s);

// `s` with every run of \r, \n and \t replaced by one space; nothing else changes.
std::string fold_line_breaks(std::string_view s);

// --- Words.

struct Token {
  std::string text;  // with the grouping quote marks removed
  // Where quoted text begins in `text`; npos when nothing was quoted. `for:"Big Co"` has 4, so
  // the label is an option, while `"for:x"` has 0 and stays literal title text.
  std::size_t first_quote = std::string::npos;
};

// Splits on whitespace. A quote groups words only where it opens a word or follows `for:`
// (`"DB down"`, `for:"Big Co"`); a quote inside a word (`5"`) is an ordinary character. The
// input is expected to be folded already (see fold_line_breaks); the lexer copies bytes as is.
class Lexer {
 public:
  explicit Lexer(std::string_view input) : rest_(input) {}

  // The next word, or nullopt at the end. An unterminated quote takes the rest of the input
  // and sets failed().
  std::optional<Token> next();

  // Everything not yet read, untouched but for the surrounding whitespace.
  std::string_view rest() const { return trim(rest_); }

  bool failed() const { return failed_; }

 private:
  std::string_view rest_;
  bool failed_ = false;
};

}  // namespace slabot::lex
