// DingTalk Stream mode's frames, as open-dingtalk/dingtalk-stream-sdk-go writes and reads them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/dingtalk/dingtalk_stream_frames.hpp"

using namespace slabot;
using nlohmann::json;

TEST_CASE("dingtalk stream: the open call subscribes to robot messages with the app's credentials",
          "[dingtalk][stream]") {
  const json body = json::parse(dingtalk_open_body("id", "secret", "slabot"));
  CHECK(body == json{{"clientId", "id"},
                     {"clientSecret", "secret"},
                     {"subscriptions", json::array({{{"type", "CALLBACK"}, {"topic", "/v1.0/im/bot/messages/get"}}})},
                     {"ua", "slabot"}});
}

TEST_CASE("dingtalk stream: the open answer gives the socket URL with its ticket, or says what is wrong",
          "[dingtalk][stream]") {
  const auto url = dingtalk_socket_url(
      HttpResponse{200, {}, R"({"endpoint":"wss://wss-open.dingtalk.com/connect","ticket":"a b+c"})"});
  REQUIRE(std::holds_alternative<std::string>(url));
  CHECK(std::get<std::string>(url) == "wss://wss-open.dingtalk.com/connect?ticket=a%20b%2Bc");

  const auto refused =
      dingtalk_socket_url(HttpResponse{401, {}, R"({"code":"InvalidAuthentication","message":"bad"})"});
  REQUIRE(std::holds_alternative<DingTalkOpenRefused>(refused));
  CHECK(std::get<DingTalkOpenRefused>(refused).credentials);
  CHECK(std::get<DingTalkOpenRefused>(refused).reason == "HTTP 401: InvalidAuthentication bad");

  const auto busy = dingtalk_socket_url(HttpResponse{503, {}, "busy"});
  REQUIRE(std::holds_alternative<DingTalkOpenRefused>(busy));
  CHECK_FALSE(std::get<DingTalkOpenRefused>(busy).credentials);

  for (const char* body : {R"({"endpoint":"https://x","ticket":"t"})", R"({"endpoint":"wss://x"})", "[]", "nope"}) {
    CAPTURE(body);
    CHECK(std::holds_alternative<DingTalkOpenRefused>(dingtalk_socket_url(HttpResponse{200, {}, body})));
  }
}

TEST_CASE("dingtalk stream: frames are read, and answered under their messageId", "[dingtalk][stream]") {
  std::string error;
  const auto frame = read_dingtalk_frame(
      R"({"specVersion":"1.0","type":"SYSTEM","headers":{"messageId":"m1","topic":"ping","time":"17"},"data":"{\"opaque\":1}"})",
      error);
  REQUIRE(frame);
  CHECK(frame->type == "SYSTEM");
  CHECK(frame->topic == "ping");
  CHECK(frame->time == "17");
  CHECK(json::parse(dingtalk_pong(*frame)) ==
        json{{"code", 200},
             {"headers", {{"contentType", "application/json"}, {"messageId", "m1"}}},
             {"message", "OK"},
             {"data", R"({"opaque":1})"}});
  CHECK(json::parse(dingtalk_ack(*frame))["data"] == R"({"response":null})");

  CHECK_FALSE(read_dingtalk_frame("nope", error));
  CHECK(error == "not a JSON object");
  CHECK_FALSE(read_dingtalk_frame(R"({"type":"EVENT","headers":{}})", error));
  CHECK(error == "a frame without type or headers.messageId");
}

TEST_CASE("dingtalk stream: a pushed robot message is parsed by the adapter as the HTTP callback would be",
          "[dingtalk][stream]") {
  Connection connection{"ding", "dingtalk", {{"client_id", "id"}, {"client_secret", "s"}}, ""};
  connection.mode = ConnectionMode::stream;
  const DingTalkAdapter adapter(connection);  // no app_secret needed in stream mode
  DingTalkFrame frame;
  frame.type = "CALLBACK";
  frame.message_id = "f1";
  frame.time = "1795329900000";
  frame.data = json{{"msgtype", "text"},
                    {"msgId", "msg-1"},
                    {"conversationId", "cid"},
                    {"senderStaffId", "u1"},
                    {"text", {{"content", " /open 1 x"}}},
                    {"sessionWebhook", "https://oapi.dingtalk.com/robot/sendBySession?session=s"},
                    {"sessionWebhookExpiredTime", 1795329900000 + 30 * 1000}}
                   .dump();
  const auto parsed = adapter.parse(dingtalk_robot_callback(frame));
  REQUIRE(std::holds_alternative<ParsedMessages>(parsed));
  const auto& message = std::get<ParsedMessages>(parsed).messages.at(0);
  CHECK(message.event_id == "msg-1");
  CHECK(message.text == "/open 1 x");
  // The push's time is DingTalk's clock: a webhook 30 s from expiry is not used.
  CHECK(message.reply_url.empty());
  // And no HTTP callback reaches a stream connection.
  CHECK(std::holds_alternative<Rejected>(adapter.verify(HttpRequest{}, Timestamp{})));
}
