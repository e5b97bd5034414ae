#include "adapters/telegram/telegram_buttons.hpp"

#include <nlohmann/json.hpp>

#include "adapters/telegram/telegram_html.hpp"
#include "adapters/telegram/telegram_json.hpp"
#include "adapters/wire.hpp"

namespace slabot::telegram {
using nlohmann::json;

json inline_keyboard(const std::vector<MessageAction>& actions) {
  json row = json::array();
  for (const auto& action : actions) {
    row.push_back({{"text", std::string(action_label(action.kind))}, {"callback_data", action_value(action)}});
  }
  return {{"inline_keyboard", json::array({row})}};
}

std::variant<InboundMessage, ParsedMessages, Rejected> tap_from(const json& query, const std::string& update_id) {
  if (!query.is_object()) return Rejected{400, "callback_query must be an object"};
  const std::string id = json_string(query, "id");
  if (id.empty()) return Rejected{400, "callback_query.id must be a string"};
  const auto from = query.find("from");
  if (from == query.end() || !from->is_object()) return Rejected{400, "callback_query.from is missing"};
  const auto user_id = json_integer_string(*from, "id");
  if (!user_id) return Rejected{400, "callback_query.from.id must be an integer"};
  if (const auto is_bot = from->find("is_bot"); is_bot != from->end() && is_bot->is_boolean() && is_bot->get<bool>()) {
    return ParsedMessages{};
  }
  // Only a button under a message in a chat (not an inline-mode message, not a game) is ours.
  const auto message = query.find("message");
  if (message == query.end()) return ParsedMessages{};
  if (!message->is_object()) return Rejected{400, "callback_query.message must be an object"};
  const auto chat = message->find("chat");
  if (chat == message->end() || !chat->is_object()) return Rejected{400, "callback_query.message.chat is missing"};
  const auto chat_id = json_integer_string(*chat, "id");
  const auto message_id = json_integer_string(*message, "message_id");
  if (!chat_id || !message_id) return Rejected{400, "callback_query.message needs chat.id and message_id"};
  const auto action = parse_action_value(json_string(query, "data"));
  if (!action) return Rejected{400, "callback_query.data is not one of slabot's buttons"};

  InboundMessage inbound;
  inbound.platform = "telegram";
  inbound.event_id = update_id;
  inbound.chat_id = *chat_id;
  inbound.user_id = *user_id;
  inbound.user_name = display_name(*from, inbound.user_id);
  inbound.text = tap_command(*action);
  inbound.tap = Tap{*action, *message_id, id, json_string(*message, "text"), false};
  return inbound;
}

std::string method_url(const std::string& send_url, std::string_view method) {
  const std::size_t slash = send_url.rfind('/');
  return (slash == std::string::npos ? send_url + "/" : send_url.substr(0, slash + 1)) + std::string(method);
}

OutboundRequest tap_answer(const OutboundMessage& message, const std::string& send_url) {
  const Tap& tap = *message.tap;
  OutboundRequest request;
  request.method = "POST";
  request.headers["Content-Type"] = "application/json";
  if (tap.acted) {
    // Plain text (no parse_mode), as Telegram gave the message back: nothing to fail to parse.
    // Without reply_markup the keyboard goes.
    const std::string done = "✅ " + message.text;
    const std::string text = tap.original_text.empty() ? done : tap.original_text + "\n" + done;
    request.url = method_url(send_url, "editMessageText");
    request.body = dump_json({{"chat_id", id_json(message.chat_id)},
                              {"message_id", id_json(tap.message_ref)},
                              {"text", truncate_utf16(text, 4096)}});
  } else {
    request.url = method_url(send_url, "answerCallbackQuery");
    request.body = dump_json({{"callback_query_id", tap.query_id},
                              {"text", truncate_utf16(message.text, kCallbackAnswerLimit)},
                              {"show_alert", true}});
  }
  return request;
}

}  // namespace slabot::telegram
