// Cards sent as the Lark app: the tenant access token fetched, kept and forgotten, and the IM
// API's request ("Send message" im/v1/messages, "Get tenant_access_token (internal app)").
#include "adapters/lark/lark_app.hpp"

#include <stdexcept>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/lark/lark_adapter.hpp"
#include "tests/adapters/lark/lark_test_connection.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

const Timestamp now = from_unix_ms(1700000000000LL);

Connection app_connection() {
  Connection c = testing::lark_plain_connection("lark-token");
  c.secrets["app_id"] = "cli_a1b2";
  c.secrets["app_secret"] = "app-secret-for-tests";
  c.outbound_url = "https://open.larksuite.com/open-apis/bot/v2/hook/tok123";
  return c;
}

OutboundMessage notice() {
  OutboundMessage message;
  message.connection = "feishu";
  message.chat_id = "oc_group";
  message.text = "#12 Critical \"DB down\": no response yet";
  message.mentions = {{"ou_erin", "Erin"}};
  message.message_id = "0b9e2d52-6c1a-5d8e-9f3a-4b7c1d2e3f40";
  message.actions = {{ActionKind::ack, 12}, {ActionKind::escalate, 12}};
  return message;
}

HttpResponse answer(int status, const std::string& body) {
  HttpResponse response;
  response.status = status;
  response.body = body;
  return response;
}

const std::string token_answer =
    R"({"code":0,"msg":"ok","tenant_access_token":"t-g1044ghJRUIJJ5ELPKRGNDBHQFK","expire":7200})";

}  // namespace

TEST_CASE("lark app: a message with buttons first fetches the tenant access token", "[lark][buttons]") {
  const LarkAdapter adapter(app_connection());
  const auto fetch = adapter.credential_request(notice(), now);
  REQUIRE(fetch);
  CHECK(fetch->method == "POST");
  CHECK(fetch->url == "https://open.larksuite.com/open-apis/auth/v3/tenant_access_token/internal");
  CHECK(json::parse(fetch->body) == json{{"app_id", "cli_a1b2"}, {"app_secret", "app-secret-for-tests"}});

  // Messages without buttons go to the custom bot as before: no token.
  OutboundMessage text = notice();
  text.actions.clear();
  CHECK_FALSE(adapter.credential_request(text, now));
}

TEST_CASE("lark app: the token is kept until five minutes before it expires", "[lark][buttons]") {
  const LarkAdapter adapter(app_connection());
  REQUIRE(std::holds_alternative<Delivered>(adapter.take_credential(answer(200, token_answer), now)));
  CHECK_FALSE(adapter.credential_request(notice(), now));
  CHECK_FALSE(adapter.credential_request(notice(), now + std::chrono::seconds(7200 - 301)));
  CHECK(adapter.credential_request(notice(), now + std::chrono::seconds(7200 - 300)));
}

TEST_CASE("lark app: a card goes to the IM API as the app, with the token, the chat and the uuid", "[lark][buttons]") {
  const LarkAdapter adapter(app_connection());
  REQUIRE(std::holds_alternative<Delivered>(adapter.take_credential(answer(200, token_answer), now)));
  const OutboundRequest request = adapter.render(notice(), now);
  CHECK(request.method == "POST");
  CHECK(request.url == "https://open.larksuite.com/open-apis/im/v1/messages?receive_id_type=chat_id");
  CHECK(request.headers.at("Authorization") == "Bearer t-g1044ghJRUIJJ5ELPKRGNDBHQFK");
  CHECK(request.headers.at("Content-Type") == "application/json; charset=utf-8");
  const json body = json::parse(request.body);
  CHECK(body.at("receive_id") == "oc_group");
  CHECK(body.at("msg_type") == "interactive");
  CHECK(body.at("uuid") == "0b9e2d52-6c1a-5d8e-9f3a-4b7c1d2e3f40");
  // content is the card as a JSON string.
  const json card = json::parse(body.at("content").get<std::string>());
  CHECK(card.at("schema") == "2.0");
  const json& elements = card.at("body").at("elements");
  REQUIRE(elements.size() == 4);
  CHECK(elements[0].at("text").at("content") == "#12 Critical \"DB down\": no response yet");
  CHECK(elements[1] == json{{"tag", "markdown"}, {"content", "<at id=ou_erin></at>"}});
  CHECK(elements[2].at("behaviors").at(0).at("value").at("slabot") == "ack:12");
  CHECK(elements[3].at("behaviors").at(0).at("value").at("slabot") == "escalate:12");
}

TEST_CASE("lark app: an answer that says the token is invalid forgets it and retries", "[lark][buttons]") {
  const LarkAdapter adapter(app_connection());
  REQUIRE(std::holds_alternative<Delivered>(adapter.take_credential(answer(200, token_answer), now)));
  REQUIRE_FALSE(adapter.credential_request(notice(), now));
  const auto result =
      adapter.interpret(answer(200, R"({"code":99991663,"msg":"Invalid access token for authorization"})"));
  CHECK(std::holds_alternative<RetryLater>(result));
  CHECK(adapter.credential_request(notice(), now));
  // The IM API's rate limit is a wait, not a failure.
  CHECK(std::holds_alternative<Throttled>(adapter.interpret(answer(200, R"({"code":99991400,"msg":"rate limited"})"))));
}

TEST_CASE("lark app: a refused app secret gives up; a 5xx or a token without expire waits", "[lark][buttons]") {
  const LarkAdapter adapter(app_connection());
  const auto refused = adapter.take_credential(answer(200, R"({"code":10014,"msg":"app secret invalid"})"), now);
  REQUIRE(std::holds_alternative<GiveUp>(refused));
  CHECK(delivery_error(refused).find("10014") != std::string::npos);
  CHECK(delivery_error(refused).find("app-secret-for-tests") == std::string::npos);
  CHECK(std::holds_alternative<RetryLater>(adapter.take_credential(answer(503, "busy"), now)));
  CHECK(std::holds_alternative<RetryLater>(
      adapter.take_credential(answer(200, R"({"code":0,"tenant_access_token":"t-x"})"), now)));
  CHECK(std::holds_alternative<RetryLater>(
      adapter.take_credential(answer(200, R"({"code":0,"tenant_access_token":"t-x","expire":60})"), now)));
  CHECK(adapter.credential_request(notice(), now));  // still none kept
}

TEST_CASE("lark app: without app credentials, messages stay text for the custom bot", "[lark][buttons]") {
  Connection without = app_connection();
  without.secrets.erase("app_id");
  without.secrets.erase("app_secret");
  const LarkAdapter text_only(without);
  CHECK_FALSE(text_only.credential_request(notice(), now));
  const json body = json::parse(text_only.render(notice(), now).body);
  CHECK(body.at("msg_type") == "text");
}

TEST_CASE("lark app: in stream mode too, buttons go as the app's card, to the open platform it streams from",
          "[lark][buttons]") {
  // The long connection carries the cards' callbacks (Feishu: "Receive callbacks through persistent
  // connection"), so a stream connection, whose app credentials open it, sends buttons as well.
  Connection stream = app_connection();
  stream.mode = ConnectionMode::stream;
  stream.secrets.erase("verification_token");
  stream.stream_url = "https://open.larksuite.com/";
  const LarkAdapter streaming(stream);
  const auto credential = streaming.credential_request(notice(), now);
  REQUIRE(credential);
  CHECK(credential->url.starts_with("https://open.larksuite.com/open-apis/auth/"));
  REQUIRE(std::holds_alternative<Delivered>(
      streaming.take_credential(answer(200, R"({"code":0,"tenant_access_token":"t-stream","expire":7200})"), now)));
  const OutboundRequest card = streaming.render(notice(), now);
  CHECK(card.url == "https://open.larksuite.com/open-apis/im/v1/messages?receive_id_type=chat_id");
  CHECK(json::parse(card.body).at("msg_type") == "interactive");
  CHECK(card.headers.at("Authorization") == "Bearer t-stream");
}

TEST_CASE("lark app: app_id and app_secret go together", "[lark][buttons]") {
  Connection half = app_connection();
  half.secrets.erase("app_secret");
  CHECK_THROWS_AS(LarkAdapter(half), std::invalid_argument);
  Connection empty = app_connection();
  empty.secrets["app_id"] = "";
  CHECK_THROWS_AS(LarkAdapter(empty), std::invalid_argument);
}

TEST_CASE("lark app: the API's origin comes from the custom bot's URL", "[lark][buttons]") {
  CHECK(LarkApp::api_base_of("https://open.feishu.cn/open-apis/bot/v2/hook/x") == "https://open.feishu.cn");
  CHECK(LarkApp::api_base_of("https://127.0.0.1:8443/hook") == "https://127.0.0.1:8443");
  CHECK(LarkApp::api_base_of("https://open.larksuite.com") == "https://open.larksuite.com");
  CHECK(LarkApp::api_base_of("") == "https://open.feishu.cn");
}
