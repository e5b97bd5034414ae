#pragma once
// Telegram's JSON for the values both its messages and its button taps carry.
#include <nlohmann/json_fwd.hpp>

#include <string>

namespace slabot::telegram {

// Chat, message and user ids are integers to Telegram; kept as strings in the bot. Sent back as
// a number when they are one, else as the string (a channel's "@name").
nlohmann::json id_json(const std::string& id);

// What the bot calls a User: first and last name, else the username, else `user_id`.
std::string display_name(const nlohmann::json& user, const std::string& user_id);

}  // namespace slabot::telegram
