// connections[].mode and stream_url: which secrets a stream connection needs (the registry's
// stream_secrets), which adapters have a stream mode, and the answers to a wrong mode.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "config/loader.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

// The registry's names and secret lists; the adapters' own checks are theirs to test.
AdapterRules registry_rules() { return AdapterRules{known_adapters(), required_secrets, {}, stream_secrets}; }

json with_connection(const json& connection) {
  json config = json::parse(R"({
    "listen": "127.0.0.1:8080",
    "database": "slabot.db",
    "tenants": [{"id": "acme", "name": "Acme", "package": "premium"}],
    "staff": [{"id": "wei", "name": "Wei Zhang", "role": "engineer"}],
    "channels": []
  })");
  config["connections"] = json::array({connection});
  config["channels"] =
      json::array({{{"connection", connection.value("name", "c")}, {"chat_id", "g1"}, {"tenant", "acme"}}});
  return config;
}

ConfigResult parse(const json& config) {
  return parse_config(config.dump(), registry_rules(), [](const std::string&) { return std::nullopt; });
}

std::string problems_of(const ConfigResult& result) { return format_problems(result.problems); }

}  // namespace

TEST_CASE("config: a connection is a webhook unless it says stream", "[config][stream]") {
  auto result = parse(with_connection({{"name", "ding"}, {"adapter", "dingtalk"}, {"secrets", {{"app_secret", "s"}}}}));
  REQUIRE(result.config);
  CHECK(result.config->connections.at(0).mode == ConnectionMode::webhook);
  CHECK(result.config->connections.at(0).stream_url.empty());
}

TEST_CASE("config: a stream connection needs the adapter's stream secrets, not its webhook ones", "[config][stream]") {
  auto result = parse(with_connection({{"name", "ding"},
                                       {"adapter", "dingtalk"},
                                       {"mode", "stream"},
                                       {"stream_url", "https://127.0.0.1:9443"},
                                       {"secrets", {{"client_id", "ding-app"}, {"client_secret", "s"}}}}));
  REQUIRE(result.config);
  CHECK(result.config->connections.at(0).mode == ConnectionMode::stream);
  CHECK(result.config->connections.at(0).stream_url == "https://127.0.0.1:9443");

  auto missing = parse(with_connection(
      {{"name", "ding"}, {"adapter", "dingtalk"}, {"mode", "stream"}, {"secrets", {{"app_secret", "s"}}}}));
  CHECK_FALSE(missing.config);
  CHECK(problems_of(missing) ==
        "/connections/0/secrets/client_id: missing secret, required by the dingtalk adapter in stream mode\n"
        "/connections/0/secrets/client_secret: missing secret, required by the dingtalk adapter in stream mode\n");
}

TEST_CASE("config: a platform without a stream mode, or a mode that is neither, is refused by name",
          "[config][stream]") {
  auto teams = parse(with_connection(
      {{"name", "t"}, {"adapter", "teams"}, {"mode", "stream"}, {"secrets", {{"security_token", "x"}}}}));
  CHECK_FALSE(teams.config);
  CHECK(problems_of(teams) ==
        "/connections/0/mode: the teams adapter has no stream mode (stream mode: dingtalk, lark, mattermost, slack, "
        "telegram); use \"webhook\"\n");

  auto odd = parse(with_connection(
      {{"name", "ding"}, {"adapter", "dingtalk"}, {"mode", "socket"}, {"secrets", {{"app_secret", "s"}}}}));
  CHECK(problems_of(odd) == "/connections/0/mode: must be \"webhook\" or \"stream\", not \"socket\"\n");
}

TEST_CASE("config: stream_url belongs to stream connections and is an http(s) URL", "[config][stream]") {
  auto webhook = parse(with_connection({{"name", "ding"},
                                        {"adapter", "dingtalk"},
                                        {"stream_url", "https://x.example"},
                                        {"secrets", {{"app_secret", "s"}}}}));
  CHECK(problems_of(webhook) ==
        "/connections/0/stream_url: only a connection with \"mode\": \"stream\" opens a stream\n");

  auto bad = parse(with_connection({{"name", "tg"},
                                    {"adapter", "telegram"},
                                    {"mode", "stream"},
                                    {"stream_url", "ftp://x"},
                                    {"secrets", {{"bot_token", "1:a"}}}}));
  CHECK_FALSE(bad.config);
  CHECK(problems_of(bad).rfind("/connections/0/stream_url: ", 0) == 0);
}

TEST_CASE("config: a stream connection's own deadlines, each unset keeping the default", "[config][stream]") {
  using namespace std::chrono_literals;
  auto result = parse(with_connection(
      {{"name", "ding"},
       {"adapter", "dingtalk"},
       {"mode", "stream"},
       {"secrets", {{"client_id", "ding-app"}, {"client_secret", "s"}}},
       {"stream",
        {{"connect_timeout", "5s"}, {"idle_timeout", "90s"}, {"write_timeout", "20s"}, {"max_retry", "5m"}}}}));
  REQUIRE(result.config);
  const StreamTimeouts& set = result.config->connections.at(0).stream;
  CHECK(set.connect_timeout == Duration(5s));
  CHECK(set.idle_timeout == Duration(90s));
  CHECK(set.write_timeout == Duration(20s));
  CHECK(set.max_retry == Duration(5min));
  CHECK_FALSE(set.poll_timeout);

  auto plain = parse(with_connection({{"name", "ding"},
                                      {"adapter", "dingtalk"},
                                      {"mode", "stream"},
                                      {"secrets", {{"client_id", "ding-app"}, {"client_secret", "s"}}}}));
  REQUIRE(plain.config);
  CHECK(plain.config->connections.at(0).stream == StreamTimeouts{});
}

TEST_CASE("config: a stream deadline out of its range, unreadable, unknown or on a webhook is refused by its key",
          "[config][stream]") {
  const auto with_stream = [](const json& stream, const char* mode = "stream") {
    return parse(with_connection({{"name", "tg"},
                                  {"adapter", "telegram"},
                                  {"mode", mode},
                                  {"secrets", {{"bot_token", "1:a"}, {"webhook_secret", "w"}}},
                                  {"stream", stream}}));
  };
  auto ranges = with_stream({{"connect_timeout", "10m"}, {"poll_timeout", "11m"}, {"max_retry", "2h"}});
  CHECK_FALSE(ranges.config);
  CHECK(problems_of(ranges) ==
        "/connections/0/stream/connect_timeout: must be from 1s to 5m, not 10m\n"
        "/connections/0/stream/poll_timeout: must be from 1s to 10m, not 11m\n"
        "/connections/0/stream/max_retry: must be from 1s to 1h, not 2h\n");
  CHECK(problems_of(with_stream({{"idle_timeout", "1s"}})) ==
        "/connections/0/stream/idle_timeout: must be from 2s to 10m, not 1s\n");

  auto unreadable = with_stream({{"write_timeout", "soon"}});
  CHECK_FALSE(unreadable.config);
  CHECK(problems_of(unreadable).rfind("/connections/0/stream/write_timeout: ", 0) == 0);
  auto unknown = with_stream({{"ping_interval", "30s"}});
  CHECK_FALSE(unknown.config);
  CHECK(problems_of(unknown).rfind("/connections/0/stream/ping_interval: ", 0) == 0);
  CHECK(problems_of(with_stream(5)).rfind("/connections/0/stream: ", 0) == 0);
  CHECK(problems_of(with_stream({{"poll_timeout", "30s"}}, "webhook")) ==
        "/connections/0/stream: only a connection with \"mode\": \"stream\" opens a stream\n");
}
