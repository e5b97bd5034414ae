#pragma once
// Small syntax checks on config text (ids, names). Internal to config/.
#include <string>
#include <string_view>

#include "domain/ascii.hpp"

namespace slabot::config_detail {

bool is_ascii_alnum(char c);

// Not empty, and every character an ASCII letter, a digit or one of `extra`.
bool only_chars(std::string_view text, std::string_view extra);

// Empty, or only spaces, tabs and line breaks.
bool is_blank(std::string_view text);

// ASCII case folding: slabot::ascii_lower (domain/ascii.hpp).
using slabot::ascii_lower;

}  // namespace slabot::config_detail
