#pragma once
// Telegram's HTML parse mode and its length rule, for the text the bot sends.
#include <cstddef>
#include <string>
#include <string_view>

namespace slabot::telegram {

// `text` safe inside Telegram HTML: '&', '<', '>' and '"' as entities (the only ones Telegram
// decodes besides numeric references).
std::string escape_html(std::string_view text);

// Telegram measures text in UTF-16 code units (a character outside the BMP counts 2). Bytes
// that are not valid UTF-8 count 1 each.
std::size_t utf16_length(std::string_view text);

// At most `max_units` UTF-16 code units of `text`, whole characters only, ending in "…" when
// shortened.
std::string truncate_utf16(std::string_view text, std::size_t max_units);

}  // namespace slabot::telegram
