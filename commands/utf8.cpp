#include "commands/utf8.hpp"

namespace slabot::utf8 {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

Decoded decode(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s.front());
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07;
    smallest = 0x10000;
  } else {
    return {};
  }
  if (s.size() < length) return {};
  for (std::size_t k = 1; k < length; ++k) {
    if (!is_continuation(s[k])) return {};
    cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
  }
  if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, length};
}

bool valid(std::string_view s) {
  while (!s.empty()) {
    const std::size_t length = decode(s).length;
    if (length == 0) return false;
    s.remove_prefix(length);
  }
  return true;
}

std::size_t code_points(std::string_view s) {
  std::size_t count = 0;
  for (const char c : s) {
    if (!is_continuation(c)) ++count;
  }
  return count;
}

std::string clip(std::string_view s, std::size_t max_code_points) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(s[i]) && count++ == max_code_points) return std::string(s.substr(0, i)) + "...";
  }
  return std::string(s);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace slabot::utf8
