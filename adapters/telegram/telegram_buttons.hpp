#pragma once
// Buttons on Telegram (core.telegram.org/bots/api: InlineKeyboardMarkup, InlineKeyboardButton,
// CallbackQuery, answerCallbackQuery, editMessageText).
//
// A message with actions carries reply_markup {"inline_keyboard": [[{"text","callback_data"}]]},
// one row, callback_data the action's value ("ack:12", at most Telegram's 64 bytes). A tap comes
// as an Update with `callback_query` (id, from, message, data), by webhook or getUpdates alike.
// Its answer: when the tap changed the ticket, editMessageText puts who acted under the message's
// text and drops the keyboard, and the webhook's answer stops the tapper's spinner
// (answerCallbackQuery); when refused, answerCallbackQuery with show_alert tells the tapper alone.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/chat_adapter.hpp"

namespace slabot::telegram {

// answerCallbackQuery's text limit, in characters.
constexpr std::size_t kCallbackAnswerLimit = 200;

// reply_markup with one button per action.
nlohmann::json inline_keyboard(const std::vector<MessageAction>& actions);

// An Update's callback_query as the tap it reports, for update `update_id`. An empty
// ParsedMessages for a query that reaches no group message (an inline-mode message, a game) or
// comes from a bot; Rejected{400} for a malformed query or data that is none of slabot's.
std::variant<InboundMessage, ParsedMessages, Rejected> tap_from(const nlohmann::json& callback_query,
                                                                const std::string& update_id);

// The Bot API method's URL beside `send_url` (".../bot<token>/sendMessage" -> ".../editMessageText").
std::string method_url(const std::string& send_url, std::string_view method);

// The request answering a tap (message.tap set): editMessageText when it acted, else
// answerCallbackQuery with the refusal as an alert. Never a sendMessage.
OutboundRequest tap_answer(const OutboundMessage& message, const std::string& send_url);

}  // namespace slabot::telegram
