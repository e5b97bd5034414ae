#pragma once
// Lark's text markup for mentions, both ways.
#include <string>
#include <string_view>
#include <vector>

#include "domain/message.hpp"

namespace slabot {

// One entry of an im.message.receive_v1 event's message.mentions.
struct LarkMention {
  std::string key;      // the placeholder in the text: "@_user_1"
  std::string name;     // display name
  std::string open_id;  // id.open_id
};

// The text of a received message as the bot's commands read it. The @-mentions at the front
// address the message (a group message reaches the bot only when the bot is among them), so
// they are removed, the bot's own included; later placeholders become "@name" ("@_all":
// "@all"). Blanks around the result are trimmed. The people those later placeholders name (the
// ones the command is about, such as `/engagement csm @Wei`) are added to `mentioned`, by
// open_id (the id a sender has), once each, when it is given.
std::string lark_inbound_text(std::string_view text, const std::vector<LarkMention>& mentions,
                              std::vector<Mention>* mentioned = nullptr);

// The "text" of an outbound text message: the bot's text with any literal "<at" defused as
// "＜at" (a ticket title must not be able to @all the group), then one
// <at user_id="...">name</at> per mention.
std::string lark_outbound_text(std::string_view text, const std::vector<Mention>& mentions);

}  // namespace slabot
