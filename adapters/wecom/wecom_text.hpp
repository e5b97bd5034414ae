#pragma once
// Text helpers for WeCom: the callback query, the bot's own @-mention, and the robot's byte
// limits.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace slabot::wecom {

// The query of a request target ("/hooks/x?msg_signature=..&echostr=.."), percent-decoded.
// '+' stays '+': WeCom's values are hex, digits and base64, and base64 uses '+' literally (it
// has no spaces that a form encoding would have turned into '+'). nullopt on a malformed
// %-escape or a repeated name (a signed value must not be ambiguous).
std::optional<std::map<std::string, std::string>> parse_query(std::string_view target);

// `text` without a leading @-mention of the bot and the separator after it. WeCom puts U+2005
// (four-per-em space) after a mention, so Unicode spaces count as separators, not just ASCII.
// With `bot_name` set only "@bot_name" is removed; with it empty, the leading @-word is (in a
// group, WeCom calls the robot back only when it is @-mentioned, so that word names it; a robot
// whose name holds a space needs bot_name). Text without a leading mention is returned as is.
std::string strip_bot_mention(std::string_view text, std::string_view bot_name);

// At most `max_bytes` bytes of `text`, cut on a UTF-8 character boundary and ending in "…" when
// shortened (WeCom counts its content limits in bytes).
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace slabot::wecom
