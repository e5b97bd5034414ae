#pragma once
// Text rules several platforms share: the blanks IM clients put around mentions, and cutting
// UTF-8 text to a byte limit without splitting a character.
#include <cstddef>
#include <string>
#include <string_view>

namespace slabot {

// `s` without the blanks at either end: ASCII whitespace, or the no-break (U+00A0), four-per-em
// (U+2005) and ideographic (U+3000) spaces clients put around @-mentions.
std::string_view trim_blanks(std::string_view s);

// `text` cut to at most `max_bytes` without splitting a UTF-8 sequence (a character that does
// not fit whole is left out).
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

// A platform's message for the log: at most `max_bytes` of it, cut on a character boundary and
// ending in "..." when shortened.
std::string shorten_for_log(std::string_view text, std::size_t max_bytes);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s);

}  // namespace slabot
