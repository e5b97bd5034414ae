#include "adapters/telegram/telegram_adapter.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

const std::string webhook_secret = "s3cr3t_Token-42";
const std::string bot_token = "123456789:AAHOp1v7pz-cV3L2C-xiivqNi0qbVOOVNtQ";
const Timestamp now = from_unix_ms(1700000000LL * 1000);

// The sample update from Telegram's webhook guide (core.telegram.org/bots/webhooks, "Testing
// your bot with updates": message with text).
const std::string vendor_sample = R"({
"update_id":10000,
"message":{
  "date":1441645532,
  "chat":{
     "last_name":"Test Lastname",
     "id":1111111,
     "first_name":"Test",
     "username":"Test"
  },
  "message_id":1365,
  "from":{
     "last_name":"Test Lastname",
     "id":1111111,
     "first_name":"Test",
     "username":"Test"
  },
  "text":"/start"
}
})";

// A supergroup message as the Bot API sends it.
std::string group_update(const std::string& text, long long update_id = 871234567) {
  return json{{"update_id", update_id},
              {"message",
               {{"message_id", 4711},
                {"from", {{"id", 222333444}, {"is_bot", false}, {"first_name", "Ann"}, {"username", "ann_ops"}}},
                {"chat", {{"id", -1001234567890LL}, {"title", "ACME support"}, {"type", "supergroup"}}},
                {"date", 1700000000},
                {"text", text},
                {"entities", {{{"offset", 0}, {"length", 7}, {"type", "bot_command"}}}}}}}
      .dump();
}

Connection connection() {
  Connection c;
  c.name = "tg";
  c.adapter = "telegram";
  c.secrets["webhook_secret"] = webhook_secret;
  c.secrets["bot_token"] = bot_token;
  return c;
}

HttpRequest update_request(std::string body, std::string secret = webhook_secret) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/hooks/tg";
  request.headers["content-type"] = "application/json";
  if (!secret.empty()) request.headers["x-telegram-bot-api-secret-token"] = std::move(secret);
  request.body = std::move(body);
  return request;
}

using testing::rejected_status;

// The Bot API beside sendMessage, for the tap answers.
const std::string send_api = "https://api.telegram.org/bot" + bot_token + "/";

// An Update with a callback_query from a button under the bot's message in a supergroup.
json callback_update(const std::string& data) {
  return {{"update_id", 871234999},
          {"callback_query",
           {{"id", "4382bfdwdsb323b2d9"},
            {"from", {{"id", 222333444}, {"is_bot", false}, {"first_name", "Ann"}, {"last_name", "Ops"}}},
            {"message",
             {{"message_id", 4712},
              {"from", {{"id", 123456789}, {"is_bot", true}, {"first_name", "slabot"}}},
              {"chat", {{"id", -1001234567890LL}, {"title", "ACME support"}, {"type", "supergroup"}}},
              {"date", 1700000000},
              {"text", "#12 Critical \"DB down\": response SLA of 15m breached"}}},
            {"chat_instance", "-8917395638392826393"},
            {"data", data}}}};
}

std::vector<InboundMessage> messages_of(const ParseOutcome& outcome) {
  const auto* parsed = std::get_if<ParsedMessages>(&outcome);
  REQUIRE(parsed);
  return parsed->messages;
}

InboundMessage only_message(const ParseOutcome& outcome) {
  auto messages = messages_of(outcome);
  REQUIRE(messages.size() == 1);
  return messages.front();
}

}  // namespace

TEST_CASE("telegram: the setWebhook secret in the header verifies; anything else is 401", "[telegram]") {
  const TelegramAdapter adapter(connection());
  CHECK(std::holds_alternative<Verified>(adapter.verify(update_request(vendor_sample), now)));
  CHECK(rejected_status(adapter.verify(update_request(vendor_sample, ""), now)) == 401);
  CHECK(rejected_status(adapter.verify(update_request(vendor_sample, "s3cr3t_Token-43"), now)) == 401);
  CHECK(rejected_status(adapter.verify(update_request(vendor_sample, webhook_secret + "x"), now)) == 401);
  CHECK(rejected_status(adapter.verify(update_request(vendor_sample, webhook_secret.substr(1)), now)) == 401);
  CHECK(rejected_status(adapter.verify(update_request(vendor_sample, "S3CR3T_TOKEN-42"), now)) == 401);
  Connection other = connection();
  other.secrets["webhook_secret"] = "another";
  CHECK(rejected_status(TelegramAdapter(other).verify(update_request(vendor_sample), now)) == 401);
  // No timestamp in the protocol: the same update verifies whenever it comes.
  CHECK(std::holds_alternative<Verified>(adapter.verify(update_request(vendor_sample), now + std::chrono::hours(48))));
}

TEST_CASE("telegram: the vendor's sample update parses", "[telegram]") {
  const InboundMessage message = only_message(TelegramAdapter(connection()).parse(update_request(vendor_sample)));
  CHECK(message.platform == "telegram");
  CHECK(message.event_id == "10000");
  CHECK(message.chat_id == "1111111");
  CHECK(message.user_id == "1111111");
  CHECK(message.user_name == "Test Test Lastname");
  CHECK(message.text == "/start");
  CHECK(message.reply_url.empty());
}

TEST_CASE("telegram: a group message keeps the negative chat id and the /cmd@bot form", "[telegram]") {
  const TelegramAdapter adapter(connection());
  const InboundMessage message = only_message(adapter.parse(update_request(group_update("/ticket@slabot_bot ack 12"))));
  CHECK(message.event_id == "871234567");
  CHECK(message.chat_id == "-1001234567890");
  CHECK(message.user_id == "222333444");
  CHECK(message.user_name == "Ann");
  CHECK(message.text == "/ticket@slabot_bot ack 12");
}

TEST_CASE("telegram: the people mentioned are the text_mention entities' users; an @username names nobody",
          "[telegram]") {
  // "/engagement csm Wei @wei_cn Bot": Wei has no username (a text_mention with the user), @wei_cn
  // is a username typed (a mention: no id), and a bot's text_mention is nobody to name.
  json update = json::parse(group_update("/engagement csm Wei @wei_cn Bot"));
  update["message"]["entities"] =
      json::array({{{"offset", 0}, {"length", 11}, {"type", "bot_command"}},
                   {{"offset", 16},
                    {"length", 3},
                    {"type", "text_mention"},
                    {"user", {{"id", 555666777}, {"is_bot", false}, {"first_name", "Wei"}, {"last_name", "Zhang"}}}},
                   {{"offset", 20}, {"length", 7}, {"type", "mention"}},
                   {{"offset", 28},
                    {"length", 3},
                    {"type", "text_mention"},
                    {"user", {{"id", 888}, {"is_bot", true}, {"first_name", "Bot"}}}},
                   {{"offset", 16}, {"length", 3}, {"type", "text_mention"}, {"user", {{"id", "not a number"}}}},
                   {{"offset", 16}, {"length", 3}, {"type", "text_mention"}, {"user", "not an object"}}});
  const TelegramAdapter adapter(connection());
  const InboundMessage message = only_message(adapter.parse(update_request(update.dump())));
  REQUIRE(message.mentions.size() == 1);
  CHECK(message.mentions[0].user_id == "555666777");  // as a sender's id is written
  CHECK(message.mentions[0].name == "Wei Zhang");
  CHECK(only_message(adapter.parse(update_request(group_update("/ack 1")))).mentions.empty());
}

TEST_CASE("telegram: a leading @bot_username is stripped, and only that", "[telegram]") {
  Connection c = connection();
  c.secrets["bot_username"] = "@slabot_bot";
  const TelegramAdapter adapter(c);
  const auto text_of = [&](const std::string& text) {
    return only_message(adapter.parse(update_request(group_update(text)))).text;
  };
  CHECK(text_of("@slabot_bot /ticket ack 12") == "/ticket ack 12");
  CHECK(text_of("  @SlaBot_Bot\n/ticket ack 12") == "/ticket ack 12");
  CHECK(text_of("@slabot_bot") == "");
  CHECK(text_of("@slabot_bot2 /ticket ack 12") == "@slabot_bot2 /ticket ack 12");
  CHECK(text_of("@ann_ops /ticket ack 12") == "@ann_ops /ticket ack 12");
  CHECK(text_of("/ticket@slabot_bot ack 12") == "/ticket@slabot_bot ack 12");
  // The connection's bot name travels with the message: the dispatcher parses `/cmd@name` by it.
  CHECK(only_message(adapter.parse(update_request(group_update("/ack 1")))).bot_name == "slabot_bot");
  CHECK(only_message(TelegramAdapter(connection()).parse(update_request(group_update("/ack 1")))).bot_name.empty());
  // Without bot_username nothing is stripped.
  CHECK(only_message(TelegramAdapter(connection()).parse(update_request(group_update("@slabot_bot /ticket ack 12"))))
            .text == "@slabot_bot /ticket ack 12");
}

TEST_CASE("telegram: edits, channel posts, inline-mode callbacks and messages without text carry nothing",
          "[telegram]") {
  const TelegramAdapter adapter(connection());
  json edited = json::parse(group_update("/ticket ack 12"));
  edited["edited_message"] = edited["message"];
  edited.erase("message");
  json channel = json::parse(group_update("/ticket ack 12"));
  channel["channel_post"] = channel["message"];
  channel.erase("message");
  channel["channel_post"].erase("from");
  json photo = json::parse(group_update("x"));
  photo["message"].erase("text");
  photo["message"]["photo"] = json::array({{{"file_id", "AgAD"}, {"width", 90}, {"height", 90}}});
  photo["message"]["caption"] = "/ticket ack 12";
  json joined = json::parse(group_update("x"));
  joined["message"].erase("text");
  joined["message"]["new_chat_members"] = json::array({{{"id", 5}, {"is_bot", false}, {"first_name", "Bo"}}});
  json from_bot = json::parse(group_update("/ticket ack 12"));
  from_bot["message"]["from"]["is_bot"] = true;
  json anonymous = json::parse(group_update("/ticket ack 12"));
  anonymous["message"].erase("from");
  for (const json& update :
       {edited, channel, photo, joined, from_bot, anonymous,
        // A button under an inline-mode message (no chat message): not one of the bot's.
        json{{"update_id", 5},
             {"callback_query",
              {{"id", "q"}, {"from", {{"id", 7}, {"first_name", "Bo"}}}, {"inline_message_id", "AAA"}, {"data", "x"}}}},
        json{{"update_id", 6}, {"my_chat_member", json::object()}}}) {
    CAPTURE(update.dump());
    CHECK(messages_of(adapter.parse(update_request(update.dump()))).empty());
  }
}

TEST_CASE("telegram: malformed updates are refused with 400", "[telegram]") {
  const TelegramAdapter adapter(connection());
  json no_chat = json::parse(group_update("/ticket"));
  no_chat["message"].erase("chat");
  json string_chat = json::parse(group_update("/ticket"));
  string_chat["message"]["chat"]["id"] = "-100";
  json number_text = json::parse(group_update("/ticket"));
  number_text["message"]["text"] = 12;
  json string_from = json::parse(group_update("/ticket"));
  string_from["message"]["from"]["id"] = "222";
  for (const std::string& body :
       {std::string(""), std::string("not json"), std::string("[1,2]"), std::string("{\"update_id\":1,"),
        std::string(R"({"message":{"text":"x"}})"),            // no update_id
        std::string(R"({"update_id":"10000","message":{}})"),  // update_id not an integer
        std::string(R"({"update_id":1.5})"), std::string(R"({"update_id":1,"message":"hi"})"), no_chat.dump(),
        string_chat.dump(), number_text.dump(), string_from.dump()}) {
    CAPTURE(body);
    CHECK(rejected_status(adapter.parse(update_request(body))) == 400);
  }
}

TEST_CASE("telegram: the reply travels in the webhook answer as sendMessage", "[telegram]") {
  const TelegramAdapter adapter(connection());
  const InboundMessage message = only_message(adapter.parse(update_request(group_update("/ticket ack 12"))));
  CHECK(adapter.reply_route(message) == ReplyRoute::in_response);

  const HttpAnswer answer = adapter.sync_reply(message, "Ticket #12 <P1> acknowledged & assigned");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "application/json");
  // Plain text, no parse_mode: nothing to escape and nothing that can fail to parse.
  CHECK(json::parse(answer.body) == json{{"method", "sendMessage"},
                                         {"chat_id", -1001234567890LL},
                                         {"text", "Ticket #12 <P1> acknowledged & assigned"}});

  const HttpAnswer silent = adapter.sync_reply(message, "");
  CHECK(silent.status == 200);
  CHECK(json::parse(silent.body) == json::object());

  const HttpAnswer long_answer = adapter.sync_reply(message, std::string(5000, 'x'));
  const std::string text = json::parse(long_answer.body)["text"];
  CHECK(text == std::string(4095, 'x') + "\u2026");
}

TEST_CASE("telegram: render sends HTML-escaped text with tg:// mentions to sendMessage", "[telegram]") {
  const TelegramAdapter adapter(connection());
  OutboundMessage message;
  message.chat_id = "-1001234567890";
  message.text = "#12 <P1> breached: \"db\" & cache";
  message.mentions = {{"222333444", "Ann <ops>"}, {"@bob_oncall", ""}, {"555", ""}};
  const OutboundRequest request = adapter.render(message, now);
  CHECK(request.method == "POST");
  CHECK(request.url == "https://api.telegram.org/bot" + bot_token + "/sendMessage");
  CHECK(request.headers.at("Content-Type") == "application/json");
  CHECK(json::parse(request.body) ==
        json{{"chat_id", -1001234567890LL},
             {"parse_mode", "HTML"},
             {"text",
              "<a href=\"tg://user?id=222333444\">Ann &lt;ops&gt;</a> @bob_oncall "
              "<a href=\"tg://user?id=555\">555</a> #12 &lt;P1&gt; breached: &quot;db&quot; &amp; cache"}});

  message.url = "https://telegram-proxy.internal/bot/sendMessage";
  CHECK(adapter.render(message, now).url == "https://telegram-proxy.internal/bot/sendMessage");
  Connection own_server = connection();
  own_server.secrets.erase("bot_token");
  own_server.outbound_url = "http://127.0.0.1:8081/botX/sendMessage";
  message.url.clear();
  CHECK(TelegramAdapter(own_server).render(message, now).url == "http://127.0.0.1:8081/botX/sendMessage");
}

TEST_CASE("telegram: render keeps the visible text within 4096 UTF-16 units", "[telegram]") {
  const TelegramAdapter adapter(connection());
  OutboundMessage message;
  message.chat_id = "42";
  message.mentions = {{"7", "Ann"}};  // "Ann " shows: 4 units
  std::string emoji_text;
  for (int i = 0; i < 3000; ++i) emoji_text += "\U0001F525";  // 2 units each
  message.text = emoji_text;
  const std::string html = json::parse(adapter.render(message, now).body)["text"];
  const std::string prefix = "<a href=\"tg://user?id=7\">Ann</a> ";
  REQUIRE(html.starts_with(prefix));
  const std::string body = html.substr(prefix.size());
  // 4096 - 4 = 4092 units: 2045 emoji (4090) and the ellipsis; a 2046th would not fit whole.
  std::string expected;
  for (int i = 0; i < 2045; ++i) expected += "\U0001F525";
  CHECK(body == expected + "\u2026");
  CHECK(json::parse(adapter.render(message, now).body)["chat_id"] == 42);
}

TEST_CASE("telegram: interpret reads ok, error_code and retry_after", "[telegram]") {
  const TelegramAdapter adapter(connection());
  const auto interpret = [&](int status, std::string body) {
    return adapter.interpret(HttpResponse{status, {}, std::move(body)});
  };
  CHECK(std::holds_alternative<Delivered>(interpret(
      200, R"({"ok":true,"result":{"message_id":5,"chat":{"id":-1001234567890},"date":1700000000,"text":"x"}})")));

  const auto limited = interpret(
      429,
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}})");
  const auto* retry = std::get_if<Throttled>(&limited);
  REQUIRE(retry);
  CHECK(retry->after == std::chrono::seconds(17));
  CHECK(retry->error.find("429") != std::string::npos);

  const auto not_found = interpret(400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
  REQUIRE(std::holds_alternative<GiveUp>(not_found));
  CHECK(std::get<GiveUp>(not_found).error == "Telegram 400: Bad Request: chat not found");
  CHECK(std::holds_alternative<GiveUp>(interpret(
      403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the group chat"})")));
  CHECK(
      std::holds_alternative<GiveUp>(interpret(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})")));

  const auto moved = interpret(
      400,
      R"({"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009876543210}})");
  REQUIRE(std::holds_alternative<GiveUp>(moved));
  CHECK(std::get<GiveUp>(moved).error.find("-1009876543210") != std::string::npos);

  CHECK(std::holds_alternative<RetryLater>(
      interpret(500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})")));
  // An error reported with HTTP 200 is still an error; a 400 other than "chat not found" is the
  // message's own.
  CHECK(std::holds_alternative<Refused>(
      interpret(200, R"({"ok":false,"error_code":400,"description":"Bad Request: message text is empty"})")));
}

TEST_CASE("telegram: answers that are not the Bot API's go by the HTTP status", "[telegram]") {
  const TelegramAdapter adapter(connection());
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(HttpResponse{502, {}, "<html>Bad Gateway</html>"})));
  const auto throttled = adapter.interpret(HttpResponse{429, {{"retry-after", "3"}}, ""});
  REQUIRE(std::holds_alternative<Throttled>(throttled));
  CHECK(std::get<Throttled>(throttled).after == std::chrono::seconds(3));
  CHECK(std::holds_alternative<GiveUp>(adapter.interpret(HttpResponse{404, {}, "not found"})));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(HttpResponse{200, {}, "<html>portal</html>"})));
}

TEST_CASE("telegram: 20 messages a minute", "[telegram]") {
  const RateLimit limit = TelegramAdapter(connection()).rate_limit();
  CHECK(limit.messages == 20);
  CHECK(limit.per == std::chrono::minutes(1));
}

TEST_CASE("telegram: missing or malformed secrets are named, never echoed", "[telegram]") {
  const auto error_for = [](const Connection& c) -> std::string {
    try {
      TelegramAdapter adapter(c);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_for(connection()).empty());

  Connection c = connection();
  c.secrets.erase("webhook_secret");
  CHECK(error_for(c).find("\"webhook_secret\"") != std::string::npos);
  for (const std::string& secret : {std::string("has space"), std::string("semi;colon"), std::string(257, 'a')}) {
    c = connection();
    c.secrets["webhook_secret"] = secret;
    const std::string error = error_for(c);
    CHECK(error.find("\"webhook_secret\"") != std::string::npos);
    CHECK(error.find(secret) == std::string::npos);
  }
  c = connection();
  c.secrets["webhook_secret"] = std::string(256, 'a');
  CHECK(error_for(c).empty());

  c = connection();
  c.secrets.erase("bot_token");
  CHECK(error_for(c).find("\"bot_token\"") != std::string::npos);  // nowhere to send otherwise
  for (const std::string& token : {std::string("AAHOp1v7pz"), std::string(":AAH"), std::string("123:"),
                                   std::string("12a:AAH"), std::string("123:AA H")}) {
    c = connection();
    c.secrets["bot_token"] = token;
    const std::string error = error_for(c);
    CAPTURE(token);
    CHECK(error.find("\"bot_token\"") != std::string::npos);
    CHECK(error.find(token) == std::string::npos);
  }
  c = connection();
  c.secrets.erase("bot_token");
  c.outbound_url = "http://127.0.0.1:8081/botX/sendMessage";
  CHECK(error_for(c).empty());
}

// Buttons (core.telegram.org/bots/api: InlineKeyboardMarkup, InlineKeyboardButton, CallbackQuery,
// answerCallbackQuery, editMessageText).

TEST_CASE("telegram: a message with actions carries an inline keyboard of callback buttons", "[telegram][buttons]") {
  const TelegramAdapter adapter(connection());
  OutboundMessage message{"tg", "-1001234567890", "#12 breached", {}, ""};
  message.actions = {{ActionKind::ack, 12}, {ActionKind::escalate, 12}, {ActionKind::assign_to_me, 12}};
  const auto request = adapter.render(message, now);
  CHECK(request.url == send_api + "sendMessage");
  CHECK(json::parse(request.body) == json{{"chat_id", -1001234567890LL},
                                          {"text", "#12 breached"},
                                          {"parse_mode", "HTML"},
                                          {"reply_markup",
                                           {{"inline_keyboard",
                                             {{{{"text", "Acknowledge"}, {"callback_data", "ack:12"}},
                                               {{"text", "Escalate"}, {"callback_data", "escalate:12"}},
                                               {{"text", "Assign to me"}, {"callback_data", "assign:12"}}}}}}}});
}

TEST_CASE("telegram: a callback_query is the command its button stands for", "[telegram][buttons]") {
  const TelegramAdapter adapter(connection());
  const auto request = update_request(callback_update("ack:12").dump());
  REQUIRE(std::holds_alternative<Verified>(adapter.verify(request, now)));
  const InboundMessage message = testing::only_message(adapter.parse(request));
  CHECK(message.text == "/ack 12");
  CHECK(message.event_id == "871234999");
  CHECK(message.chat_id == "-1001234567890");
  CHECK(message.user_id == "222333444");
  CHECK(message.user_name == "Ann Ops");
  REQUIRE(message.tap);
  CHECK(message.tap->action == MessageAction{ActionKind::ack, 12});
  CHECK(message.tap->message_ref == "4712");
  CHECK(message.tap->query_id == "4382bfdwdsb323b2d9");
  CHECK(message.tap->original_text == "#12 Critical \"DB down\": response SLA of 15m breached");
  CHECK(adapter.reply_route(message) == ReplyRoute::via_outbox);

  // The webhook's answer stops the spinner when the tap acted; a refusal is answered as an alert
  // through the outbox.
  CHECK(json::parse(adapter.sync_answer(message, Reply{"", false, {}, true}).body) ==
        json{{"method", "answerCallbackQuery"}, {"callback_query_id", "4382bfdwdsb323b2d9"}});
  CHECK(json::parse(adapter.sync_answer(message, Reply{"", false, {}, false}).body) == json::object());
}

TEST_CASE("telegram: a tap with the wrong secret, bad data or no message of the bot's", "[telegram][buttons]") {
  const TelegramAdapter adapter(connection());
  CHECK(rejected_status(adapter.verify(update_request(callback_update("ack:12").dump(), "s3cr3t_Token-43"), now)) ==
        401);
  CHECK(rejected_status(adapter.parse(update_request(callback_update("close:12").dump()))) == 400);
  auto no_id = callback_update("ack:12");
  no_id["callback_query"].erase("id");
  CHECK(rejected_status(adapter.parse(update_request(no_id.dump()))) == 400);
  // A button under an inline-mode message has no chat message: nothing for the bot.
  auto inline_mode = callback_update("ack:12");
  inline_mode["callback_query"].erase("message");
  inline_mode["callback_query"]["inline_message_id"] = "AAAAAA";
  const auto ignored = adapter.parse(update_request(inline_mode.dump()));
  REQUIRE(std::holds_alternative<ParsedMessages>(ignored));
  CHECK(std::get<ParsedMessages>(ignored).messages.empty());
}

TEST_CASE("telegram: a tap's answer edits the message to show who acted, or alerts the tapper", "[telegram][buttons]") {
  const TelegramAdapter adapter(connection());
  OutboundMessage answer{"tg", "-1001234567890", "#12 acknowledged by Erin after 3m (within the 15m SLA)", {}, ""};
  answer.tap = Tap{{ActionKind::ack, 12}, "4712", "4382bfdwdsb323b2d9", "#12 breached", true};
  const auto edited = adapter.render(answer, now);
  CHECK(edited.url == send_api + "editMessageText");
  CHECK(json::parse(edited.body) ==
        json{{"chat_id", -1001234567890LL},
             {"message_id", 4712},
             {"text", "#12 breached\n✅ #12 acknowledged by Erin after 3m (within the 15m SLA)"}});

  answer.text = "only support staff may ack tickets";
  answer.tap->acted = false;
  const auto alert = adapter.render(answer, now);
  CHECK(alert.url == send_api + "answerCallbackQuery");
  CHECK(json::parse(alert.body) == json{{"callback_query_id", "4382bfdwdsb323b2d9"},
                                        {"text", "only support staff may ack tickets"},
                                        {"show_alert", true}});
}

TEST_CASE("telegram: an answer in the webhook reply carries its buttons", "[telegram][buttons]") {
  const TelegramAdapter adapter(connection());
  InboundMessage command;
  command.chat_id = "-1001234567890";
  const auto answer = adapter.sync_answer(command, Reply{"#12 opened", false, {{ActionKind::ack, 12}}, true});
  CHECK(json::parse(answer.body) ==
        json{{"method", "sendMessage"},
             {"chat_id", -1001234567890LL},
             {"text", "#12 opened"},
             {"reply_markup", {{"inline_keyboard", {{{{"text", "Acknowledge"}, {"callback_data", "ack:12"}}}}}}}});
}
