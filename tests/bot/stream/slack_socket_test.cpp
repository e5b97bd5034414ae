// Slack Socket Mode end to end: the bot's session against a fake Slack on loopback over TLS,
// written from Slack's documented frames (adapters/slack/socket_mode_frames.hpp cites them):
// apps.connections.open with the app-level token, hello, slash command envelopes acknowledged
// by envelope_id with the answer in the payload, events acknowledged, disconnect, a dropped TCP
// connection, an envelope delivered again. The real dispatcher and store answer.
#include <catch2/catch.hpp>

#include "tests/bot/stream/stream_fixture.hpp"
#include "tests/support/slack_payloads.hpp"

using namespace slabot;
using namespace slabot::testing;
using nlohmann::json;

namespace {

Connection slack_socket() {
  Connection connection{"sl", "slack", {{"app_token", "xapp-1-test"}, {"bot_token", "xoxb-test"}}, ""};
  connection.mode = ConnectionMode::stream;
  return connection;
}

ScriptedResponse socket_url(const FakeWebSocketGateway& gateway, const std::string& ticket) {
  return ScriptedResponse{200,
                          {{"Content-Type", "application/json"}},
                          json{{"ok", true}, {"url", gateway.url("/link/?ticket=" + ticket + "&app_id=A1")}}.dump()};
}

std::string hello() {
  return json{{"type", "hello"}, {"num_connections", 1}, {"connection_info", {{"app_id", "A1"}}}}.dump();
}

std::string slash_envelope(const std::string& envelope_id, const std::string& trigger_id, const std::string& user,
                           const std::string& text) {
  return json{{"envelope_id", envelope_id},
              {"type", "slash_commands"},
              {"accepts_response_payload", true},
              {"payload",
               {{"token", "legacy"},
                {"team_id", "T1"},
                {"channel_id", "chat-acme"},
                {"user_id", user},
                {"user_name", user},
                {"command", "/ticket"},
                {"text", text},
                {"response_url", "https://hooks.slack.com/commands/T1/1/x"},
                {"trigger_id", trigger_id}}}}
      .dump();
}

}  // namespace

TEST_CASE("slack socket mode: opens with the app token, answers commands in the ack, and reconnects",
          "[stream][slack]") {
  StreamBot bot(slack_socket());
  for (const char* ticket : {"a", "b", "c"}) bot.api.enqueue(socket_url(bot.gateway, ticket));
  bot.start();

  auto socket = bot.next_socket();
  CHECK(socket->target() == "/link/?ticket=a&app_id=A1");
  const auto opened = bot.api.requests().at(0);
  CHECK(opened.method == "POST");
  CHECK(opened.target == "/api/apps.connections.open");
  CHECK(opened.header("authorization") == "Bearer xapp-1-test");
  // Not live until Slack says hello.
  CHECK(bot.supervisor->statuses().at("sl").state != StreamState::live);
  socket->send(hello());

  socket->send(slash_envelope("env-1", "trig-1", "pat", "open 1 DB down"));
  json ack = StreamBot::next_frame(*socket);
  CHECK(ack["envelope_id"] == "env-1");
  CHECK(ack["payload"]["response_type"] == "in_channel");
  CHECK(ack["payload"]["text"].get<std::string>().starts_with("#1 opened"));
  CHECK(bot.supervisor->statuses().at("sl").state == StreamState::live);

  // Events are acknowledged, not acted on (as over HTTP).
  socket->send(
      json{{"envelope_id", "env-2"}, {"type", "events_api"}, {"payload", {{"type", "event_callback"}}}}.dump());
  CHECK(StreamBot::next_frame(*socket) == json{{"envelope_id", "env-2"}});

  // An envelope whose ack was lost to a dropped connection comes again: answered, not done twice.
  socket->send(slash_envelope("env-3", "trig-3", "u-erin", "ack #1"));
  ack = StreamBot::next_frame(*socket);
  CHECK(ack["payload"]["text"].get<std::string>().find("acknowledged by Erin") != std::string::npos);
  socket->drop();
  socket = bot.next_socket();
  CHECK(socket->target() == "/link/?ticket=b&app_id=A1");
  socket->send(hello());
  socket->send(slash_envelope("env-3", "trig-3", "u-erin", "ack #1"));
  ack = StreamBot::next_frame(*socket);
  CHECK(ack["envelope_id"] == "env-3");
  CHECK(bot.store->find_ticket(1, "acme")->state == TicketState::acknowledged);
  CHECK_FALSE(bot.store->find_ticket(2, "acme"));

  // Slack's refresh: the bot opens a fresh socket before it closes the old one.
  CHECK(socket->others_open_at_upgrade() == 0);  // after a drop, nothing was left open
  const auto old_socket = socket;
  old_socket->send(json{{"type", "disconnect"}, {"reason", "refresh_requested"}}.dump());
  socket = bot.next_socket();
  CHECK(socket->target() == "/link/?ticket=c&app_id=A1");
  CHECK(socket->others_open_at_upgrade() == 1);
  CHECK(old_socket->wait_ended(patience()));
  socket->send(hello());
  socket->send(slash_envelope("env-4", "trig-4", "pat", "open 2 API slow"));
  ack = StreamBot::next_frame(*socket);
  CHECK(ack["payload"]["text"].get<std::string>().starts_with("#2 opened"));
  // The move is no reconnect: the connection never went down.
  CHECK(bot.supervisor->statuses().at("sl").reconnects == 1);
  CHECK(bot.api.requests().size() == 3);
}

TEST_CASE("slack socket mode: an app token Slack refuses is reported as refused", "[stream][slack]") {
  StreamBot bot(slack_socket());
  bot.api.enqueue(
      ScriptedResponse{200, {{"Content-Type", "application/json"}}, R"({"ok":false,"error":"invalid_auth"})"});
  bot.start();
  REQUIRE(bot.api.wait_for_requests(1, patience()));
  const StreamStatus status = bot.wait_for_state("sl", StreamState::backing_off);
  CHECK(status.state == StreamState::backing_off);
  CHECK(status.detail.find("apps.connections.open: invalid_auth") != std::string::npos);
}

TEST_CASE("slack socket mode: a rate-limited open waits as long as Slack's Retry-After says", "[stream][slack]") {
  StreamBot bot(slack_socket());
  bot.api.enqueue(ScriptedResponse{429, {{"Retry-After", "30"}}, R"({"ok":false,"error":"ratelimited"})"});
  bot.start();
  const StreamStatus status = bot.wait_for_state("sl", StreamState::backing_off);
  CHECK(status.detail == "apps.connections.open: HTTP 429; next attempt in 30 s");
}

TEST_CASE("slack socket mode: a command that could not be recorded is not acknowledged; Slack's resend is answered",
          "[stream][slack]") {
  StreamBot bot(slack_socket());
  FailingOnce failing;
  bot.api.enqueue(socket_url(bot.gateway, "a"));
  bot.start_failing_once(failing);
  auto socket = bot.next_socket();
  socket->send(hello());
  socket->send(slash_envelope("env-1", "trig-1", "pat", "open 1 DB down"));
  // No ack for it: the next frame is the ack of the envelope sent after it.
  socket->send(
      json{{"envelope_id", "env-2"}, {"type", "events_api"}, {"payload", {{"type", "event_callback"}}}}.dump());
  CHECK(StreamBot::next_frame(*socket) == json{{"envelope_id", "env-2"}});
  CHECK_FALSE(bot.store->find_ticket(1, "acme"));
  socket->send(slash_envelope("env-1", "trig-1", "pat", "open 1 DB down"));
  const json ack = StreamBot::next_frame(*socket);
  CHECK(ack["envelope_id"] == "env-1");
  CHECK(ack["payload"]["text"].get<std::string>().starts_with("#1 opened"));
}

TEST_CASE("slack socket mode: an envelope whose ack cannot carry the answer is answered through response_url",
          "[stream][slack]") {
  StreamBot bot(slack_socket());
  bot.api.enqueue(socket_url(bot.gateway, "a"));
  bot.start();
  auto socket = bot.next_socket();
  socket->send(hello());
  json envelope = json::parse(slash_envelope("env-1", "trig-1", "pat", "open 1 DB down"));
  envelope["accepts_response_payload"] = false;
  socket->send(envelope.dump());
  // Acknowledged bare, and the answer queued with the ticket, for the command's response_url.
  CHECK(StreamBot::next_frame(*socket) == json{{"envelope_id", "env-1"}});
  REQUIRE(bot.store->find_ticket(1, "acme"));
  const auto queued = bot.store->list_outbox(OutboxQuery::pending, 10);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].item.message.url == "https://hooks.slack.com/commands/T1/1/x");
  CHECK(queued[0].item.message.text.starts_with("#1 opened"));
}

TEST_CASE("slack socket mode: a button tap goes through the interactive hook to the dispatcher, once",
          "[stream][slack]") {
  StreamBot bot(slack_socket());
  bot.interactive = [](const std::string& connection, const std::string& payload) -> std::optional<InboundMessage> {
    const json tap = json::parse(payload);
    if (tap.value("type", "") != "block_actions") return std::nullopt;
    InboundMessage message;
    message.connection = connection;
    message.event_id = tap["trigger_id"];
    message.chat_id = tap["channel"]["id"];
    message.user_id = tap["user"]["id"];
    message.user_name = message.user_id;
    message.text = "/open 3 " + tap["actions"][0]["value"].get<std::string>();
    return message;
  };
  bot.api.enqueue(socket_url(bot.gateway, "a"));
  bot.start();
  auto socket = bot.next_socket();
  socket->send(hello());
  const json tap = {{"type", "block_actions"},
                    {"trigger_id", "tap-1"},
                    {"channel", {{"id", "chat-acme"}}},
                    {"user", {{"id", "pat"}}},
                    {"actions", json::array({{{"value", "from a button"}}})}};
  for (int delivery = 0; delivery < 2; ++delivery) {
    socket->send(json{{"envelope_id", "env-tap"}, {"type", "interactive"}, {"payload", tap}}.dump());
    CHECK(StreamBot::next_frame(*socket)["envelope_id"] == "env-tap");
  }
  REQUIRE(bot.store->find_ticket(1, "acme"));
  CHECK(bot.store->find_ticket(1, "acme")->title == "from a button");
  CHECK_FALSE(bot.store->find_ticket(2, "acme"));
  // Anything the hook does not take is acknowledged and changes nothing.
  socket->send(
      json{{"envelope_id", "env-other"}, {"type", "interactive"}, {"payload", {{"type", "view_submission"}}}}.dump());
  CHECK(StreamBot::next_frame(*socket) == json{{"envelope_id", "env-other"}});
}

TEST_CASE("slack socket mode: an engineer's tap on Acknowledge, as Slack sends it, acknowledges the ticket once",
          "[stream][slack][buttons]") {
  StreamBot bot(slack_socket());  // no hook of the test's own: the one serve uses
  bot.api.enqueue(socket_url(bot.gateway, "a"));
  bot.start();
  auto socket = bot.next_socket();
  socket->send(hello());
  socket->send(slash_envelope("env-open", "trig-open", "pat", "open 2 Payments fail"));
  const json opened = StreamBot::next_frame(*socket);
  CHECK(opened["envelope_id"] == "env-open");
  // The answer in the ack carries Acknowledge for staff, as the webhook's answer does.
  CHECK(opened["payload"].dump().find(R"("value":"ack:1")") != std::string::npos);
  REQUIRE(bot.store->find_ticket(1, "acme"));

  const json tap = block_actions({"u-erin", "erin", "chat-acme", "ack:1", "https://hooks.slack.com/actions/T1/1/x",
                                  "tap-trigger-1", "1700000000.000100", "#1 opened"});
  for (int delivery = 0; delivery < 2; ++delivery) {
    socket->send(json{{"envelope_id", "env-tap"}, {"type", "interactive"}, {"payload", tap}}.dump());
    CHECK(StreamBot::next_frame(*socket)["envelope_id"] == "env-tap");
  }
  const auto ticket = bot.store->find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->state == TicketState::acknowledged);
}
