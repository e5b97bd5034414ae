// DingTalk Stream mode end to end: the bot's session against a fake DingTalk gateway on loopback
// over TLS, written from DingTalk's documented frames (adapters/dingtalk/dingtalk_stream_frames.hpp
// cites them): the open call, robot messages pushed as CALLBACK frames and acknowledged by
// messageId, SYSTEM ping and disconnect, a dropped TCP connection, a refused ticket, a message
// pushed again after its acknowledgement was lost. The real dispatcher and store answer.
#include <catch2/catch.hpp>

#include <atomic>

#include "tests/bot/stream/stream_fixture.hpp"

using namespace slabot;
using namespace slabot::testing;
using nlohmann::json;

namespace {

Connection dingtalk_stream() {
  Connection connection{"ding", "dingtalk", {{"client_id", "ding-app"}, {"client_secret", "ding-secret"}}, ""};
  connection.mode = ConnectionMode::stream;
  return connection;
}

// What the open call answers: the gateway's endpoint and a fresh ticket.
ScriptedResponse endpoint(const FakeWebSocketGateway& gateway, const std::string& ticket) {
  return ScriptedResponse{200,
                          {{"Content-Type", "application/json"}},
                          json{{"endpoint", gateway.url("/connect")}, {"ticket", ticket}}.dump()};
}

// A robot message as DingTalk pushes it: the HTTP callback's body, as text, in `data`.
std::string robot_frame(const std::string& frame_id, const std::string& msg_id, const std::string& sender,
                        const std::string& text) {
  const json data = {{"msgtype", "text"},
                     {"msgId", msg_id},
                     {"conversationId", "chat-acme"},
                     {"senderStaffId", sender},
                     {"senderNick", sender},
                     {"text", {{"content", " " + text}}},
                     {"sessionWebhook", "https://oapi.dingtalk.com/robot/sendBySession?session=s1"},
                     {"sessionWebhookExpiredTime", 1795329900000 + 90 * 60 * 1000}};
  return json{{"specVersion", "1.0"},
              {"type", "CALLBACK"},
              {"headers",
               {{"appId", "app"},
                {"contentType", "application/json"},
                {"messageId", frame_id},
                {"topic", "/v1.0/im/bot/messages/get"},
                {"time", "1795329900000"}}},
              {"data", data.dump()}}
      .dump();
}

std::string system_frame(const std::string& topic, const std::string& frame_id, const std::string& data) {
  return json{
      {"specVersion", "1.0"},
      {"type", "SYSTEM"},
      {"headers", {{"contentType", "application/json"}, {"messageId", frame_id}, {"topic", topic}, {"time", "1"}}},
      {"data", data}}
      .dump();
}

// The acknowledgement DingTalk demands for frame `frame_id`.
void require_ack(GatewaySocket& socket, const std::string& frame_id) {
  const json ack = StreamBot::next_frame(socket);
  CHECK(ack["code"] == 200);
  CHECK(ack["headers"]["messageId"] == frame_id);
  CHECK(ack["headers"]["contentType"] == "application/json");
  CHECK(ack["message"] == "OK");
  CHECK(ack["data"].is_string());
}

}  // namespace

TEST_CASE("dingtalk stream: opens with the app's credentials, answers messages once, and reconnects every time",
          "[stream][dingtalk]") {
  StreamBot bot(dingtalk_stream());
  for (const char* ticket : {"t1", "t2", "t3", "t4", "t5"}) bot.api.enqueue(endpoint(bot.gateway, ticket));
  // DingTalk refuses a ticket once (a stale one): the bot opens again with a fresh one.
  bot.gateway.on_upgrade([](const std::string& target) { return target == "/connect?ticket=t4" ? 401 : 0; });
  bot.start();

  auto socket = bot.next_socket();
  CHECK(socket->target() == "/connect?ticket=t1");
  const auto opened = bot.api.requests().at(0);
  CHECK(opened.method == "POST");
  CHECK(opened.target == "/v1.0/gateway/connections/open");
  const json open_body = json::parse(opened.body);
  CHECK(open_body["clientId"] == "ding-app");
  CHECK(open_body["clientSecret"] == "ding-secret");
  CHECK(open_body["subscriptions"] == json::array({{{"type", "CALLBACK"}, {"topic", "/v1.0/im/bot/messages/get"}}}));

  // A message: recorded, its answer queued for the session webhook, acknowledged by messageId.
  socket->send(robot_frame("f1", "msg-1", "pat", "/open 1 DB down"));
  require_ack(*socket, "f1");
  CHECK(bot.replies_with("#1 opened") == 1);
  REQUIRE(bot.store->find_ticket(1, "acme"));

  // ping is echoed with its data under its messageId.
  socket->send(system_frame("ping", "p1", R"({"opaque":"42"})"));
  const json pong = StreamBot::next_frame(*socket);
  CHECK(pong["code"] == 200);
  CHECK(pong["headers"]["messageId"] == "p1");
  CHECK(pong["data"] == R"({"opaque":"42"})");

  // The same message pushed again (a new frame, the same msgId): acknowledged, answered once.
  socket->send(robot_frame("f2", "msg-1", "pat", "/open 1 DB down"));
  require_ack(*socket, "f2");
  CHECK(bot.replies_with("#1 opened") == 1);
  CHECK_FALSE(bot.store->find_ticket(2, "acme"));

  // The TCP connection dropped just as a message arrived: its acknowledgement is lost, so DingTalk
  // pushes it again on the next connection; the bot answers it once.
  socket->send(robot_frame("f3", "msg-2", "u-erin", "/ack #1"));
  require_ack(*socket, "f3");
  socket->drop();
  socket = bot.next_socket();
  CHECK(socket->target() == "/connect?ticket=t2");
  socket->send(robot_frame("f3", "msg-2", "u-erin", "/ack #1"));
  require_ack(*socket, "f3");
  CHECK(bot.replies_with("acknowledged by Erin") == 1);
  CHECK(bot.store->find_ticket(1, "acme")->state == TicketState::acknowledged);

  // disconnect: the bot leaves and comes back at once with a fresh ticket.
  socket->send(system_frame("disconnect", "d1", R"({"reason":"server restarting"})"));
  CHECK(socket->wait_ended(patience()));
  socket = bot.next_socket();
  CHECK(socket->target() == "/connect?ticket=t3");

  // A close frame from the gateway; then the refused ticket t4; then t5 works.
  socket->close();
  socket = bot.next_socket();
  CHECK(socket->target() == "/connect?ticket=t5");
  CHECK(bot.gateway.upgrade_targets() == std::vector<std::string>{"/connect?ticket=t1", "/connect?ticket=t2",
                                                                  "/connect?ticket=t3", "/connect?ticket=t4",
                                                                  "/connect?ticket=t5"});
  socket->send(robot_frame("f4", "msg-3", "pat", "/open 2 API slow"));
  require_ack(*socket, "f4");
  CHECK(bot.replies_with("#2 opened") == 1);

  const auto status = bot.supervisor->statuses().at("ding");
  CHECK(status.state == StreamState::live);
  CHECK(status.reconnects == 4);
}

TEST_CASE("dingtalk stream: refused credentials are reported as refused, not hammered", "[stream][dingtalk]") {
  StreamBot bot(dingtalk_stream());
  bot.api.enqueue(ScriptedResponse{401,
                                   {{"Content-Type", "application/json"}},
                                   R"({"code":"InvalidAuthentication","message":"clientSecret is wrong"})"});
  bot.start();
  REQUIRE(bot.api.wait_for_requests(1, patience()));
  // The state tells the operator what DingTalk said, never the secret.
  const StreamStatus status = bot.wait_for_state("ding", StreamState::backing_off);
  CHECK(status.state == StreamState::backing_off);
  CHECK(status.detail.find("HTTP 401: InvalidAuthentication clientSecret is wrong") != std::string::npos);
  CHECK(status.detail.find("ding-secret") == std::string::npos);
}

TEST_CASE("dingtalk stream: a malformed frame or message is answered or skipped, and the socket lives on",
          "[stream][dingtalk]") {
  StreamBot bot(dingtalk_stream());
  bot.api.enqueue(endpoint(bot.gateway, "t1"));
  bot.start();
  auto socket = bot.next_socket();
  socket->send("not json");
  socket->send(R"({"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get"}})");  // no messageId
  // A robot message DingTalk would push again forever if refused: acknowledged, nothing recorded.
  socket->send(json{{"type", "CALLBACK"},
                    {"headers", {{"messageId", "bad"}, {"topic", "/v1.0/im/bot/messages/get"}}},
                    {"data", R"({"msgtype":"text"})"}}
                   .dump());
  require_ack(*socket, "bad");
  // An event the bot did not subscribe to: acknowledged so it is not pushed again.
  socket->send(
      json{{"type", "EVENT"}, {"headers", {{"messageId", "e1"}, {"topic", "chat_update"}}}, {"data", "{}"}}.dump());
  require_ack(*socket, "e1");
  socket->send(robot_frame("f1", "msg-1", "pat", "/open 1 DB down"));
  require_ack(*socket, "f1");
  CHECK(bot.replies_with("#1 opened") == 1);
  CHECK(bot.supervisor->statuses().at("ding").reconnects == 0);
}

TEST_CASE("dingtalk stream: a message that could not be recorded is left unacknowledged, and its re-push answered",
          "[stream][dingtalk]") {
  // The store fails the first time (an outage): the dispatcher answers `failed`.
  StreamBot bot(dingtalk_stream());
  FailingOnce failing;
  bot.api.enqueue(endpoint(bot.gateway, "t1"));
  bot.start_failing_once(failing);
  auto socket = bot.next_socket();
  socket->send(robot_frame("f1", "msg-1", "pat", "/open 1 DB down"));
  // No ack for f1: the next frame is the answer to the ping sent after it.
  socket->send(system_frame("ping", "p1", "{}"));
  CHECK(StreamBot::next_frame(*socket)["headers"]["messageId"] == "p1");
  CHECK_FALSE(bot.store->find_ticket(1, "acme"));
  // DingTalk pushes it again: recorded now, acknowledged, answered once.
  socket->send(robot_frame("f1", "msg-1", "pat", "/open 1 DB down"));
  require_ack(*socket, "f1");
  CHECK(bot.replies_with("#1 opened") == 1);
}
