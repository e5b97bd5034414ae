#pragma once
// "1 problem", "2 problems": counts read right, never "problem(s)".
#include <cstddef>
#include <string>
#include <string_view>

namespace slabot {

// `plural` defaults to `singular` + "s"; give it for words that do not ("staff", "entries").
inline std::string count_of(std::size_t n, std::string_view singular, std::string_view plural = {}) {
  std::string out = std::to_string(n) + " ";
  if (n == 1) return out.append(singular);
  if (plural.empty()) return out.append(singular).append("s");
  return out.append(plural);
}

}  // namespace slabot
