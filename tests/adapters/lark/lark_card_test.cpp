// Lark card buttons: the card's documented shape (Card JSON 2.0, button component with a callback
// behavior), the card.action.trigger callback read as a tap, and the callback's answer (toast,
// updated card).
#include "adapters/lark/lark_card.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/lark/lark_adapter.hpp"
#include "tests/adapters/lark/lark_test_connection.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

const std::string token = "lark-card-verification-token";

Connection plain_connection() { return testing::lark_plain_connection(token); }

// A card.action.trigger callback as "Card callback communication" documents it (schema 2.0).
json card_action(const json& value, const std::string& header_token = token) {
  return {{"schema", "2.0"},
          {"header",
           {{"event_id", "f7984f25108f8137722bb63cee927e66"},
            {"token", header_token},
            {"create_time", "1700000000000"},
            {"event_type", "card.action.trigger"},
            {"tenant_key", "tenant"},
            {"app_id", "cli_a"}}},
          {"event",
           {{"operator", {{"tenant_key", "tenant"}, {"open_id", "ou_erin"}, {"union_id", "on_erin"}}},
            {"token", "c-295ee57216a5dc9de90fefd0aadb4b1d7d337bc8"},
            {"action", {{"value", value}, {"tag", "button"}}},
            {"host", "im_message"},
            {"context", {{"open_message_id", "om_card1"}, {"open_chat_id", "oc_group"}}}}}};
}

HttpRequest request(const std::string& body) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/hooks/feishu";
  r.headers["content-type"] = "application/json; charset=utf-8";
  r.body = body;
  return r;
}

}  // namespace

TEST_CASE("lark card: the text as plain text and a callback button per action, valued with the action",
          "[lark][buttons]") {
  const json card = lark_card("#12 opened: Critical \"<at user_id=\\\"all\\\">\"",
                              {{ActionKind::ack, 12}, {ActionKind::escalate, 12}});
  CHECK(card.at("schema") == "2.0");
  const json& elements = card.at("body").at("elements");
  REQUIRE(elements.size() == 3);
  // Plain text: nothing in a title is markup, an @all included.
  CHECK(elements[0] ==
        json{{"tag", "div"},
             {"text", {{"tag", "plain_text"}, {"content", "#12 opened: Critical \"<at user_id=\\\"all\\\">\""}}}});
  CHECK(elements[1].at("tag") == "button");
  CHECK(elements[1].at("text") == json{{"tag", "plain_text"}, {"content", "Acknowledge"}});
  CHECK(elements[1].at("type") == "primary");
  const json& behavior = elements[1].at("behaviors").at(0);
  CHECK(behavior.at("type") == "callback");
  CHECK(behavior.at("value").at("slabot") == "ack:12");
  CHECK(behavior.at("value").at("text") == "#12 opened: Critical \"<at user_id=\\\"all\\\">\"");
  CHECK(elements[2].at("text").at("content") == "Escalate");
  CHECK(elements[2].at("behaviors").at(0).at("value").at("slabot") == "escalate:12");
}

TEST_CASE("lark card: a button's value carries at most kLarkValueTextBytes of the text", "[lark][buttons]") {
  const std::string long_text(3 * kLarkValueTextBytes, 'x');
  const json card = lark_card(long_text, {{ActionKind::ack, 1}});
  CHECK(card.at("body").at("elements").at(1).at("behaviors").at(0).at("value").at("text").get<std::string>().size() ==
        kLarkValueTextBytes);
}

TEST_CASE("lark card: a card.action.trigger callback is the tap it reports, by the operator, in the chat",
          "[lark][buttons]") {
  const LarkAdapter adapter(plain_connection());
  const auto body = card_action({{"slabot", "ack:12"}, {"text", "#12 Critical \"DB down\""}}).dump();
  REQUIRE(std::holds_alternative<Verified>(adapter.verify(request(body), from_unix_ms(1700000000000LL))));
  const auto parsed = adapter.parse(request(body));
  const auto& messages = std::get<ParsedMessages>(parsed).messages;
  REQUIRE(messages.size() == 1);
  const InboundMessage& tap = messages[0];
  CHECK(tap.event_id == "f7984f25108f8137722bb63cee927e66");
  CHECK(tap.chat_id == "oc_group");
  CHECK(tap.user_id == "ou_erin");
  CHECK(tap.text == "/ack 12");
  REQUIRE(tap.tap);
  CHECK(tap.tap->action == MessageAction{ActionKind::ack, 12});
  CHECK(tap.tap->message_ref == "om_card1");
  CHECK(tap.tap->original_text == "#12 Critical \"DB down\"");
  // Answered in the callback's HTTP answer, not through the outbox.
  CHECK(adapter.reply_route(tap) == ReplyRoute::in_response);
}

TEST_CASE("lark card: a callback with a wrong token is refused with 401 before parsing", "[lark][buttons]") {
  const LarkAdapter adapter(plain_connection());
  const auto body = card_action({{"slabot", "ack:12"}}, "not-the-token").dump();
  const auto verified = adapter.verify(request(body), from_unix_ms(1700000000000LL));
  REQUIRE(std::holds_alternative<Rejected>(verified));
  CHECK(std::get<Rejected>(verified).status == 401);
}

TEST_CASE("lark card: a callback without slabot's value, operator or chat is refused with 400", "[lark][buttons]") {
  const LarkAdapter adapter(plain_connection());
  const auto status_of = [&](const json& callback) {
    const auto parsed = adapter.parse(request(callback.dump()));
    REQUIRE(std::holds_alternative<Rejected>(parsed));
    return std::get<Rejected>(parsed).status;
  };
  CHECK(status_of(card_action({{"slabot", "close:12"}})) == 400);
  CHECK(status_of(card_action({{"slabot", "ack:012"}})) == 400);
  CHECK(status_of(card_action({{"other", "ack:12"}})) == 400);
  CHECK(status_of(card_action("ack:12")) == 400);  // a string value, not slabot's object
  json no_operator = card_action({{"slabot", "ack:12"}});
  no_operator["event"].erase("operator");
  CHECK(status_of(no_operator) == 400);
  json no_chat = card_action({{"slabot", "ack:12"}});
  no_chat["event"]["context"].erase("open_chat_id");
  CHECK(status_of(no_chat) == 400);
  json no_event_id = card_action({{"slabot", "ack:12"}});
  no_event_id["header"].erase("event_id");
  CHECK(status_of(no_event_id) == 400);
}

TEST_CASE("lark card: a tap that acted gets an info toast and the card updated to show who acted", "[lark][buttons]") {
  const Tap tap{{ActionKind::ack, 12}, "om_card1", "", "#12 Critical \"DB down\"", false};
  const HttpAnswer answer = lark_tap_answer(tap, Reply{"#12 acknowledged by Erin after 2m", false, {}, true});
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "application/json");
  const json body = json::parse(answer.body);
  CHECK(body.at("toast") == json{{"type", "info"}, {"content", "#12 acknowledged by Erin after 2m"}});
  CHECK(body.at("card").at("type") == "raw");
  const json& card = body.at("card").at("data");
  CHECK(card.at("schema") == "2.0");
  const json& elements = card.at("body").at("elements");
  REQUIRE(elements.size() == 2);  // the text, who acted; no buttons
  CHECK(elements[0].at("text").at("content") == "#12 Critical \"DB down\"");
  CHECK(elements[1].at("text").at("content") == "✅ #12 acknowledged by Erin after 2m");
}

TEST_CASE("lark card: a refused tap gets an error toast and leaves the card as it is", "[lark][buttons]") {
  const Tap tap{{ActionKind::ack, 12}, "om_card1", "", "#12 Critical \"DB down\"", false};
  const json body =
      json::parse(lark_tap_answer(tap, Reply{"only support staff may ack tickets", false, {}, false}).body);
  CHECK(body == json{{"toast", {{"type", "error"}, {"content", "only support staff may ack tickets"}}}});
}

TEST_CASE("lark card: events keep the outbox route and the empty acknowledgement", "[lark][buttons]") {
  const LarkAdapter adapter(plain_connection());
  InboundMessage message;
  message.chat_id = "oc_group";
  message.text = "/open 1 DB down";
  CHECK(adapter.reply_route(message) == ReplyRoute::via_outbox);
  CHECK(adapter.sync_answer(message, Reply{"", false, {{ActionKind::ack, 1}}, false}).body == "{}");
}
