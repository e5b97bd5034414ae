// Lark / Feishu in plain mode (an app without an Encrypt Key): plain im.message.receive_v1 events
// checked by the verification token alone, through the real server and store.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string verification_token = "lark-plain-e2e-token";
const std::string hook_path = "/open-apis/bot/v2/hook/tok-plain";
const std::string chat = "oc_e2eacme7x24";

PlatformSetup plain_lark() {
  return {"lark", {{"verification_token", verification_token}}, hook_path, chat, "ou_erin"};
}

// What Lark posts without an Encrypt Key: the event itself, its token in the header.
std::string plain_event(const std::string& event_id, const std::string& token, const std::string& text) {
  return json{{"schema", "2.0"},
              {"header",
               {{"event_id", event_id},
                {"event_type", "im.message.receive_v1"},
                {"create_time", std::to_string(kNowMs)},
                {"token", token},
                {"app_id", "cli_e2e"},
                {"tenant_key", "e2e-tenant"}}},
              {"event",
               {{"sender", {{"sender_id", {{"open_id", "ou_pat"}}}, {"sender_type", "user"}}},
                {"message",
                 {{"message_id", "om_" + event_id},
                  {"chat_id", chat},
                  {"chat_type", "group"},
                  {"message_type", "text"},
                  {"content", json{{"text", "@_user_1 " + text}}.dump()},
                  {"mentions", {{{"key", "@_user_1"}, {"id", {{"open_id", "ou_slabot"}}}, {"name", "slabot"}}}}}}}}}
      .dump();
}

testing::HttpResult post(const PlatformBot& bot, const std::string& body) {
  return bot.post({{"Content-Type", "application/json; charset=utf-8"}}, body);
}

}  // namespace

TEST_CASE("e2e lark plain: the URL check and an event with the right token are answered", "[e2e][lark]") {
  PlatformBot bot(plain_lark());
  bot.peer.on(hook_path, {200, {{"Content-Type", "application/json"}}, R"({"code":0,"data":{},"msg":"success"})"});
  bot.start_outbox();

  const auto check = post(
      bot, json{{"challenge", "plain-challenge"}, {"token", verification_token}, {"type", "url_verification"}}.dump());
  REQUIRE(check.status == 200);
  CHECK(json::parse(check.body) == json{{"challenge", "plain-challenge"}});

  const auto opened = post(bot, plain_event("ev-plain-1", verification_token, "/open 1 DB down"));
  REQUIRE(opened.status == 200);
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  REQUIRE(bot.wait_for_platform(1));
  CHECK(json::parse(bot.peer.requests().at(0).body).at("content").at("text") ==
        "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)");
}

TEST_CASE("e2e lark plain: a wrong or missing token gets 401 and records nothing", "[e2e][lark]") {
  PlatformBot bot(plain_lark());
  CHECK(post(bot, plain_event("ev-plain-1", "someone-else", "/open 1 DB down")).status == 401);
  json no_token = json::parse(plain_event("ev-plain-2", verification_token, "/open 1 DB down"));
  no_token["header"].erase("token");
  CHECK(post(bot, no_token.dump()).status == 401);
  CHECK(post(bot, json{{"challenge", "c"}, {"token", "someone-else"}, {"type", "url_verification"}}.dump()).status ==
        401);
  CHECK(bot.store.count_tickets({}) == 0);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);
  // Nothing was recorded as seen either: the same event id with the right token is new.
  CHECK(post(bot, plain_event("ev-plain-1", verification_token, "/open 1 DB down")).status == 200);
  CHECK(bot.store.count_tickets({}) == 1);
}
