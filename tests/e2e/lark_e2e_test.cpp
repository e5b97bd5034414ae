// Lark / Feishu end to end: an encrypted, signed im.message.receive_v1 event opens a ticket; the
// answer goes through the outbox to the group's custom bot, signed in the body.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string encrypt_key = "lark-e2e-encrypt-key";
const std::string verification_token = "lark-e2e-verification-token";
const std::string bot_secret = "lark-e2e-bot-secret";
const std::string hook_path = "/open-apis/bot/v2/hook/tok-e2e";
const std::string chat = "oc_e2eacme7x24";

PlatformSetup lark() {
  return {"lark",
          {{"encrypt_key", encrypt_key}, {"verification_token", verification_token}, {"bot_secret", bot_secret}},
          hook_path,
          chat,
          "ou_erin"};
}

// {"encrypt": base64(IV || AES-256-CBC(key = SHA-256(encrypt_key), IV, event))}, as Lark sends it.
std::string envelope(const json& event) {
  const std::string iv = "e2e-lark-iv-0001";
  return json{{"encrypt", base64_encode(iv + aes256_cbc_encrypt(sha256(encrypt_key), iv, event.dump(), true))}}.dump();
}

// A group message that @-mentions the bot first, as im.message.receive_v1 (schema 2.0).
json message_event(const std::string& event_id, const std::string& open_id, const std::string& text) {
  return {{"schema", "2.0"},
          {"header",
           {{"event_id", event_id},
            {"event_type", "im.message.receive_v1"},
            {"create_time", std::to_string(kNowMs)},
            {"token", verification_token},
            {"app_id", "cli_e2e"},
            {"tenant_key", "e2e-tenant"}}},
          {"event",
           {{"sender", {{"sender_id", {{"open_id", open_id}, {"union_id", "on_x"}}}, {"sender_type", "user"}}},
            {"message",
             {{"message_id", "om_" + event_id},
              {"create_time", std::to_string(kNowMs)},
              {"chat_id", chat},
              {"chat_type", "group"},
              {"message_type", "text"},
              {"content", json{{"text", "@_user_1 " + text}}.dump()},
              {"mentions", {{{"key", "@_user_1"}, {"id", {{"open_id", "ou_slabot"}}}, {"name", "slabot"}}}}}}}}};
}

// X-Lark-Signature = hex(SHA-256(timestamp + nonce + encrypt_key + raw body)).
testing::HttpResult post_signed(const PlatformBot& bot, const std::string& body, const std::string& key = encrypt_key) {
  const std::string timestamp = std::to_string(kNow);
  const std::string nonce = "e2e-nonce-1";
  return bot.post({{"Content-Type", "application/json; charset=utf-8"},
                   {"X-Lark-Request-Timestamp", timestamp},
                   {"X-Lark-Request-Nonce", nonce},
                   {"X-Lark-Signature", hex_encode(sha256(timestamp + nonce + key + body))}},
                  body);
}

}  // namespace

TEST_CASE("e2e lark: /open opens a ticket and the answer reaches the custom bot, signed", "[e2e][lark]") {
  PlatformBot bot(lark());
  bot.peer.on(hook_path, {200, {{"Content-Type", "application/json"}}, R"({"code":0,"data":{},"msg":"success"})"});
  bot.start_outbox();

  // The URL verification Lark sends when the request URL is saved: unsigned, answered at once.
  const auto check =
      bot.post({{"Content-Type", "application/json"}},
               envelope({{"challenge", "e2e-challenge"}, {"token", verification_token}, {"type", "url_verification"}}));
  REQUIRE(check.status == 200);
  CHECK(json::parse(check.body) == json{{"challenge", "e2e-challenge"}});

  const auto open_event = envelope(message_event("ev-e2e-1", "ou_pat", "/open 1 DB down"));
  const auto opened = post_signed(bot, open_event);
  REQUIRE(opened.status == 200);
  CHECK(json::parse(opened.body) == json::object());
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  CHECK(ticket->opened_by_id == "lark:ou_pat");

  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.method == "POST");
  CHECK(sent.target == hook_path);
  CHECK(sent.header("content-type") == "application/json; charset=utf-8");
  const std::string timestamp = std::to_string(kNow);
  CHECK(json::parse(sent.body) ==
        json{{"msg_type", "text"},
             {"content", {{"text", "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)"}}},
             {"timestamp", timestamp},
             {"sign", base64_encode(hmac_sha256(timestamp + "\n" + bot_secret, ""))}});
  CHECK(bot.outbox_pending() == 0);

  const auto acked = post_signed(bot, envelope(message_event("ev-e2e-2", "ou_erin", "/ack 1")));
  REQUIRE(acked.status == 200);
  REQUIRE(bot.wait_for_platform(2));
  CHECK(json::parse(bot.peer.requests().at(1).body).at("content").at("text") ==
        "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);

  // Lark retrying the first event (same event_id): acknowledged, nothing new.
  REQUIRE(post_signed(bot, open_event).status == 200);
  CHECK(bot.store.count_tickets({}) == 1);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 2);
}

TEST_CASE("e2e lark: an event signed with another key gets 401 and opens nothing", "[e2e][lark]") {
  PlatformBot bot(lark());
  const auto refused =
      post_signed(bot, envelope(message_event("ev-e2e-1", "ou_pat", "/open 1 DB down")), "another-encrypt-key");
  CHECK(refused.status == 401);
  CHECK(bot.store.count_tickets({}) == 0);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);
}

// A Lark custom bot belongs to one group, so a connection serving several partner groups gives
// each its own bot in channels[].outbound_url; the connection's is another group's (here: the
// support side's). The answer to a group must go to that group's bot, never to another group.
TEST_CASE("e2e lark: the answer goes to the group's own custom bot, not the connection's", "[e2e][lark]") {
  auto setup = lark();
  setup.channel_outbound_path = "/open-apis/bot/v2/hook/acme-group";
  PlatformBot bot(setup);
  const testing::ScriptedResponse ok{200, {{"Content-Type", "application/json"}}, R"({"code":0,"msg":"success"})"};
  bot.peer.on("/open-apis/bot/v2/hook/acme-group", ok);
  bot.peer.on(hook_path, ok);
  bot.start_outbox();

  REQUIRE(post_signed(bot, envelope(message_event("ev-e2e-1", "ou_pat", "/open 1 DB down"))).status == 200);
  REQUIRE(bot.wait_for_platform(1));
  CHECK(bot.peer.requests().at(0).target == "/open-apis/bot/v2/hook/acme-group");
}

namespace {

// A tap on a card's button, as Lark posts card.action.trigger to the callback URL (schema 2.0).
json card_tap(const std::string& event_id, const std::string& open_id, const json& value) {
  return {{"schema", "2.0"},
          {"header",
           {{"event_id", event_id},
            {"token", verification_token},
            {"create_time", std::to_string(kNowMs)},
            {"event_type", "card.action.trigger"},
            {"tenant_key", "e2e-tenant"},
            {"app_id", "cli_e2e"}}},
          {"event",
           {{"operator", {{"tenant_key", "e2e-tenant"}, {"open_id", open_id}, {"union_id", "on_x"}}},
            {"token", "c-e2e-update-token"},
            {"action", {{"value", value}, {"tag", "button"}}},
            {"host", "im_message"},
            {"context", {{"open_message_id", "om_card_e2e"}, {"open_chat_id", chat}}}}}};
}

// A button's value as slabot puts it on a card.
json button_value(const std::string& action) {
  return {{"slabot", action}, {"text", "#1 Critical \"DB down\": no response yet"}};
}

// lark() with the app's credentials: messages with buttons go as cards, sent as the app.
PlatformSetup lark_app() {
  PlatformSetup setup = lark();
  setup.secrets["app_id"] = "cli_e2e";
  setup.secrets["app_secret"] = "lark-e2e-app-secret";
  return setup;
}

// Lark's token endpoint on the fake platform, answering `body`.
void answer_token_requests(PlatformBot& bot, const std::string& body) {
  bot.peer.on("/open-apis/auth/v3/tenant_access_token/internal", {200, {{"Content-Type", "application/json"}}, body});
}

// Opens #1 from a group message; its answer waits in the outbox, which is not started.
void open_ticket(PlatformBot& bot) {
  REQUIRE(post_signed(bot, envelope(message_event("ev-e2e-open", "ou_pat", "/open 1 DB down"))).status == 200);
  REQUIRE(bot.store.find_ticket(1, "acme"));
}

}  // namespace

TEST_CASE("e2e lark buttons: an engineer's tap acknowledges; a toast and the card updated to show who acted",
          "[e2e][lark][buttons]") {
  PlatformBot bot(lark());
  open_ticket(bot);

  const auto tapped = post_signed(bot, envelope(card_tap("ev-tap-1", "ou_erin", button_value("ack:1"))));
  REQUIRE(tapped.status == 200);
  const json answer = json::parse(tapped.body);
  CHECK(answer.at("toast") ==
        json{{"type", "info"}, {"content", "#1 acknowledged by Erin after 0s (within the 15m SLA)"}});
  const json& elements = answer.at("card").at("data").at("body").at("elements");
  REQUIRE(elements.size() == 2);
  CHECK(elements[0].at("text").at("content") == "#1 Critical \"DB down\": no response yet");
  CHECK(elements[1].at("text").at("content") == "✅ #1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  // The answer was the callback's: nothing more for the group's custom bot than /open's answer.
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 1);
}

TEST_CASE("e2e lark buttons: a partner's tap gets an error toast and changes nothing", "[e2e][lark][buttons]") {
  PlatformBot bot(lark());
  open_ticket(bot);
  const auto tapped = post_signed(bot, envelope(card_tap("ev-tap-2", "ou_pat", button_value("ack:1"))));
  REQUIRE(tapped.status == 200);
  CHECK(json::parse(tapped.body) ==
        json{{"toast", {{"type", "error"}, {"content", "only support staff may ack tickets"}}}});
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);
}

TEST_CASE("e2e lark buttons: a forged or stale tap gets 401; a repeated tap acts once", "[e2e][lark][buttons]") {
  PlatformBot bot(lark());
  open_ticket(bot);

  CHECK(post_signed(bot, envelope(card_tap("ev-tap-3", "ou_erin", button_value("ack:1"))), "another-encrypt-key")
            .status == 401);
  // Signed right, but two hours old: outside the replay window.
  const std::string stale = std::to_string(kNow - 7200);
  const std::string body = envelope(card_tap("ev-tap-3", "ou_erin", button_value("ack:1")));
  const auto old = bot.post({{"Content-Type", "application/json; charset=utf-8"},
                             {"X-Lark-Request-Timestamp", stale},
                             {"X-Lark-Request-Nonce", "n"},
                             {"X-Lark-Signature", hex_encode(sha256(stale + "n" + encrypt_key + body))}},
                            body);
  CHECK(old.status == 401);
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::open);

  // The same callback twice (one event_id; Lark calls again when an answer is lost): one
  // acknowledgement, and the second gets the first's answer, the card updated, not an error toast.
  const auto first = post_signed(bot, body);
  REQUIRE(first.status == 200);
  const auto again = post_signed(bot, body);
  REQUIRE(again.status == 200);
  CHECK(json::parse(again.body) == json::parse(first.body));
  CHECK(json::parse(again.body)["toast"] ==
        json{{"type", "info"}, {"content", "#1 acknowledged by Erin after 0s (within the 15m SLA)"}});
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(bot.store.timeline(1, 100, true).size() == 2);  // opened, acknowledged
}

TEST_CASE("e2e lark buttons: with the app's credentials the answer to /open is a card sent as the app; its button acts",
          "[e2e][lark][buttons]") {
  PlatformBot bot(lark_app());
  answer_token_requests(bot, R"({"code":0,"msg":"ok","tenant_access_token":"t-e2e-token","expire":7200})");
  bot.peer.on("/open-apis/im/v1/messages",
              {200, {{"Content-Type", "application/json"}}, R"({"code":0,"msg":"success","data":{}})"});
  bot.start_outbox();
  open_ticket(bot);

  // The token first, then the card, as the app, to the group by its chat id.
  REQUIRE(bot.wait_for_platform(2));
  const auto fetch = bot.peer.requests().at(0);
  CHECK(fetch.target == "/open-apis/auth/v3/tenant_access_token/internal");
  CHECK(json::parse(fetch.body) == json{{"app_id", "cli_e2e"}, {"app_secret", "lark-e2e-app-secret"}});
  const auto sent = bot.peer.requests().at(1);
  CHECK(sent.target == "/open-apis/im/v1/messages?receive_id_type=chat_id");
  CHECK(sent.header("authorization") == "Bearer t-e2e-token");
  const json body = json::parse(sent.body);
  CHECK(body.at("receive_id") == chat);
  CHECK(body.at("msg_type") == "interactive");
  const json card = json::parse(body.at("content").get<std::string>());
  const json& elements = card.at("body").at("elements");
  REQUIRE(elements.size() == 2);
  CHECK(elements[0].at("text").at("content") ==
        "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)");
  const json value = elements[1].at("behaviors").at(0).at("value");
  CHECK(value.at("slabot") == "ack:1");
  CHECK(bot.outbox_pending() == 0);

  // Lark hands the button's value back on a tap: Erin's acknowledges.
  const auto tapped = post_signed(bot, envelope(card_tap("ev-tap-app", "ou_erin", value)));
  REQUIRE(tapped.status == 200);
  const json answer = json::parse(tapped.body);
  CHECK(answer.at("card").at("data").at("body").at("elements").at(0).at("text").at("content") ==
        "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
}

TEST_CASE("e2e lark buttons: a refused app secret leaves the card dead with the reason, the secret unsaid",
          "[e2e][lark][buttons]") {
  PlatformBot bot(lark_app());
  answer_token_requests(bot, R"({"code":10014,"msg":"app secret invalid"})");
  bot.start_outbox();
  open_ticket(bot);
  REQUIRE(bot.wait_for_platform(1));
  CHECK(bot.outbox_pending() == 0);
  const auto dead = bot.store.list_outbox(OutboxQuery::dead, 10);
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].last_error.find("credential: Lark tenant_access_token code 10014") != std::string::npos);
  CHECK(dead[0].last_error.find("lark-e2e-app-secret") == std::string::npos);
  CHECK(bot.peer.requests().size() == 1);  // no card sent without a token
}
