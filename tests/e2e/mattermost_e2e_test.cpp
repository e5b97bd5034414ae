// Mattermost end to end: a custom slash command carrying the command's token opens a ticket; the
// answer comes back in the HTTP answer as in_channel JSON.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string token = "xr3j5x3p4pfk7kk6ck7b4e6ghh";
const std::string chat = "acme-7x24";  // the channel's URL name: what the adapter keys groups by

PlatformSetup mattermost() {
  return {"mattermost", {{"token", token}}, "", chat, "erinmattermostuserid000001"};
}

// A custom slash command as Mattermost posts it (fields sorted, as the server sends them).
std::string slash_command(const std::string& trigger, const std::string& user_id, const std::string& user_name,
                          const std::string& command, const std::string& text, const std::string& response_url,
                          const std::string& with_token = token) {
  return form_encode({{"channel_id", "fukqbe6ga3ndmcj5sbh8e2e001"},
                      {"channel_name", chat},
                      {"command", command},
                      {"response_url", response_url},
                      {"team_domain", "e2e"},
                      {"team_id", "ktpxbc8e8bfz8e2e00000000ab"},
                      {"text", text},
                      {"token", with_token},
                      {"trigger_id", trigger},
                      {"user_id", user_id},
                      {"user_name", user_name}});
}

testing::HttpResult post(const PlatformBot& bot, const std::string& body, const std::string& with_token = token) {
  return bot.post({{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"},
                   {"Authorization", "Token " + with_token}},
                  body);
}

}  // namespace

TEST_CASE("e2e mattermost: /ticket open opens a ticket and the answer is in_channel JSON", "[e2e][mattermost]") {
  PlatformBot bot(mattermost());
  const std::string response_url = bot.peer.url("/hooks/commands/e2eresponse");

  const auto opened = post(bot, slash_command("dHJpZ2dlci1lMmUtMQ==", "patmattermostuserid0000001", "pat", "/ticket",
                                              "open 1 DB down", response_url));
  REQUIRE(opened.status == 200);
  CHECK(json::parse(opened.body) ==
        json{{"response_type", "in_channel"},
             {"text", "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)"}});
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  CHECK(ticket->opened_by_id == "mattermost:patmattermostuserid0000001");

  const auto acked = post(bot, slash_command("dHJpZ2dlci1lMmUtMg==", "erinmattermostuserid000001", "erin", "/ack",
                                             "1", response_url));
  REQUIRE(acked.status == 200);
  CHECK(json::parse(acked.body).at("text") == "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);
  CHECK(bot.peer.requests().empty());
}

TEST_CASE("e2e mattermost: a command with another token gets 401 and opens nothing", "[e2e][mattermost]") {
  PlatformBot bot(mattermost());
  const auto body = slash_command("dHJpZ2dlcg==", "patmattermostuserid0000001", "pat", "/ticket", "open 1 DB down",
                                  bot.peer.url("/hooks/commands/x"), "not-the-token");
  CHECK(post(bot, body, "not-the-token").status == 401);
  CHECK(bot.store.count_tickets({}) == 0);
}

TEST_CASE("e2e mattermost: a message the bot starts reaches the incoming webhook, addressed to the channel", "[e2e][mattermost]") {
  auto setup = mattermost();
  setup.outbound_path = "/hooks/e2eincomingwebhook";
  PlatformBot bot(setup);
  bot.peer.on("/hooks/e2eincomingwebhook", {200, {{"Content-Type", "text/plain"}}, "ok"});
  bot.start_outbox();

  bot.enqueue({"mattermost", chat, "#1 breached its response SLA", {{"erinmattermostuserid000001", "erin"}}, ""});
  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.target == "/hooks/e2eincomingwebhook");
  const auto body = json::parse(sent.body);
  CHECK(body.at("channel") == chat);
  CHECK(body.at("text") == "#1 breached its response SLA <@erinmattermostuserid000001>");
  CHECK(bot.outbox_pending() == 0);
}
