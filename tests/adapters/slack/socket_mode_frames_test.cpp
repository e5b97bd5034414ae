// Slack Socket Mode's frames, as api.slack.com/apis/socket-mode documents them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/slack/slack_adapter.hpp"
#include "adapters/slack/socket_mode_frames.hpp"

using namespace slabot;
using nlohmann::json;

TEST_CASE("socket mode: apps.connections.open carries the app-level token", "[slack][stream]") {
  const auto request = slack_connections_open("https://slack.com", "xapp-1");
  CHECK(request.url == "https://slack.com/api/apps.connections.open");
  CHECK(request.headers.at("Authorization") == "Bearer xapp-1");
}

TEST_CASE("socket mode: the open answer gives the socket URL, or Slack's error", "[slack][stream]") {
  const auto url = slack_socket_url(HttpResponse{200, {}, R"({"ok":true,"url":"wss://wss.slack.com/link/?ticket=t"})"});
  REQUIRE(std::holds_alternative<std::string>(url));
  CHECK(std::get<std::string>(url) == "wss://wss.slack.com/link/?ticket=t");
  const auto refused = slack_socket_url(HttpResponse{200, {}, R"({"ok":false,"error":"invalid_auth"})"});
  REQUIRE(std::holds_alternative<SlackOpenRefused>(refused));
  CHECK(std::get<SlackOpenRefused>(refused).credentials);
  CHECK(std::get<SlackOpenRefused>(refused).reason == "invalid_auth");
  const auto limited = slack_socket_url(HttpResponse{429, {{"retry-after", "30"}}, ""});
  REQUIRE(std::holds_alternative<SlackOpenRefused>(limited));
  CHECK_FALSE(std::get<SlackOpenRefused>(limited).credentials);
}

TEST_CASE("socket mode: envelopes are read and acknowledged by envelope_id", "[slack][stream]") {
  std::string error;
  const auto frame = read_socket_mode_frame(
      R"({"envelope_id":"e1","type":"slash_commands","accepts_response_payload":true,"payload":{"command":"/ticket","text":"ack 1 & more","channel_id":"C1","user_id":"U1","trigger_id":"tr"}})",
      error);
  REQUIRE(frame);
  CHECK(frame->envelope_id == "e1");
  CHECK(frame->accepts_response_payload);
  CHECK(json::parse(socket_mode_ack("e1")) == json{{"envelope_id", "e1"}});
  CHECK(json::parse(socket_mode_ack("e1", R"({"text":"hi"})")) ==
        json{{"envelope_id", "e1"}, {"payload", {{"text", "hi"}}}});

  Connection connection{"sl", "slack", {{"app_token", "xapp"}}, ""};
  connection.mode = ConnectionMode::stream;
  const SlackAdapter adapter(connection);  // no signing_secret in Socket Mode
  const auto parsed = adapter.parse(slash_command_request(*frame));
  REQUIRE(std::holds_alternative<ParsedMessages>(parsed));
  const auto& message = std::get<ParsedMessages>(parsed).messages.at(0);
  CHECK(message.text == "/ticket ack 1 & more");
  CHECK(message.event_id == "tr");
  CHECK(message.chat_id == "C1");
  CHECK(std::holds_alternative<Rejected>(adapter.verify(HttpRequest{}, Timestamp{})));

  const auto disconnect = read_socket_mode_frame(R"({"type":"disconnect","reason":"refresh_requested"})", error);
  REQUIRE(disconnect);
  CHECK(disconnect->reason == "refresh_requested");
  CHECK_FALSE(read_socket_mode_frame(R"({"envelope_id":"x"})", error));
}
