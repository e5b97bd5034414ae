// Telegram end to end: a webhook Update carrying the secret token opens a ticket; the answer is a
// sendMessage call in the webhook's HTTP answer.
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
                      {{"webhook_secret", webhook_secret}, {"bot_token", "123456789:AAE2Ee2eE2eE2eE2eE2eE2eE2eE2eE2eE2"},
                       {"bot_username", "slabot_e2e_bot"}},
                      "",
                      std::to_string(chat),
                      "7700001"};
  setup.bot_name = "slabot_e2e_bot";  // "/open@slabot_e2e_bot" is addressed to this bot
  return setup;
}

// A group message Update as the Bot API posts it.
std::string update(long long update_id, long long from_id, const std::string& first_name, const std::string& text) {
  const auto command_length = static_cast<long long>(text.find(' ') == std::string::npos ? text.size() : text.find(' '));
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

}  // namespace

TEST_CASE("e2e telegram: /open opens a ticket and the answer is sendMessage in the webhook answer", "[e2e][telegram]") {
  PlatformBot bot(telegram());

  const auto opened = post(bot, update(871000001, 5550001, "Pat", "/open@slabot_e2e_bot 1 DB down"));
  REQUIRE(opened.status == 200);
  CHECK(json::parse(opened.body) ==
        json{{"method", "sendMessage"},
             {"chat_id", chat},
             {"text", "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)"}});
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
