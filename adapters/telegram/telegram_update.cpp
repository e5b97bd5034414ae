#include "adapters/telegram/telegram_update.hpp"

#include <cstdint>

#include "adapters/telegram/telegram_buttons.hpp"
#include "adapters/telegram/telegram_json.hpp"
#include "adapters/wire.hpp"

namespace slabot::telegram {
namespace {

using nlohmann::json;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `text` without a leading "@bot_username" and the whitespace after it. Usernames are
// case-insensitive; "@bot_username2" is someone else.
std::string strip_bot_mention(const std::string& text, const std::string& bot_username) {
  if (bot_username.empty()) return text;
  std::size_t at = 0;
  while (at < text.size() && is_space(text[at])) ++at;
  if (at >= text.size() || text[at] != '@') return text;
  const std::size_t name_at = at + 1;
  if (text.size() - name_at < bot_username.size()) return text;
  for (std::size_t i = 0; i < bot_username.size(); ++i) {
    if (ascii_lower(text[name_at + i]) != ascii_lower(bot_username[i])) return text;
  }
  std::size_t end = name_at + bot_username.size();
  if (end < text.size() && !is_space(text[end])) return text;
  while (end < text.size() && is_space(text[end])) ++end;
  return text.substr(end);
}

// The people a message @-mentions by identity: its "text_mention" entities, which carry the user
// (Telegram's mention of someone without a username). A "mention" entity is an "@username" only,
// a name in the text that proves nobody; bots are nobody to name.
std::vector<Mention> mentioned_people(const json& message) {
  std::vector<Mention> out;
  const auto entities = message.find("entities");
  if (entities == message.end() || !entities->is_array()) return out;
  for (const auto& entity : *entities) {
    if (!entity.is_object() || entity.value("type", json()) != "text_mention") continue;
    const auto user = entity.find("user");
    if (user == entity.end() || !user->is_object()) continue;
    if (const auto is_bot = user->find("is_bot"); is_bot != user->end() && is_bot->is_boolean() && is_bot->get<bool>())
      continue;
    const auto id = json_integer_string(*user, "id");
    if (!id) continue;
    bool seen = false;
    for (const auto& earlier : out) seen = seen || earlier.user_id == *id;
    if (!seen) out.push_back(Mention{*id, display_name(*user, *id)});
  }
  return out;
}

}  // namespace

ParseOutcome parse_update(const json& update, const std::string& bot_username) {
  if (!update.is_object()) return Rejected{400, "body is not a JSON object"};
  const auto update_id = json_integer_string(update, "update_id");
  if (!update_id) return Rejected{400, "update_id must be an integer"};

  // A tap on one of the bot's buttons (webhook and polling alike).
  if (const auto query = update.find("callback_query"); query != update.end()) {
    auto tap = tap_from(*query, *update_id);
    if (auto* message = std::get_if<InboundMessage>(&tap)) {
      message->bot_name = bot_username;
      return one_message(std::move(*message));
    }
    if (auto* rejected = std::get_if<Rejected>(&tap)) return std::move(*rejected);
    return std::get<ParsedMessages>(std::move(tap));
  }

  // Only new messages: an edit must not run a command twice, and channel posts have no author.
  const auto found = update.find("message");
  if (found == update.end()) return ParsedMessages{};
  const json& message = *found;
  if (!message.is_object()) return Rejected{400, "message must be an object"};
  const auto text = message.find("text");
  if (text == message.end()) return ParsedMessages{};  // photos, stickers, members joining, ...
  if (!text->is_string()) return Rejected{400, "message.text must be a string"};
  const auto chat = message.find("chat");
  if (chat == message.end() || !chat->is_object()) return Rejected{400, "message.chat is missing"};
  const auto chat_id = json_integer_string(*chat, "id");
  if (!chat_id) return Rejected{400, "message.chat.id must be an integer"};
  const auto from = message.find("from");
  if (from == message.end()) return ParsedMessages{};  // no author to act for
  if (!from->is_object()) return Rejected{400, "message.from must be an object"};
  const auto user_id = json_integer_string(*from, "id");
  if (!user_id) return Rejected{400, "message.from.id must be an integer"};
  if (const auto is_bot = from->find("is_bot"); is_bot != from->end() && is_bot->is_boolean() && is_bot->get<bool>()) {
    return ParsedMessages{};
  }

  InboundMessage inbound;
  inbound.platform = "telegram";
  inbound.event_id = *update_id;
  inbound.chat_id = *chat_id;
  inbound.user_id = *user_id;
  inbound.user_name = display_name(*from, inbound.user_id);
  inbound.text = strip_bot_mention(text->get<std::string>(), bot_username);
  inbound.bot_name = bot_username;
  inbound.mentions = mentioned_people(message);
  return one_message(std::move(inbound));
}

}  // namespace slabot::telegram
