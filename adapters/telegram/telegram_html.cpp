#include "adapters/telegram/telegram_html.hpp"

namespace slabot::telegram {
namespace {

struct Character {
  std::size_t bytes;  // in the UTF-8 input
  std::size_t units;  // in UTF-16
};

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The character at the front of `s` (not empty). Invalid UTF-8 is taken one byte at a time.
Character next_character(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s.front());
  std::size_t length = 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
    length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4)
    length = 4;
  if (length > s.size()) return {1, 1};
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(static_cast<unsigned char>(s[i]))) return {1, 1};
  }
  return {length, length == 4 ? std::size_t{2} : std::size_t{1}};
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::size_t utf16_length(std::string_view text) {
  std::size_t units = 0;
  while (!text.empty()) {
    const Character c = next_character(text);
    units += c.units;
    text.remove_prefix(c.bytes);
  }
  return units;
}

std::string truncate_utf16(std::string_view text, std::size_t max_units) {
  if (utf16_length(text) <= max_units) return std::string(text);
  if (max_units == 0) return {};
  const std::size_t budget = max_units - 1;  // "…" is one unit
  std::size_t units = 0;
  std::size_t bytes = 0;
  while (bytes < text.size()) {
    const Character c = next_character(text.substr(bytes));
    if (units + c.units > budget) break;
    units += c.units;
    bytes += c.bytes;
  }
  return std::string(text.substr(0, bytes)) + "\xE2\x80\xA6";
}

}  // namespace slabot::telegram
