#pragma once
// Byte-level helpers for UTF-8 chat text: is it well formed, how many code points, where to cut,
// and ASCII case folding (safe on UTF-8: no byte of a multi-byte sequence is an ASCII letter).
#include <cstddef>
#include <string>
#include <string_view>

namespace slabot::utf8 {

// Well-formed UTF-8: no stray or missing continuation bytes, no overlong forms, no surrogates,
// nothing above U+10FFFF. Downstream (SQLite text, JSON replies) needs it.
bool valid(std::string_view s);

// One code point read from UTF-8.
struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;  // bytes; 0 when `s` does not start with a well-formed character
};

// The character at the front of `s` (not empty), by the rules of valid().
Decoded decode(std::string_view s);

// Code points in well-formed UTF-8 (continuation bytes are not counted).
std::size_t code_points(std::string_view s);

// The first `max_code_points` code points of `s` followed by "...", or `s` if it is no longer;
// never cuts a multi-byte character in half.
std::string clip(std::string_view s, std::size_t max_code_points);

// 'A'..'Z' to 'a'..'z'; every other byte unchanged.
constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Equal but for the case of ASCII letters.
bool iequals(std::string_view a, std::string_view b);

// `s` begins with `prefix`, but for the case of ASCII letters.
bool istarts_with(std::string_view s, std::string_view prefix);

}  // namespace slabot::utf8
