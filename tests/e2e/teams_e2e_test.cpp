// Microsoft Teams end to end: an outgoing webhook's message activity, HMAC-signed with the
// security token, opens a ticket; the answer comes back in the HTTP answer as a message activity.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

// Teams shows the token base64-encoded; the HMAC key is what it decodes to.
const std::string key = "slabot-e2e-teams-outgoing-hook!!";
const std::string security_token = base64_encode(key);
const std::string chat = "19:e2eacme7x24@thread.tacv2";
const std::string erin_aad = "5f0c7b1e-e2e0-4a5b-9c3d-000000000e71";

PlatformSetup teams() { return {"teams", {{"security_token", security_token}}, "", chat, erin_aad}; }

// A channel message that @-mentions the bot, as the outgoing webhook posts it.
std::string activity(const std::string& id, const std::string& aad, const std::string& name, const std::string& text) {
  return json{
      {"type", "message"},
      {"id", id},
      {"timestamp", "2026-11-22T06:45:00.000Z"},
      {"serviceUrl", "https://smba.trafficmanager.net/amer/"},
      {"channelId", "msteams"},
      {"from", {{"id", "29:1" + id}, {"name", name}, {"aadObjectId", aad}}},
      {"conversation", {{"isGroup", true}, {"conversationType", "channel"}, {"id", chat + ";messageid=" + id}}},
      {"recipient", {{"id", "28:slabot"}, {"name", "slabot"}}},
      {"textFormat", "plain"},
      {"text", "<at>slabot</at> " + text},
      {"entities",
       {{{"type", "mention"}, {"mentioned", {{"id", "28:slabot"}, {"name", "slabot"}}}, {"text", "<at>slabot</at>"}}}},
      {"channelData", {{"teamsChannelId", chat}, {"teamsTeamId", "19:e2eteam@thread.tacv2"}}}}
      .dump();
}

// Authorization: "HMAC " + base64(HMAC-SHA256(key = base64-decode(security token), raw body)).
testing::HttpResult post_signed(const PlatformBot& bot, const std::string& body, const std::string& with_key = key) {
  return bot.post({{"Content-Type", "application/json; charset=utf-8"},
                   {"Authorization", "HMAC " + base64_encode(hmac_sha256(with_key, body))}},
                  body);
}

}  // namespace

TEST_CASE("e2e teams: /open opens a ticket and the answer is a message activity", "[e2e][teams]") {
  PlatformBot bot(teams());

  const auto open_activity = activity("1795329900001", "aad-pat", "Pat Partner", "/open 1 DB down");
  const auto opened = post_signed(bot, open_activity);
  REQUIRE(opened.status == 200);
  CHECK(json::parse(opened.body) ==
        json{{"type", "message"},
             {"text", "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)"}});
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  CHECK(ticket->opened_by_id == "teams:aad-pat");
  CHECK(ticket->opened_by_name == "Pat Partner");

  const auto acked = post_signed(bot, activity("1795329900002", erin_aad, "Erin", "/ack 1"));
  REQUIRE(acked.status == 200);
  CHECK(json::parse(acked.body).at("text") == "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);

  // Teams signs no timestamp: a replayed request is harmless only through the activity id.
  const auto replayed = post_signed(bot, open_activity);
  REQUIRE(replayed.status == 200);
  CHECK(replayed.body == opened.body);
  CHECK(bot.store.count_tickets({}) == 1);
}

TEST_CASE("e2e teams: an activity signed with another key gets 401 and opens nothing", "[e2e][teams]") {
  PlatformBot bot(teams());
  const auto body = activity("1795329900001", "aad-pat", "Pat Partner", "/open 1 DB down");
  CHECK(post_signed(bot, body, "another-key-another-key-another!").status == 401);
  CHECK(bot.store.count_tickets({}) == 0);
}

TEST_CASE("e2e teams: a message the bot starts reaches the incoming webhook as an Adaptive Card", "[e2e][teams]") {
  auto setup = teams();
  setup.outbound_path = "/workflows/e2e/triggers/manual/paths/invoke";
  PlatformBot bot(setup);
  bot.peer.on("/workflows/e2e/triggers/manual/paths/invoke", {202, {}, ""});  // what Workflows answer
  bot.start_outbox();

  bot.enqueue({"teams", chat, "#1 breached its response SLA", {{erin_aad, "Erin"}}, ""});
  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.target == "/workflows/e2e/triggers/manual/paths/invoke");
  const auto body = json::parse(sent.body);
  CHECK(body.at("type") == "message");
  const auto& attachment = body.at("attachments").at(0);
  CHECK(attachment.at("contentType") == "application/vnd.microsoft.card.adaptive");
  const auto& card = attachment.at("content");
  CHECK(card.at("type") == "AdaptiveCard");
  CHECK(card.at("body").at(0).at("text") == "#1 breached its response SLA <at>Erin</at>");
  CHECK(card.at("msteams").at("entities").at(0).at("mentioned").at("id") == erin_aad);
  CHECK(bot.outbox_pending() == 0);
}
