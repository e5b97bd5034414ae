// Stream connections as serve wires them: no /hooks route, the sessions made (or the problem
// serve refuses to start with), and a reload that changes one saying it waits for a restart.
#include <catch2/catch.hpp>

#include "bot/config_reload.hpp"
#include "bot/runtime.hpp"
#include "bot/stream/stream_sessions.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/wiring/recording_http_client.hpp"
#include "tests/support/ladder_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

Connection stream_connection(const std::string& name, const std::string& adapter,
                             std::map<std::string, std::string> secrets) {
  Connection connection{name, adapter, std::move(secrets), ""};
  connection.mode = ConnectionMode::stream;
  return connection;
}

struct Fixture {
  Fixture() {
    config.connections.push_back(
        stream_connection("ding", "dingtalk", {{"client_id", "app"}, {"client_secret", "s3cret-value"}}));
  }
  testing::TempDir dir;
  Config config = testing::ladder_config(dir.file("wiring.db"), "http://platform.invalid/out");
  SqliteStore store{{config.database_path}};
  ManualClock clock{from_unix_ms(1795329900000)};
  testing::RecordingHttpClient http;
};

}  // namespace

TEST_CASE("stream wiring: a stream connection has no webhook route; the others keep theirs", "[stream]") {
  Fixture f;
  const auto routes = webhook_routes(f.config);
  CHECK(routes.contains("hooks"));
  CHECK_FALSE(routes.contains("ding"));
}

TEST_CASE("stream wiring: a session per stream connection, or the problem serve refuses to start with", "[stream]") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  auto made = make_stream_sessions(f.config, StreamDependencies{f.http, runtime, WebSocketOptions{}});
  CHECK_FALSE(made.problem);
  REQUIRE(made.sessions.size() == 1);
  CHECK(made.sessions.at(0)->connection_name() == "ding");

  // Telegram polls: it needs the store (its offset) and the clock besides the socket sessions' parts.
  Config later = f.config;
  later.connections.push_back(stream_connection("tg", "telegram", {{"bot_token", "123:abc"}}));
  made = make_stream_sessions(later, StreamDependencies{f.http, runtime, WebSocketOptions{}});
  REQUIRE(made.problem);
  CHECK(*made.problem == "connection 'tg': telegram polling needs the store for its offset");
  CHECK(made.sessions.empty());
  StreamDependencies with_store{f.http, runtime, WebSocketOptions{}};
  with_store.store = &f.store;
  with_store.clock = &f.clock;
  with_store.config = &runtime.config();
  made = make_stream_sessions(later, with_store);
  CHECK_FALSE(made.problem);
  REQUIRE(made.sessions.size() == 2);
  CHECK(made.sessions.at(1)->connection_name() == "tg");

  // Mattermost's WebSocket opens on its server's address: without stream_url there is nowhere to go.
  Config mattermost = f.config;
  mattermost.connections.push_back(stream_connection("mm", "mattermost", {{"bot_token", "mm-s3cret"}}));
  made = make_stream_sessions(mattermost, with_store);
  REQUIRE(made.problem);
  CHECK(made.problem->find("connection 'mm': mattermost stream mode needs \"stream_url\"") == 0);
  CHECK(made.problem->find("mm-s3cret") == std::string::npos);
  mattermost.connections.back().stream_url = "https://chat.example.com";
  made = make_stream_sessions(mattermost, with_store);
  CHECK_FALSE(made.problem);
  REQUIRE(made.sessions.size() == 2);
  CHECK(made.sessions.at(1)->connection_name() == "mm");
  // It fetches back the posts missed while disconnected, from the config's channels and the time the store keeps.
  StreamDependencies without_config = with_store;
  without_config.config = nullptr;
  made = make_stream_sessions(mattermost, without_config);
  REQUIRE(made.problem);
  CHECK(*made.problem ==
        "connection 'mm': mattermost's WebSocket needs the store, the clock and the config, to fetch back posts "
        "missed while disconnected");

  // Lark's long connection needs only the app's credentials (no verification token).
  Config lark = f.config;
  lark.connections.push_back(stream_connection("lk", "lark", {{"app_id", "cli_a"}, {"app_secret", "lk-s3cret"}}));
  made = make_stream_sessions(lark, with_store);
  CHECK_FALSE(made.problem);
  REQUIRE(made.sessions.size() == 2);
  CHECK(made.sessions.at(1)->connection_name() == "lk");
  lark.connections.back().secrets.erase("app_secret");
  made = make_stream_sessions(lark, with_store);
  REQUIRE(made.problem);
  CHECK(*made.problem == "connection 'lk': lark connection 'lk' needs a non-empty secret \"app_secret\"");

  // A platform without a stream session here is named, with those that have one.
  Config teams = f.config;
  teams.connections.push_back(stream_connection("tm", "teams", {{"security_token", "c2VjcmV0"}}));
  made = make_stream_sessions(teams, with_store);
  REQUIRE(made.problem);
  CHECK(*made.problem ==
        "connection 'tm': the teams adapter's stream mode is not implemented yet (stream mode runs for: "
        "dingtalk, lark, mattermost, slack, telegram); use \"mode\": \"webhook\"");
  CHECK(made.sessions.empty());

  Config missing = f.config;
  missing.connections.back().secrets.erase("client_secret");
  made = make_stream_sessions(missing, StreamDependencies{f.http, runtime, WebSocketOptions{}});
  REQUIRE(made.problem);
  CHECK(made.problem->find("client_secret") != std::string::npos);
  CHECK(made.problem->find("s3cret-value") == std::string::npos);
}

TEST_CASE("stream wiring: a reload that changes a stream connection says it waits for a restart", "[stream]") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  Config next = f.config;
  const auto load = [&next](const std::string&) {
    ConfigResult result;
    result.config = next;
    return result;
  };
  ConfigReloader reloader("slabot.json", load, runtime, nullptr);

  // Unchanged: nothing waits.
  auto same = reloader.reload();
  REQUIRE(same.applied);
  CHECK(same.changes.need_restart.empty());

  next.connections.back().secrets["client_secret"] = "rotated";
  auto rotated = reloader.reload();
  REQUIRE(rotated.applied);
  CHECK(rotated.changes.need_restart == std::vector<std::string>{"connections (stream mode)"});
}
