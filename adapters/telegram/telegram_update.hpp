#pragma once
// One Telegram Update as the bot reads it, whichever way it came: a webhook's body, or one
// element of getUpdates' result (long polling). Written once, so both ways parse alike.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/chat_adapter.hpp"

namespace slabot::telegram {

// The bot's messages in `update` (a new text message from a person), none for what carries
// nothing for the bot (edits, channel posts, photos, bots), or Rejected{400} naming the malformed
// part. `bot_username` (without '@'; empty: none) is stripped from the text's start.
// The message's `platform` is "telegram", its event id the update_id; connection and reply route
// are the transport's to set.
ParseOutcome parse_update(const nlohmann::json& update, const std::string& bot_username);

}  // namespace slabot::telegram
