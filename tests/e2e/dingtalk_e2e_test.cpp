// DingTalk end to end: an enterprise robot callback signed as DingTalk signs it opens a ticket;
// the answer goes through the outbox to the group's custom robot, signed, in DingTalk's format.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/wire/percent.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string app_secret = "dingtalk-e2e-app-secret";
const std::string robot_secret = "SECe2e0123456789abcdef";
const std::string chat = "cidE2eAcmeGroup==";

PlatformSetup dingtalk() {
  return {"dingtalk",
          {{"app_secret", app_secret}, {"robot_secret", robot_secret}},
          "/robot/send?access_token=tok-e2e",
          chat,
          "erin-staff-id"};
}

// base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)), as DingTalk signs both
// its callbacks (app secret, sent as is) and what custom robots accept (robot secret, urlencoded).
std::string dingtalk_sign(const std::string& secret, const std::string& timestamp_ms) {
  return base64_encode(hmac_sha256(secret, timestamp_ms + "\n" + secret));
}

// The callback of the enterprise robot in HTTP mode when someone @-mentions it in a group.
std::string callback(const std::string& msg_id, const std::string& staff_id, const std::string& nick,
                     const std::string& content, const std::string& session_webhook) {
  return json{{"conversationId", chat},
              {"atUsers", {{{"dingtalkId", "$:LWCP_v1:$bot"}}}},
              {"chatbotCorpId", "dinge2e"},
              {"chatbotUserId", "$:LWCP_v1:$bot"},
              {"msgId", msg_id},
              {"senderNick", nick},
              {"isAdmin", false},
              {"senderStaffId", staff_id},
              {"sessionWebhookExpiredTime", (kNow + 5400) * 1000},
              {"createAt", kNowMs},
              {"senderCorpId", "dinge2e"},
              {"conversationType", "2"},
              {"senderId", "$:LWCP_v1:$" + staff_id},
              {"conversationTitle", "Acme 7x24"},
              {"isInAtList", true},
              {"sessionWebhook", session_webhook},
              {"text", {{"content", content}}},
              {"msgtype", "text"},
              {"robotCode", "dinge2erobot"}}
      .dump();
}

testing::HttpResult post_signed(const PlatformBot& bot, const std::string& body,
                                const std::string& secret = app_secret) {
  const std::string timestamp = std::to_string(kNowMs);
  return bot.post({{"Content-Type", "application/json; charset=utf-8"},
                   {"timestamp", timestamp},
                   {"sign", dingtalk_sign(secret, timestamp)}},
                  body);
}

testing::ScriptedResponse dingtalk_ok() {
  return {200, {{"Content-Type", "application/json"}}, R"({"errcode":0,"errmsg":"ok"})"};
}

}  // namespace

TEST_CASE("e2e dingtalk: /open opens a ticket and the answer reaches the group's robot, signed", "[e2e][dingtalk]") {
  PlatformBot bot(dingtalk());
  bot.peer.on("/robot/send", dingtalk_ok());
  bot.start_outbox();

  // The session webhook is not on DingTalk's host, so it is not trusted: the answer goes to the
  // connection's custom robot instead.
  const auto open_callback = callback("msgE2e1", "pat-staff-id", "Pat", " /open 1 DB down",
                                      bot.peer.url("/robot/sendBySession?session=forged"));
  const auto opened = post_signed(bot, open_callback);
  REQUIRE(opened.status == 200);
  CHECK(json::parse(opened.body) == json::object());  // the fast acknowledgement
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  CHECK(ticket->opened_by_id == "dingtalk:pat-staff-id");

  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.method == "POST");
  const std::string timestamp = std::to_string(kNowMs);
  CHECK(sent.target == "/robot/send?access_token=tok-e2e&timestamp=" + timestamp +
                           "&sign=" + percent_encode(dingtalk_sign(robot_secret, timestamp)));
  CHECK(sent.header("content-type") == "application/json; charset=utf-8");
  const auto body = json::parse(sent.body);
  CHECK(body.at("msgtype") == "text");
  CHECK(body.at("text").at("content") == "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)");
  CHECK(body.at("at").at("atUserIds") == json::array());
  CHECK(body.at("at").at("isAtAll") == false);
  CHECK(bot.outbox_pending() == 0);

  // The engineer acknowledges with their staff id: the second answer follows the first.
  const auto acked = post_signed(bot, callback("msgE2e2", "erin-staff-id", "Erin", "/ticket ack #1",
                                               "https://oapi.example.com/robot/sendBySession?session=x"));
  REQUIRE(acked.status == 200);
  REQUIRE(bot.wait_for_platform(2));
  CHECK(json::parse(bot.peer.requests().at(1).body).at("text").at("content") ==
        "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  for (const auto& request : bot.peer.requests()) CHECK(request.target.starts_with("/robot/send?"));

  // DingTalk delivering the first callback again (same msgId): acknowledged, nothing new.
  REQUIRE(post_signed(bot, open_callback).status == 200);
  CHECK(bot.store.count_tickets({}) == 1);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 2);
}

TEST_CASE("e2e dingtalk: a callback signed with another secret gets 401 and opens nothing", "[e2e][dingtalk]") {
  PlatformBot bot(dingtalk());
  const auto refused =
      post_signed(bot, callback("msgE2e1", "pat-staff-id", "Pat", "/open 1 DB down", ""), "not-the-app-secret");
  CHECK(refused.status == 401);
  CHECK(bot.store.count_tickets({}) == 0);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);
}

TEST_CASE("e2e dingtalk: the answer goes to the callback's session webhook on DingTalk's host, unsigned",
          "[e2e][dingtalk]") {
  auto setup = dingtalk();
  setup.platform_hosts = {"oapi.dingtalk.com"};
  PlatformBot bot(setup);
  bot.peer.on("/robot/sendBySession", dingtalk_ok());
  bot.start_outbox();

  const auto opened = post_signed(bot, callback("msgE2e1", "pat-staff-id", "Pat", "/open 2 API errors",
                                                "https://oapi.dingtalk.com/robot/sendBySession?session=e2e-session"));
  REQUIRE(opened.status == 200);
  REQUIRE(bot.store.find_ticket(1, "acme"));

  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(bot.proxy->connect_targets() == std::vector<std::string>{"oapi.dingtalk.com:443"});
  CHECK(sent.header("host") == "oapi.dingtalk.com");
  // A session webhook authenticates by its session parameter: no timestamp, no sign.
  CHECK(sent.target == "/robot/sendBySession?session=e2e-session");
  const auto body = json::parse(sent.body);
  CHECK(body.at("msgtype") == "text");
  CHECK(body.at("text").at("content") ==
        "#1 opened: Urgent \"API errors\"; response due 2026-11-22 07:25 UTC (in 40m)");
  CHECK(bot.outbox_pending() == 0);
}

namespace {

// dingtalk() with buttons: links that make the tapper send the command.
PlatformSetup dingtalk_with_buttons() {
  PlatformSetup setup = dingtalk();
  setup.secrets["buttons"] = "links";
  return setup;
}

// The text a tap on the first button of the platform's `index`th request sends: what DingTalk's
// client posts as the person who tapped, decoded from the button's dtmd link.
std::string first_button_sends(const PlatformBot& bot, std::size_t index) {
  const json body = json::parse(bot.peer.requests().at(index).body);
  const std::string url = body.at("actionCard").at("btns").at(0).at("actionURL");
  const std::string prefix = "dtmd://dingtalkclient/sendMessage?content=";
  REQUIRE(url.starts_with(prefix));
  const auto text = slabot::percent_decode(url.substr(prefix.size()), Plus::literal);
  REQUIRE(text);
  return *text;
}

}  // namespace

TEST_CASE("e2e dingtalk buttons: an engineer's tap sends /ack as them and acknowledges; a repeat acts once",
          "[e2e][dingtalk][buttons]") {
  PlatformBot bot(dingtalk_with_buttons());
  bot.peer.on("/robot/send", dingtalk_ok());
  bot.start_outbox();
  REQUIRE(post_signed(bot, callback("msgE2e1", "pat-staff-id", "Pat", "/open 1 DB down", "")).status == 200);
  REQUIRE(bot.wait_for_platform(1));
  const std::string tapped = first_button_sends(bot, 0);
  CHECK(tapped == "/ack 1");

  // The tap arrives as Erin's own message, through the same callback.
  const auto tap = callback("msgE2eTap1", "erin-staff-id", "Erin", tapped, "");
  REQUIRE(post_signed(bot, tap).status == 200);
  REQUIRE(bot.wait_for_platform(2));
  CHECK(json::parse(bot.peer.requests().at(1).body).at("text").at("content") ==
        "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);

  // DingTalk delivering the tap's message again: one acknowledgement, one answer.
  REQUIRE(post_signed(bot, tap).status == 200);
  CHECK(bot.store.timeline(1, 100, true).size() == 2);  // opened, acknowledged
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 2);
}

TEST_CASE("e2e dingtalk buttons: a partner's tap is refused in words and changes nothing", "[e2e][dingtalk][buttons]") {
  PlatformBot bot(dingtalk_with_buttons());
  bot.peer.on("/robot/send", dingtalk_ok());
  bot.start_outbox();
  REQUIRE(post_signed(bot, callback("msgE2e1", "pat-staff-id", "Pat", "/open 1 DB down", "")).status == 200);
  REQUIRE(bot.wait_for_platform(1));

  REQUIRE(post_signed(bot, callback("msgE2eTap2", "pat-staff-id", "Pat", first_button_sends(bot, 0), "")).status ==
          200);
  REQUIRE(bot.wait_for_platform(2));
  CHECK(json::parse(bot.peer.requests().at(1).body).at("text").at("content") == "only support staff may ack tickets");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);
}
