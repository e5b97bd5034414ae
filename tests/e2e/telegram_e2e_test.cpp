// Telegram end to end: a webhook Update carrying the secret token opens a ticket; the answer is a
// sendMessage call in the webhook's HTTP answer. Buttons: a callback_query Update runs the command
// its button stands for through the same dispatcher, permissions and dedup; the webhook's answer
// stops the spinner, and the outbox edits the message to show who acted (editMessageText) or
// alerts the tapper (answerCallbackQuery).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string webhook_secret = "e2e_Secret-Token_42";
constexpr long long chat = -1001795329900LL;  // a supergroup

PlatformSetup telegram() {
  PlatformSetup setup{"telegram",
                      {{"webhook_secret", webhook_secret},
                       {"bot_token", "123456789:AAE2Ee2eE2eE2eE2eE2eE2eE2eE2eE2eE2"},
                       {"bot_username", "slabot_e2e_bot"}},
                      "",
                      std::to_string(chat),
                      "7700001"};
  setup.bot_name = "slabot_e2e_bot";  // "/open@slabot_e2e_bot" is addressed to this bot
  return setup;
}

// A group message Update as the Bot API posts it.
std::string update(long long update_id, long long from_id, const std::string& first_name, const std::string& text) {
  const auto command_length =
      static_cast<long long>(text.find(' ') == std::string::npos ? text.size() : text.find(' '));
  return json{{"update_id", update_id},
              {"message",
               {{"message_id", update_id % 100000},
                {"from", {{"id", from_id}, {"is_bot", false}, {"first_name", first_name}, {"language_code", "en"}}},
                {"chat", {{"id", chat}, {"title", "Acme 7x24"}, {"type", "supergroup"}}},
                {"date", kNow},
                {"text", text},
                {"entities", {{{"offset", 0}, {"length", command_length}, {"type", "bot_command"}}}}}}}
      .dump();
}

testing::HttpResult post(const PlatformBot& bot, const std::string& body, const std::string& secret = webhook_secret) {
  return bot.post({{"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", secret}}, body);
}

// The bot of telegram(), sending to the fake Bot API (outbound_url), where editMessageText and
// answerCallbackQuery then go too, answered {"ok":true}.
PlatformSetup telegram_with_api() {
  PlatformSetup setup = telegram();
  setup.outbound_path = "/bot" + setup.secrets.at("bot_token") + "/sendMessage";
  return setup;
}

// Scripts the fake Bot API's answers, and Pat opens #1 in the group.
void open_with_api(PlatformBot& bot) {
  for (const char* method : {"editMessageText", "answerCallbackQuery"}) {
    bot.peer.on("/bot" + bot.config.connections.at(0).secrets.at("bot_token") + "/" + method,
                {200, {{"Content-Type", "application/json"}}, R"({"ok":true,"result":true})"});
  }
  REQUIRE(post(bot, update(871000001, 5550001, "Pat", "/open 1 DB down")).status == 200);
}

// A tap on a button under the bot's message 4001.
std::string tap_update(long long update_id, long long from_id, const std::string& name, const std::string& data) {
  return json{{"update_id", update_id},
              {"callback_query",
               {{"id", "cbq-" + std::to_string(update_id)},
                {"from", {{"id", from_id}, {"is_bot", false}, {"first_name", name}}},
                {"message",
                 {{"message_id", 4001},
                  {"from", {{"id", 123456789}, {"is_bot", true}, {"first_name", "slabot"}}},
                  {"chat", {{"id", chat}, {"title", "Acme 7x24"}, {"type", "supergroup"}}},
                  {"date", kNow},
                  {"text", "#1 opened: Critical \"DB down\""}}},
                {"chat_instance", "-891739563839282"},
                {"data", data}}}}
      .dump();
}

}  // namespace

TEST_CASE("e2e telegram: /open opens a ticket and the answer is sendMessage in the webhook answer", "[e2e][telegram]") {
  PlatformBot bot(telegram());

  const auto opened = post(bot, update(871000001, 5550001, "Pat", "/open@slabot_e2e_bot 1 DB down"));
  REQUIRE(opened.status == 200);
  CHECK(json::parse(opened.body) ==
        json{{"method", "sendMessage"},
             {"chat_id", chat},
             {"text", "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)"},
             {"reply_markup", {{"inline_keyboard", {{{{"text", "Acknowledge"}, {"callback_data", "ack:1"}}}}}}}});
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  CHECK(ticket->opened_by_id == "telegram:5550001");

  const auto acked = post(bot, update(871000002, 7700001, "Erin", "/ack 1"));
  REQUIRE(acked.status == 200);
  CHECK(json::parse(acked.body).at("text") == "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);
}

TEST_CASE("e2e telegram: an update with another secret token gets 401 and opens nothing", "[e2e][telegram]") {
  PlatformBot bot(telegram());
  CHECK(post(bot, update(871000001, 5550001, "Pat", "/open 1 DB down"), "not_the_secret").status == 401);
  CHECK(bot.store.count_tickets({}) == 0);
}

TEST_CASE("e2e telegram: a message the bot starts reaches sendMessage on api.telegram.org", "[e2e][telegram]") {
  auto setup = telegram();
  setup.platform_hosts = {"api.telegram.org"};  // no outbound_url: the Bot API's own sendMessage
  PlatformBot bot(setup);
  const std::string send_path = "/bot" + setup.secrets.at("bot_token") + "/sendMessage";
  bot.peer.on(send_path, {200, {{"Content-Type", "application/json"}}, R"({"ok":true,"result":{"message_id":4712}})"});
  bot.start_outbox();

  bot.enqueue({"telegram", std::to_string(chat), "#1 <DB> breached its response SLA", {{"7700001", "Erin"}}, ""});
  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.header("host") == "api.telegram.org");
  CHECK(sent.target == send_path);
  const auto body = json::parse(sent.body);
  CHECK(body.at("chat_id") == chat);
  CHECK(body.at("parse_mode") == "HTML");
  const std::string text = body.at("text");
  CHECK(text.find("&lt;DB&gt; breached its response SLA") != std::string::npos);
  CHECK(text.find("<a href=\"tg://user?id=7700001\">Erin</a>") != std::string::npos);
  CHECK(bot.outbox_pending() == 0);
}

TEST_CASE("e2e telegram buttons: an engineer's tap acknowledges; the message is edited to show who",
          "[e2e][telegram][buttons]") {
  PlatformBot bot(telegram_with_api());
  open_with_api(bot);

  const auto tapped = post(bot, tap_update(871000002, 7700001, "Erin", "ack:1"));
  REQUIRE(tapped.status == 200);
  CHECK(json::parse(tapped.body) == json{{"method", "answerCallbackQuery"}, {"callback_query_id", "cbq-871000002"}});
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);

  REQUIRE(bot.deliver(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.target == "/bot" + bot.config.connections.at(0).secrets.at("bot_token") + "/editMessageText");
  CHECK(json::parse(sent.body) ==
        json{{"chat_id", chat},
             {"message_id", 4001},
             {"text", "#1 opened: Critical \"DB down\"\n✅ #1 acknowledged by Erin after 0s (within the 15m SLA)"}});
}

TEST_CASE("e2e telegram buttons: a partner's tap is refused in an alert to the partner and changes nothing",
          "[e2e][telegram][buttons]") {
  PlatformBot bot(telegram_with_api());
  open_with_api(bot);

  const auto tapped = post(bot, tap_update(871000003, 5550001, "Pat", "ack:1"));
  REQUIRE(tapped.status == 200);
  CHECK(json::parse(tapped.body) == json::object());
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);
  REQUIRE(bot.deliver(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.target == "/bot" + bot.config.connections.at(0).secrets.at("bot_token") + "/answerCallbackQuery");
  CHECK(json::parse(sent.body) == json{{"callback_query_id", "cbq-871000003"},
                                       {"text", "only support staff may ack tickets"},
                                       {"show_alert", true}});
}

TEST_CASE("e2e telegram buttons: a tap without the secret gets 401; a repeated Update answers once",
          "[e2e][telegram][buttons]") {
  PlatformBot bot(telegram_with_api());
  open_with_api(bot);

  CHECK(post(bot, tap_update(871000004, 7700001, "Erin", "ack:1"), "e2e_Secret-Token_43").status == 401);
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);

  // Telegram delivering one Update again (its webhook retries): one acknowledgement, one edit.
  const std::string once = tap_update(871000005, 7700001, "Erin", "ack:1");
  REQUIRE(post(bot, once).status == 200);
  REQUIRE(post(bot, once).status == 200);
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.deliver(1));
}
