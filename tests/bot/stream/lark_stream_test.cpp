// Lark's long connection end to end: the bot's session against a fake Lark on loopback over TLS,
// written from Lark's SDK (larksuite/oapi-sdk-go ws/client.go; docs/stream-protocols.md section 5):
// the endpoint call with the app's credentials, binary protobuf frames, pings answered by pongs
// that carry the ClientConfig, events pushed as data frames (one split in two) and acknowledged
// by the same frame with code 200, a dropped TCP connection, credentials refused once by code, an
// unacknowledged message pushed again. The real dispatcher and store answer.
#include <catch2/catch.hpp>

#include "adapters/crypto.hpp"
#include "adapters/lark/lark_ws_frames.hpp"
#include "tests/bot/stream/stream_fixture.hpp"

using namespace slabot;
using namespace slabot::testing;
using nlohmann::json;

namespace {

Connection lark_stream() {
  Connection connection{"lk", "lark", {{"app_id", "cli_slabot"}, {"app_secret", "lark-s3cret"}}, ""};
  connection.mode = ConnectionMode::stream;
  return connection;
}

// What the endpoint call answers: the gateway's URL (service 7) and a ClientConfig.
ScriptedResponse endpoint(const FakeWebSocketGateway& gateway, const std::string& ticket) {
  const json body = {
      {"code", 0},
      {"msg", "ok"},
      {"data",
       {{"URL", gateway.url("/ws/v2?device_id=dev-" + ticket + "&service_id=7&ticket=" + ticket)},
        {"ClientConfig",
         {{"ReconnectCount", -1}, {"ReconnectInterval", 120}, {"ReconnectNonce", 30}, {"PingInterval", 120}}}}}};
  return ScriptedResponse{200, {{"Content-Type", "application/json"}}, body.dump()};
}

ScriptedResponse refusal(int code, const std::string& msg) {
  return ScriptedResponse{200, {{"Content-Type", "application/json"}}, json{{"code", code}, {"msg", msg}}.dump()};
}

// An im.message.receive_v1 event as Lark pushes it: the webhook's body, in v2 schema.
std::string message_event(const std::string& event_id, const std::string& sender, const std::string& text) {
  return json{{"schema", "2.0"},
              {"header",
               {{"event_id", event_id},
                {"event_type", "im.message.receive_v1"},
                {"create_time", "1795329900000"},
                {"token", "not-checked-on-the-socket"},
                {"app_id", "cli_slabot"}}},
              {"event",
               {{"sender", {{"sender_id", {{"open_id", sender}}}, {"sender_type", "user"}}},
                {"message",
                 {{"message_id", "om_" + event_id},
                  {"chat_id", "chat-acme"},
                  {"chat_type", "group"},
                  {"message_type", "text"},
                  {"content", json{{"text", "@_user_1 " + text}}.dump()},
                  {"mentions", {{{"key", "@_user_1"}, {"name", "slabot"}, {"id", {{"open_id", "ou_bot"}}}}}}}}}}}
      .dump();
}

// A card.action.trigger callback as the long connection pushes it: the webhook's body, in clear.
std::string card_tap(const std::string& event_id, const std::string& tapper, const std::string& value) {
  return json{{"schema", "2.0"},
              {"header",
               {{"event_id", event_id},
                {"token", "not-checked-on-the-socket"},
                {"create_time", "1795329900000"},
                {"event_type", "card.action.trigger"},
                {"tenant_key", "tenant"},
                {"app_id", "cli_slabot"}}},
              {"event",
               {{"operator", {{"tenant_key", "tenant"}, {"open_id", tapper}}},
                {"token", "c-card-token"},
                {"action", {{"value", {{"slabot", value}, {"text", "#1 Critical \"DB down\""}}}, {"tag", "button"}}},
                {"host", "im_message"},
                {"context", {{"open_message_id", "om_card1"}, {"open_chat_id", "chat-acme"}}}}}}
      .dump();
}

// A data frame carrying `payload` (part `seq` of `sum`).
LarkFrame data(std::uint64_t seq_id, const std::string& message_id, const std::string& payload, int sum = 1,
               int seq = 0) {
  LarkFrame frame;
  frame.seq_id = seq_id;
  frame.log_id = 1000 + seq_id;
  frame.service = 7;
  frame.method = lark_data_frame;
  frame.headers = {{"type", "event"},
                   {"message_id", message_id},
                   {"sum", std::to_string(sum)},
                   {"seq", std::to_string(seq)},
                   {"trace_id", "trace-" + message_id},
                   {"timestamp", "1795329900000"}};
  frame.payload = payload;
  return frame;
}

LarkFrame pong(const std::string& client_config) {
  LarkFrame frame;
  frame.service = 7;
  frame.method = lark_control_frame;
  frame.headers = {{"type", "pong"}};
  frame.payload = client_config;
  return frame;
}

void push(GatewaySocket& socket, const LarkFrame& frame) { socket.send_binary(lark_frame_bytes(frame)); }

// The next frame the bot sent, decoded; it must be binary protobuf.
LarkFrame next_frame(GatewaySocket& socket) {
  const auto bytes = socket.receive(patience());
  if (!bytes) throw std::runtime_error("the bot sent no frame");
  std::string error;
  auto frame = read_lark_frame(*bytes, error);
  if (!frame) throw std::runtime_error("the bot sent something else than a Lark frame: " + error);
  return *frame;
}

void require_ping(const LarkFrame& frame) {
  CHECK(frame.method == lark_control_frame);
  CHECK(frame.service == 7);
  CHECK(frame.header("type") == "ping");
}

// The next data frame the bot sent (pings skipped): the ack Lark demands for `pushed`.
void require_ack(GatewaySocket& socket, const LarkFrame& pushed) {
  LarkFrame ack = next_frame(socket);
  while (ack.method == lark_control_frame) {
    require_ping(ack);
    ack = next_frame(socket);
  }
  CHECK(ack.seq_id == pushed.seq_id);
  CHECK(ack.log_id == pushed.log_id);
  CHECK(ack.service == pushed.service);
  CHECK(ack.method == lark_data_frame);
  CHECK(ack.header("message_id") == pushed.header("message_id"));
  CHECK(ack.header("seq") == pushed.header("seq"));
  CHECK_FALSE(ack.header("biz_rt").empty());
  CHECK(json::parse(ack.payload)["code"] == 200);
}

}  // namespace

TEST_CASE("lark stream: opens with the app's credentials, answers messages once, and reconnects every time",
          "[stream][lark]") {
  StreamBot bot(lark_stream());
  bot.refused_wait = std::chrono::milliseconds(5);  // the refusal below is waited out at once
  bot.api.enqueue(endpoint(bot.gateway, "t1"));
  bot.api.enqueue(refusal(514, "auth failed"));  // once: the next call works
  bot.api.enqueue(endpoint(bot.gateway, "t2"));
  bot.start();

  auto socket = bot.next_socket();
  CHECK(socket->target() == "/ws/v2?device_id=dev-t1&service_id=7&ticket=t1");
  const auto opened = bot.api.requests().at(0);
  CHECK(opened.method == "POST");
  CHECK(opened.target == "/callback/ws/endpoint");
  CHECK(json::parse(opened.body) == json{{"AppID", "cli_slabot"}, {"AppSecret", "lark-s3cret"}});

  // The bot pings at once; the pong's ClientConfig shortens the interval from 120 s to 1 s, so a
  // second ping comes (with 120 s it would not come before the test gave up).
  require_ping(next_frame(*socket));
  push(*socket, pong(R"({"ReconnectCount":-1,"ReconnectInterval":120,"ReconnectNonce":30,"PingInterval":1})"));
  require_ping(next_frame(*socket));

  // A message: recorded, its answer queued, the frame acknowledged.
  const LarkFrame first = data(1, "m-1", message_event("ev-1", "pat", "/open 1 DB down"));
  push(*socket, first);
  require_ack(*socket, first);
  CHECK(bot.replies_with("#1 opened") == 1);
  REQUIRE(bot.store->find_ticket(1, "acme"));

  // The same event pushed again (a new frame, the same event_id): acknowledged, answered once.
  const LarkFrame again = data(2, "m-2", message_event("ev-1", "pat", "/open 1 DB down"));
  push(*socket, again);
  require_ack(*socket, again);
  CHECK(bot.replies_with("#1 opened") == 1);
  CHECK_FALSE(bot.store->find_ticket(2, "acme"));

  // A payload split in two, the second part first: only the part that completes it is answered.
  const std::string split = message_event("ev-2", "u-erin", "/ack #1");
  const LarkFrame tail = data(3, "m-3", split.substr(split.size() / 2), 2, 1);
  const LarkFrame head = data(4, "m-3", split.substr(0, split.size() / 2), 2, 0);
  push(*socket, tail);
  push(*socket, head);
  require_ack(*socket, head);
  CHECK(bot.replies_with("acknowledged by Erin") == 1);
  CHECK(bot.store->find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK(socket->text_messages_received() == 0);  // every frame binary, as the SDK's

  // The TCP connection drops; the next endpoint call is refused once (Lark code 514), then the
  // bot connects again with a fresh URL.
  socket->drop();
  socket = bot.next_socket();
  CHECK(socket->target() == "/ws/v2?device_id=dev-t2&service_id=7&ticket=t2");
  CHECK(bot.api.requests().size() == 3);
  require_ping(next_frame(*socket));
  const LarkFrame later = data(5, "m-5", message_event("ev-3", "pat", "/open 2 API slow"));
  push(*socket, later);
  require_ack(*socket, later);
  CHECK(bot.replies_with("#2 opened") == 1);

  const auto status = bot.supervisor->statuses().at("lk");
  CHECK(status.state == StreamState::live);
  CHECK(status.reconnects == 2);
}

TEST_CASE("lark stream: credentials Lark refuses are reported as refused; its own trouble is retried",
          "[stream][lark]") {
  StreamBot bot(lark_stream());
  bot.api.enqueue(refusal(1, "system busy"));           // Lark's trouble: tried again soon
  bot.api.enqueue(refusal(514, "app secret invalid"));  // the credentials: refused, waited long
  bot.start();
  REQUIRE(bot.api.wait_for_requests(2, patience()));
  const StreamStatus status = bot.wait_for_state("lk", StreamState::backing_off);
  CHECK(status.detail.find("Lark code 514 app secret invalid") != std::string::npos);
  CHECK(status.detail.find("lark-s3cret") == std::string::npos);
  CHECK(bot.gateway.upgrade_targets().empty());
}

TEST_CASE("lark stream: a refused upgrade says why in Lark's words; an app over its connection limit waits long",
          "[stream][lark]") {
  StreamBot bot(lark_stream());
  const auto first = [](const std::string& target) { return target.find("ticket=t1") != std::string::npos; };
  bot.gateway.on_upgrade([first](const std::string& target) { return first(target) ? 500 : 403; });
  bot.gateway.refusal_headers([first](const std::string& target) {
    // First Lark's own trouble: dropped, tried again at once. Then the app over its connection
    // limit: refused, and waited out for refused_wait (an hour here).
    if (first(target))
      return std::map<std::string, std::string>{{"Handshake-Status", "500"}, {"Handshake-Msg", "busy"}};
    return std::map<std::string, std::string>{
        {"Handshake-Status", "514"}, {"Handshake-Msg", "exceed\tconn limit"}, {"Handshake-Autherrcode", "1000040350"}};
  });
  bot.api.enqueue(endpoint(bot.gateway, "t1"));
  bot.api.enqueue(endpoint(bot.gateway, "t2"));
  bot.start();
  const std::string expected =
      "Lark refused the connection (HTTP 403, Handshake-Status 514, Handshake-Autherrcode 1000040350): exceed conn "
      "limit; the app has as many connections as Lark allows: another client uses this app_id";
  const auto give_up = std::chrono::steady_clock::now() + patience();
  StreamStatus status = bot.supervisor->statuses().at("lk");
  while (status.detail.find(expected) == std::string::npos && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    status = bot.supervisor->statuses().at("lk");
  }
  INFO(status.detail);
  CHECK(status.detail.find(expected) != std::string::npos);  // the control character made a space
  CHECK(status.state == StreamState::backing_off);
  CHECK(bot.gateway.upgrade_targets().size() == 2);  // the 500 was tried again at once
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(bot.gateway.upgrade_targets().size() == 2);  // no third try: the operator's to fix
  CHECK(bot.api.requests().size() == 2);
}

TEST_CASE("lark stream: a message that could not be recorded is left unacknowledged, and its re-push answered",
          "[stream][lark]") {
  StreamBot bot(lark_stream());
  FailingOnce failing;
  bot.api.enqueue(endpoint(bot.gateway, "t1"));
  bot.start_failing_once(failing);
  auto socket = bot.next_socket();
  require_ping(next_frame(*socket));
  const LarkFrame pushed = data(1, "m-1", message_event("ev-1", "pat", "/open 1 DB down"));
  push(*socket, pushed);
  // No ack for it: the next data frame is the ack of the frame pushed after it.
  const LarkFrame unread = data(2, "m-card", "{}");
  LarkFrame card = unread;
  card.headers.at(0).second = "card";  // a callback slabot cannot read: refused, and acknowledged
  push(*socket, card);
  require_ack(*socket, card);
  CHECK_FALSE(bot.store->find_ticket(1, "acme"));
  // Lark pushes the unacknowledged message again: recorded now, acknowledged, answered once.
  push(*socket, pushed);
  require_ack(*socket, pushed);
  CHECK(bot.replies_with("#1 opened") == 1);
}

namespace {

// Pushes `tapper`'s tap on Acknowledge of #1 as a frame of type `type` ("card", as Lark pushes
// callbacks, or "event", as older gateways may); returns the bot's ack of it (pings skipped).
LarkFrame tap_and_ack(GatewaySocket& socket, std::uint64_t seq_id, const std::string& event_id,
                      const std::string& tapper, const std::string& type = "card") {
  LarkFrame tap = data(seq_id, "m-tap-" + std::to_string(seq_id), card_tap(event_id, tapper, "ack:1"));
  tap.headers.at(0).second = type;
  push(socket, tap);
  LarkFrame ack = next_frame(socket);
  while (ack.method == lark_control_frame) ack = next_frame(socket);
  CHECK(ack.seq_id == tap.seq_id);
  CHECK(ack.header("message_id") == tap.header("message_id"));
  return ack;
}

// The callback's answer an ack carries: base64 of its JSON, as the SDKs put a handler's result in "data".
json answer_in(const LarkFrame& ack) {
  const json payload = json::parse(ack.payload);
  CHECK(payload["code"] == 200);
  if (!payload["data"].is_string()) return nullptr;
  const auto decoded = base64_decode(payload["data"].get<std::string>());
  return decoded ? json::parse(*decoded) : json(nullptr);
}

}  // namespace

TEST_CASE("lark stream: a tap on a card's button comes over the socket, and its answer goes back in the ack",
          "[stream][lark]") {
  StreamBot bot(lark_stream());
  bot.api.enqueue(endpoint(bot.gateway, "t1"));
  bot.start();
  auto socket = bot.next_socket();
  require_ping(next_frame(*socket));
  const LarkFrame opened = data(1, "m-1", message_event("ev-1", "pat", "/open 1 DB down"));
  push(*socket, opened);
  require_ack(*socket, opened);
  REQUIRE(bot.store->find_ticket(1, "acme"));

  // Erin taps Acknowledge: recorded, and the ack says so in Lark's terms.
  const json result = answer_in(tap_and_ack(*socket, 2, "ev-tap", "u-erin"));
  REQUIRE(result.is_object());
  CHECK(result["toast"]["type"] == "info");
  CHECK(result["toast"]["content"].get<std::string>().find("acknowledged by Erin") != std::string::npos);
  CHECK(result["card"]["type"] == "raw");  // the card replaced: who acted, buttons gone
  CHECK(bot.store->find_ticket(1, "acme")->state == TicketState::acknowledged);

  // The same tap pushed again (its event_id; the first ack lost): answered as the first time, the
  // card updated, and nothing changes twice.
  const json again = answer_in(tap_and_ack(*socket, 3, "ev-tap", "u-erin"));
  REQUIRE(again.is_object());
  CHECK(again["toast"]["type"] == "info");
  CHECK(again["card"]["type"] == "raw");
  CHECK(bot.store->find_ticket(1, "acme")->state == TicketState::acknowledged);

  // A tap by someone who may not acknowledge, in a frame of type "event": an error toast, seen by
  // the tapper alone.
  const json refusal = answer_in(tap_and_ack(*socket, 4, "ev-tap-3", "pat", "event"));
  REQUIRE(refusal.is_object());
  CHECK(refusal["toast"]["type"] == "error");
  CHECK_FALSE(refusal.contains("card"));
}

TEST_CASE("lark stream: frames that are not Lark's, or events it cannot read, leave the socket up", "[stream][lark]") {
  StreamBot bot(lark_stream());
  bot.api.enqueue(endpoint(bot.gateway, "t1"));
  bot.start();
  auto socket = bot.next_socket();
  require_ping(next_frame(*socket));
  socket->send_binary("not protobuf");
  socket->send("a text frame");
  // An event the adapter refuses (no event_id): acknowledged, or Lark would push it forever.
  const LarkFrame refused = data(1, "m-bad", R"({"schema":"2.0","header":{"event_type":"im.message.receive_v1"}})");
  push(*socket, refused);
  require_ack(*socket, refused);
  // A part whose seq is outside its sum: dropped unanswered, as by the SDK.
  push(*socket, data(2, "m-odd", "x", 2, 5));
  const LarkFrame fine = data(3, "m-3", message_event("ev-1", "pat", "/open 1 DB down"));
  push(*socket, fine);
  require_ack(*socket, fine);
  CHECK(bot.replies_with("#1 opened") == 1);
  CHECK(bot.supervisor->statuses().at("lk").reconnects == 0);
}
