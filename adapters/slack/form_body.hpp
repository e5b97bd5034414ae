#pragma once
// application/x-www-form-urlencoded bodies, as Slack and Mattermost send slash commands.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace slabot {

// The fields of a form body, decoded ('+' is a space, %XX a byte). Where a name repeats, the
// first value wins. nullopt when a %-escape is malformed or a name or value is not UTF-8: such
// a body did not come from the platform.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view body);

// The field's value, or "" when absent.
const std::string& form_field(const std::map<std::string, std::string>& form, const std::string& name);

}  // namespace slabot
