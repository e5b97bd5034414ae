// Mattermost end to end: a custom slash command carrying the command's token opens a ticket; the
// answer comes back in the HTTP answer as in_channel JSON. Buttons: the answer to /ticket open
// carries an Acknowledge button whose context slabot signed; Mattermost posts that context back
// when it is clicked, and the tap runs /ack through the same dispatcher, permissions and dedup,
// answered in the integration response.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string token = "xr3j5x3p4pfk7kk6ck7b4e6ghh";
const std::string chat = "acme-7x24";  // the channel's URL name: what the adapter keys groups by

PlatformSetup mattermost() { return {"mattermost", {{"token", token}}, "", chat, "erinmattermostuserid000001"}; }

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

// mattermost() with buttons: clicks post to action_url, contexts signed with action_secret.
PlatformSetup mattermost_with_buttons() {
  PlatformSetup setup = mattermost();
  setup.secrets["action_url"] = "https://bot.example.com/hooks/mattermost";
  setup.secrets["action_secret"] = "e2e-action-secret-0123456789abcdef";
  return setup;
}

const std::string erin = "erinmattermostuserid000001";
const std::string pat = "patmattermostuserid0000001";

// Opens #1 by slash command; the button's context from the answer, as Mattermost stores it.
json open_and_take_context(PlatformBot& bot) {
  const auto opened =
      post(bot, slash_command("b3Blbg", pat, "pat", "/ticket", "open 1 DB down", bot.peer.url("/hooks/commands/e2e")));
  REQUIRE(opened.status == 200);
  const json answer = json::parse(opened.body);
  const json& button = answer.at("attachments").at(0).at("actions").at(0);
  CHECK(button.at("name") == "Acknowledge");
  CHECK(button.at("integration").at("url") == "https://bot.example.com/hooks/mattermost");
  return button.at("integration").at("context");
}

// What Mattermost posts to the integration url when the button is clicked.
testing::HttpResult click(const PlatformBot& bot, const json& context, const std::string& user_id,
                          const std::string& trigger) {
  const json body{{"user_id", user_id},
                  {"user_name", user_id == erin ? "erin" : "pat"},
                  {"channel_id", "fukqbe6ga3ndmcj5sbh8e2e001"},
                  {"channel_name", chat},
                  {"team_id", "ktpxbc8e8bfz8e2e00000000ab"},
                  {"team_domain", "e2e"},
                  {"post_id", "postide2e00000000000000001"},
                  {"trigger_id", trigger},
                  {"type", ""},
                  {"data_source", ""},
                  {"context", context}};
  return bot.post({{"Content-Type", "application/json"}}, body.dump());
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

  const auto acked =
      post(bot, slash_command("dHJpZ2dlci1lMmUtMg==", "erinmattermostuserid000001", "erin", "/ack", "1", response_url));
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

TEST_CASE("e2e mattermost: a message the bot starts reaches the incoming webhook, addressed to the channel",
          "[e2e][mattermost]") {
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

TEST_CASE("e2e mattermost buttons: an engineer's click acknowledges; the post is updated to show who",
          "[e2e][mattermost][buttons]") {
  PlatformBot bot(mattermost_with_buttons());
  const json context = open_and_take_context(bot);

  const auto clicked = click(bot, context, erin, "dHJpZ2dlcjE");
  REQUIRE(clicked.status == 200);
  const json answer = json::parse(clicked.body);
  CHECK(answer.at("update").at("message") ==
        "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)");
  CHECK(answer.at("update").at("props").at("attachments") ==
        json{{{"text", "✅ #1 acknowledged by Erin after 0s (within the 15m SLA)"}}});
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
}

TEST_CASE("e2e mattermost buttons: a partner's click is refused in an ephemeral answer and changes nothing",
          "[e2e][mattermost][buttons]") {
  PlatformBot bot(mattermost_with_buttons());
  const json context = open_and_take_context(bot);
  const auto clicked = click(bot, context, pat, "dHJpZ2dlcjI");
  REQUIRE(clicked.status == 200);
  CHECK(json::parse(clicked.body) == json{{"ephemeral_text", "only support staff may ack tickets"}});
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);
}

TEST_CASE("e2e mattermost buttons: a forged context gets 401; a repeated click acts once",
          "[e2e][mattermost][buttons]") {
  PlatformBot bot(mattermost_with_buttons());
  json context = open_and_take_context(bot);

  json forged = context;
  forged["action"] = "escalate:1";  // a context changed after slabot signed it
  CHECK(click(bot, forged, erin, "dHJpZ2dlcjM").status == 401);
  CHECK(bot.store.find_ticket(1, "acme")->escalation_level == kEscalationEngineer);
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);

  // The same click delivered twice: one acknowledgement; the second gets the first's answer (the
  // post updated to show who acted).
  const auto first = click(bot, context, erin, "dHJpZ2dlcjQ");
  REQUIRE(first.status == 200);
  const auto again = click(bot, context, erin, "dHJpZ2dlcjQ");
  REQUIRE(again.status == 200);
  CHECK(json::parse(again.body) == json::parse(first.body));
  CHECK(json::parse(again.body)["update"]["props"]["attachments"][0]["text"] ==
        "✅ #1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.store.timeline(1, 100, true).size() == 2);  // opened, acknowledged
}
