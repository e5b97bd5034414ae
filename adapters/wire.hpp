#pragma once
// Small pieces every platform's wire format needs, written once.
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

// JSON text with invalid UTF-8 replaced instead of an exception: a reply is never worth a crash.
std::string dump_json(const nlohmann::json& value);

}  // namespace slabot
