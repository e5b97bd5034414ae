#pragma once
// JSON pointers (RFC 6901) and the small pieces of text that config problem messages are made of.
// Internal to config/.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace slabot::config_detail {

// The path of a member or an element under `parent` ("" is the whole document), with '~' and '/'
// in keys escaped as "~0" and "~1".
std::string child_path(const std::string& parent, std::string_view key);
std::string child_path(const std::string& parent, std::size_t index);

// A value as JSON text, so quotes and control characters cannot garble the message.
// Only for values that are not secrets.
std::string json_quoted(std::string_view value);

// "a, b, c".
std::string join(const std::vector<std::string>& items);

// "a string", "an object", "null", ...: what a value is, for "must be X, not Y".
std::string a_type(const nlohmann::json& value);

// Levenshtein distance, in bytes.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The allowed key that `key` is most likely a typo of: at most two edits away and not a complete
// rewrite of it; the first such key on a tie; empty when there is none.
std::string_view closest_key(std::string_view key, std::initializer_list<std::string_view> allowed);

}  // namespace slabot::config_detail
