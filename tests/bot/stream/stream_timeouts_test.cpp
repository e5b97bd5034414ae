// connections[].stream applied: over the WebSocket options and the reconnect settings, and
// refused where the platform's stream has no use for it.
#include "bot/stream/stream_timeouts.hpp"

#include <catch2/catch.hpp>

using namespace slabot;
using namespace std::chrono_literals;

namespace {

Connection stream_connection(const std::string& adapter) {
  Connection connection{"c", adapter, {}, ""};
  connection.mode = ConnectionMode::stream;
  return connection;
}

// The key misplaced_stream_key names for `connection`, and whether its message has `words`.
void check_misplaced(const Connection& connection, const std::string& key, const std::string& words) {
  const auto problem = misplaced_stream_key(connection);
  REQUIRE(problem);
  CHECK(problem->key == key);
  CHECK(problem->message.find(words) != std::string::npos);
}

}  // namespace

TEST_CASE("stream timeouts: the ones a connection sets replace the defaults, the others stay", "[stream]") {
  Connection slack = stream_connection("slack");
  WebSocketOptions defaults;
  defaults.ca_file = "ca.pem";
  const WebSocketOptions same = websocket_options_for(slack, defaults);
  CHECK(same.connect_timeout == defaults.connect_timeout);
  CHECK(same.idle_timeout == defaults.idle_timeout);
  CHECK(same.write_timeout == defaults.write_timeout);

  slack.stream.idle_timeout = 2min;
  slack.stream.write_timeout = 3s;
  const WebSocketOptions own = websocket_options_for(slack, defaults);
  CHECK(own.idle_timeout == 120000ms);
  CHECK(own.write_timeout == 3000ms);
  CHECK(own.connect_timeout == defaults.connect_timeout);
  CHECK(own.ca_file == "ca.pem");

  const ReconnectSettings reconnect{1000ms, 60000ms, 300000ms};
  CHECK(reconnect_settings_for(slack, reconnect).max_wait == 60000ms);
  slack.stream.max_retry = 10min;
  const ReconnectSettings longer = reconnect_settings_for(slack, reconnect);
  CHECK(longer.max_wait == 600000ms);
  CHECK(longer.first_wait == 1000ms);
  CHECK(longer.refused_wait == 300000ms);
}

TEST_CASE("stream timeouts: a socket has no poll_timeout, Telegram's polling no idle or write timeout", "[stream]") {
  Connection mattermost = stream_connection("mattermost");
  mattermost.stream.idle_timeout = 90s;
  mattermost.stream.connect_timeout = 5s;
  CHECK_FALSE(misplaced_stream_key(mattermost));
  mattermost.stream.poll_timeout = 30s;
  check_misplaced(mattermost, "poll_timeout",
                  "only telegram polls; the mattermost adapter's stream is a WebSocket (use idle_timeout)");

  Connection telegram = stream_connection("telegram");
  telegram.stream.poll_timeout = 50s;
  telegram.stream.connect_timeout = 5s;
  telegram.stream.max_retry = 5min;
  CHECK_FALSE(misplaced_stream_key(telegram));
  telegram.stream.write_timeout = 5s;
  check_misplaced(telegram, "write_timeout", "polls getUpdates over HTTPS");
}
