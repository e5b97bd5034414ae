#pragma once
// ASCII case folding, for protocol text (schemes, host names, header names): never locale-bound.
#include <string>
#include <string_view>

namespace slabot {

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace slabot
