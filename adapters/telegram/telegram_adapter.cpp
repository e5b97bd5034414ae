#include "adapters/telegram/telegram_adapter.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/telegram/telegram_buttons.hpp"
#include "adapters/telegram/telegram_html.hpp"
#include "adapters/telegram/telegram_json.hpp"
#include "adapters/telegram/telegram_polling.hpp"
#include "adapters/telegram/telegram_update.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {
namespace {

using nlohmann::json;

constexpr const char* secret_header = "x-telegram-bot-api-secret-token";

bool is_token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// setWebhook's rule for secret_token.
bool valid_webhook_secret(const std::string& s) {
  return !s.empty() && s.size() <= 256 && std::all_of(s.begin(), s.end(), is_token_char);
}

// "<bot id>:<secret>", as @BotFather hands it out.
bool valid_bot_token(const std::string& s) {
  const std::size_t colon = s.find(':');
  if (colon == 0 || colon == std::string::npos || colon + 1 == s.size()) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon), is_digit) &&
         std::all_of(s.begin() + static_cast<std::ptrdiff_t>(colon) + 1, s.end(), is_token_char);
}

// A mention in HTML, and what it shows (for the length budget).
struct RenderedMention {
  std::string html;
  std::string visible;
};

RenderedMention render_mention(const Mention& mention) {
  const std::string& id = mention.user_id;
  const bool numeric = !id.empty() && std::all_of(id.begin(), id.end(), is_digit);
  if (numeric) {
    // Works for users without a username, as long as they have talked to the bot or allow it.
    const std::string name = mention.name.empty() ? id : mention.name;
    return {"<a href=\"tg://user?id=" + id + "\">" + telegram::escape_html(name) + "</a>", name};
  }
  // A username: Telegram links "@name" itself.
  const std::string username = id.starts_with('@') ? id : "@" + id;
  return {telegram::escape_html(username), username};
}

}  // namespace

TelegramAdapter::TelegramAdapter(const Connection& connection) {
  const std::string where = "telegram connection '" + connection.name + "'";
  // A polling connection (mode stream) has no webhook, so no secret_token to check.
  polling_ = connection.mode == ConnectionMode::stream;
  webhook_secret_ = secret_or_empty(connection, "webhook_secret");
  if (!polling_ && !valid_webhook_secret(webhook_secret_)) {
    throw std::invalid_argument(
        where + " needs secret \"webhook_secret\": the setWebhook secret_token, 1 to 256 of A-Z a-z 0-9 _ -");
  }
  const std::string& token = secret_or_empty(connection, "bot_token");
  if (polling_ || connection.outbound_url.empty() || connection.secrets.contains("bot_token")) {
    if (!valid_bot_token(token)) {
      throw std::invalid_argument(
          where + " needs secret \"bot_token\": the token from @BotFather, <digits>:<letters, digits, _ or ->");
    }
  }
  // A polling connection's stream_url (a Bot API server of one's own) serves sendMessage too.
  send_url_ = connection.outbound_url.empty()
                  ? telegram::method_url(polling_ ? connection.stream_url : std::string(), token, "sendMessage")
                  : connection.outbound_url;
  bot_username_ = secret_or_empty(connection, "bot_username");
  if (bot_username_.starts_with('@')) bot_username_.erase(0, 1);
}

VerifyResult TelegramAdapter::verify(const HttpRequest& request, Timestamp) const {
  if (polling_) return Rejected{404, "the connection polls getUpdates (mode stream): it takes no webhook"};
  const std::string& sent = request.header(secret_header);
  if (sent.empty()) return Rejected{401, "missing X-Telegram-Bot-Api-Secret-Token"};
  if (!constant_time_equal(sent, webhook_secret_)) return Rejected{401, "secret token mismatch"};
  return Verified{};
}

ParseOutcome TelegramAdapter::parse(const HttpRequest& request) const {
  const json update = parse_json(request.body);
  if (update.is_discarded()) return Rejected{400, "body is not a JSON object"};
  return telegram::parse_update(update, bot_username_);
}

HttpAnswer TelegramAdapter::sync_reply(const InboundMessage& message, const std::string& reply) const {
  if (reply.empty()) return HttpAnswer{200, "application/json", "{}"};
  return HttpAnswer{200, "application/json",
                    dump_json({{"method", "sendMessage"},
                               {"chat_id", telegram::id_json(message.chat_id)},
                               {"text", telegram::truncate_utf16(reply, max_text_units)}})};
}

HttpAnswer TelegramAdapter::sync_answer(const InboundMessage& message, const Reply& reply) const {
  if (message.tap) {
    // The tap changed the ticket: its message is edited through the outbox; this stops the
    // tapper's spinner. A refusal is answered through the outbox, as an alert with its words.
    if (!reply.acted || message.tap->query_id.empty()) return HttpAnswer{200, "application/json", "{}"};
    return HttpAnswer{200, "application/json",
                      dump_json({{"method", "answerCallbackQuery"}, {"callback_query_id", message.tap->query_id}})};
  }
  HttpAnswer answer = sync_reply(message, reply.text);
  if (reply.actions.empty() || reply.text.empty()) return answer;
  json body = json::parse(answer.body);
  body["reply_markup"] = telegram::inline_keyboard(reply.actions);
  answer.body = dump_json(body);
  return answer;
}

OutboundRequest TelegramAdapter::render(const OutboundMessage& message, Timestamp) const {
  // The answer to a tap edits the tapped message or answers the tapper, beside sendMessage.
  if (message.tap) return telegram::tap_answer(message, send_url_);
  std::string html;
  std::string visible;
  for (const auto& mention : message.mentions) {
    if (mention.user_id.empty()) continue;
    const RenderedMention rendered = render_mention(mention);
    html += rendered.html + " ";
    visible += rendered.visible + " ";
  }
  const std::size_t used = telegram::utf16_length(visible);
  const std::size_t budget = used < max_text_units ? max_text_units - used : 0;
  html += telegram::escape_html(telegram::truncate_utf16(message.text, budget));

  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? send_url_ : message.url;
  request.headers["Content-Type"] = "application/json";
  json body{{"chat_id", telegram::id_json(message.chat_id)}, {"text", html}, {"parse_mode", "HTML"}};
  if (!message.actions.empty()) body["reply_markup"] = telegram::inline_keyboard(message.actions);
  request.body = dump_json(body);
  return request;
}

DeliveryResult TelegramAdapter::interpret(const HttpResponse& response) const {
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const auto ok = body.is_object() ? body.find("ok") : body.end();
  if (body.is_discarded() || !body.is_object() || ok == body.end() || !ok->is_boolean()) {
    // Not the Bot API talking (a proxy's error page): go by the status. A 2xx without a Bot API
    // answer leaves it unknown whether the message went out; a duplicate beats a lost alert.
    if (response.status >= 200 && response.status < 300) {
      return RetryLater{std::nullopt, "Telegram answered HTTP " + std::to_string(response.status) + " without ok"};
    }
    return interpret_http_status(response);
  }
  if (ok->get<bool>()) return Delivered{};

  int code = response.status;
  if (const auto found = body.find("error_code"); found != body.end() && found->is_number_integer()) {
    code = found->get<int>();
  }
  std::string error = "Telegram " + std::to_string(code);
  if (const std::string description = json_string(body, "description"); !description.empty()) {
    error += ": " + telegram::truncate_utf16(description, 200);
  }
  std::optional<Duration> wait;
  if (const auto parameters = body.find("parameters"); parameters != body.end() && parameters->is_object()) {
    if (const auto after = parameters->find("retry_after");
        after != parameters->end() && after->is_number_integer() && after->get<std::int64_t>() >= 0) {
      wait = std::chrono::seconds(after->get<std::int64_t>());
    }
    if (const auto moved = json_integer_string(*parameters, "migrate_to_chat_id")) {
      // The group became a supergroup: the old id is dead; the channel config needs the new one.
      return GiveUp{error + " (the group is now chat " + *moved + ")"};
    }
  }
  if (code == 429) return Throttled{wait ? wait : retry_after(response), error};
  if (code >= 500 || code == 408) return RetryLater{wait, error};
  // 400 is mostly the message (too long, entities that do not parse); "chat not found" is the
  // config's. 401 or 404 a bad token, 403 kicked or blocked: the config's too.
  if (code == 400 && error.find("chat not found") == std::string::npos &&
      error.find("not enough rights") == std::string::npos) {
    return Refused{error};
  }
  return GiveUp{error};
}

}  // namespace slabot
