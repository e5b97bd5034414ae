// Slack end to end: a slash command signed with v0 opens a ticket; the answer comes back in the
// HTTP answer as Slack's in_channel JSON, within Slack's 3 s. Buttons: a block_actions tap signed
// like a slash command runs the command its button stands for, through the same dispatcher,
// permissions and dedup; its answer reaches the tap's response_url through the outbox, replacing
// the message or told to the tapper alone.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/slack_payloads.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string signing_secret = "8f742231b10e8888abcd99e2e85a5";
const std::string chat = "C0E2EACME";

PlatformSetup slack() { return {"slack", {{"signing_secret", signing_secret}}, "", chat, "U0ERIN"}; }

// A slash command as Slack posts it.
std::string slash_command(const std::string& trigger, const std::string& user_id, const std::string& user_name,
                          const std::string& command, const std::string& text, const std::string& response_url) {
  return form_encode({{"token", "gIkuvaNzQIHg97ATvDxqgjtO"},
                      {"team_id", "T0E2E"},
                      {"team_domain", "e2e"},
                      {"channel_id", chat},
                      {"channel_name", "acme-7x24"},
                      {"user_id", user_id},
                      {"user_name", user_name},
                      {"command", command},
                      {"text", text},
                      {"api_app_id", "A0E2E"},
                      {"is_enterprise_install", "false"},
                      {"response_url", response_url},
                      {"trigger_id", trigger}});
}

// X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)).
testing::HttpResult post_signed(const PlatformBot& bot, const std::string& body,
                                const std::string& secret = signing_secret) {
  const std::string timestamp = std::to_string(kNow);
  return bot.post({{"Content-Type", "application/x-www-form-urlencoded"},
                   {"X-Slack-Request-Timestamp", timestamp},
                   {"X-Slack-Signature", "v0=" + hex_encode(hmac_sha256(secret, "v0:" + timestamp + ":" + body))}},
                  body);
}

const std::string actions_path = "/actions/T0E2E/5678/tap";

// A tap on a button of the bot's message, as Slack posts it to the Interactivity Request URL.
std::string tap(const PlatformBot& bot, const std::string& trigger, const std::string& user_id,
                const std::string& value) {
  const auto payload =
      testing::block_actions({user_id, user_id == "U0ERIN" ? "erin" : "pat", chat, value, bot.peer.url(actions_path),
                              trigger, "1795329900.000100", "#1 Critical \"DB down\": breached"});
  return form_encode({{"payload", payload.dump()}});
}

// Pat opens #1; the fake Slack answers the taps' response_url.
void open_ticket(PlatformBot& bot) {
  bot.peer.on(actions_path, {200, {{"Content-Type", "application/json"}}, R"({"ok":true})"});
  const auto body =
      slash_command("1.1.open", "U0PAT", "pat", "/ticket", "open 1 DB down", bot.peer.url("/commands/T0E2E/1/x"));
  REQUIRE(post_signed(bot, body).status == 200);
  REQUIRE(bot.store.find_ticket(1, "acme"));
}

}  // namespace

TEST_CASE("e2e slack: /ticket open opens a ticket and the answer is Slack's in_channel JSON", "[e2e][slack]") {
  PlatformBot bot(slack());
  const std::string response_url = bot.peer.url("/commands/T0E2E/1234/abcd");

  const auto opened = post_signed(bot, slash_command("13345224609.738474920.8088930838d88f008e0", "U0PAT", "pat",
                                                     "/ticket", "open 1 DB down", response_url));
  REQUIRE(opened.status == 200);
  const std::string opened_text = "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)";
  // The answer carries Acknowledge for the staff in the group.
  const json button = {{"type", "button"},
                       {"action_id", "ack"},
                       {"text", {{"type", "plain_text"}, {"text", "Acknowledge"}}},
                       {"value", "ack:1"},
                       {"style", "primary"}};
  const json section = {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", opened_text}}}};
  const json actions = {{"type", "actions"}, {"block_id", "slabot"}, {"elements", json::array({button})}};
  CHECK(json::parse(opened.body) ==
        json{{"response_type", "in_channel"}, {"text", opened_text}, {"blocks", json::array({section, actions})}});
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  CHECK(ticket->opened_by_id == "slack:U0PAT");

  const auto acked =
      post_signed(bot, slash_command("13345224609.738474920.2", "U0ERIN", "erin", "/ack", "1", response_url));
  REQUIRE(acked.status == 200);
  CHECK(json::parse(acked.body).at("text") == "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  // The answer went in the HTTP answer: nothing was queued, nothing was sent to the response_url.
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);
  CHECK(bot.peer.requests().empty());
}

TEST_CASE("e2e slack: a command signed with another secret gets 401 and opens nothing", "[e2e][slack]") {
  PlatformBot bot(slack());
  const auto body = slash_command("1.2.3", "U0PAT", "pat", "/ticket", "open 1 DB down", bot.peer.url("/commands/x"));
  CHECK(post_signed(bot, body, "not-the-signing-secret").status == 401);
  CHECK(bot.store.count_tickets({}) == 0);
}

TEST_CASE("e2e slack: a message the bot starts reaches chat.postMessage with the bot token", "[e2e][slack]") {
  auto setup = slack();
  setup.secrets["bot_token"] = "xoxb-e2e-0000-token";
  setup.platform_hosts = {"slack.com"};  // no outbound_url: the default https://slack.com/api/chat.postMessage
  PlatformBot bot(setup);
  bot.peer.on(
      "/api/chat.postMessage",
      {200, {{"Content-Type", "application/json"}}, R"({"ok":true,"channel":"C0E2EACME","ts":"1795329900.000100"})"});
  bot.start_outbox();

  bot.enqueue({"slack", chat, "#1 breached its response SLA", {{"U0ERIN", "Erin"}}, ""});
  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.header("host") == "slack.com");
  CHECK(sent.target == "/api/chat.postMessage");
  CHECK(sent.header("authorization") == "Bearer xoxb-e2e-0000-token");
  CHECK(json::parse(sent.body) == json{{"channel", chat}, {"text", "#1 breached its response SLA <@U0ERIN>"}});
  CHECK(bot.outbox_pending() == 0);
}

TEST_CASE("e2e slack buttons: an engineer's tap acknowledges; the message shows who acted", "[e2e][slack][buttons]") {
  PlatformBot bot(slack());
  open_ticket(bot);

  const auto tapped = post_signed(bot, tap(bot, "1.2.erin", "U0ERIN", "ack:1"));
  REQUIRE(tapped.status == 200);
  CHECK(tapped.body.empty());
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.store.find_ticket(1, "acme")->acked_by_name == "Erin");

  REQUIRE(bot.deliver(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.target == actions_path);
  CHECK(sent.header("authorization").empty());
  const json body = json::parse(sent.body);
  CHECK(body.at("replace_original") == true);
  const std::string done = ":white_check_mark: #1 acknowledged by Erin after 0s (within the 15m SLA)";
  CHECK(body.at("text") == "#1 Critical \"DB down\": breached\n" + done);
  CHECK(body.at("blocks").at(1) == json{{"type", "context"}, {"elements", {{{"type", "mrkdwn"}, {"text", done}}}}});
  CHECK(body.at("blocks").size() == 2);  // the text and who acted: the buttons are gone
}

TEST_CASE("e2e slack buttons: a partner's tap is refused in words, to the partner alone, and changes nothing",
          "[e2e][slack][buttons]") {
  PlatformBot bot(slack());
  open_ticket(bot);

  REQUIRE(post_signed(bot, tap(bot, "1.2.pat", "U0PAT", "ack:1")).status == 200);
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);
  REQUIRE(bot.deliver(1));
  CHECK(json::parse(bot.peer.requests().at(0).body) == json{{"response_type", "ephemeral"},
                                                            {"replace_original", false},
                                                            {"text", "only support staff may ack tickets"}});
}

TEST_CASE("e2e slack buttons: a forged tap gets 401 and nothing is read; a repeated tap answers once",
          "[e2e][slack][buttons]") {
  PlatformBot bot(slack());
  open_ticket(bot);

  CHECK(post_signed(bot, tap(bot, "1.2.forged", "U0ERIN", "ack:1"), "not-the-signing-secret").status == 401);
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);

  // Slack (or a proxy) delivering one tap twice: one acknowledgement, one answer queued.
  const std::string once = tap(bot, "1.2.twice", "U0ERIN", "ack:1");
  REQUIRE(post_signed(bot, once).status == 200);
  REQUIRE(post_signed(bot, once).status == 200);
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.deliver(1));
}
