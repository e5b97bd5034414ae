#pragma once
// The slash-command grammar: one chat message in, a Command (or why not) out.
#include <cstddef>
#include <string_view>

#include "commands/command.hpp"

namespace slabot {

// Commands are short; anything longer is refused before it is looked at word by word.
inline constexpr std::size_t kMaxCommandBytes = 4096;
// Counted in Unicode code points, so a Chinese title gets as many characters as an English one.
inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxSubCustomerChars = 64;

// Parses `/ack 12`, `/ticket ack #12`, `/ack@slabot 12`, `@slabot /ack 12` and the rest of the
// grammar in usage.cpp. `bot_name` is the bot's own handle (with or without '@'). Only leading
// mentions of the bot itself are skipped: `@otherbot /help`, a `/cmd@other` suffix naming another
// bot, and any text that is not a command give NotACommand. Line breaks and tabs in titles and
// free text become single spaces; other control characters are refused; invisible format
// characters (bidi controls, zero width characters: text::without_invisible) are removed.
ParseResult parse_command(std::string_view text, std::string_view bot_name);

}  // namespace slabot
