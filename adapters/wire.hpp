#pragma once
// Small pieces every platform's wire format needs, written once. The rest of the kit is in
// adapters/wire/: text (blanks, UTF-8 cuts), percent-encoding, secrets, coded answers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace slabot {

// Unix seconds as a platform sends them: digits only, and few enough (at most 12) that the value
// in milliseconds cannot overflow.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text);

// Unix milliseconds as a platform sends them (DingTalk): digits only, at most 15 of them (beyond
// the year 30000), so the value cannot overflow.
std::optional<std::int64_t> parse_unix_millis(std::string_view text);

// `s` begins with `prefix`, but for the case of ASCII letters (safe on UTF-8: no byte of a
// multi-byte character is an ASCII letter).
bool istarts_with(std::string_view s, std::string_view prefix);

// JSON text with invalid UTF-8 replaced instead of an exception: a reply is never worth a crash.
std::string dump_json(const nlohmann::json& value);

// A request body (or a JSON string a platform nests in one) read as exactly one JSON document,
// nothing but whitespace after it; a discarded value when it is anything else. nlohmann's parser
// takes a NUL byte for the end of its input, so on its own it accepts `{...}\0` and
// `{...}\0{...}`; JSON text never holds a raw NUL (in a string it is escaped), so any refuses it.
nlohmann::json parse_json(std::string_view text);

// A string member of a JSON object; "" when `object` is no object or the member is missing or no
// string (a platform's optional fields).
std::string json_string(const nlohmann::json& object, const char* name);

// An integer member as its decimal text ("-1001234567890"); nullopt when missing or no integer.
std::optional<std::string> json_integer_string(const nlohmann::json& object, const char* name);

}  // namespace slabot
