// The generic webhook end to end over loopback: the real server, adapter, dispatcher and store.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/registry.hpp"
#include "bot/dispatcher.hpp"
#include "bot/http/http_server.hpp"
#include "config/loader.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::post_generic;

namespace {

constexpr long long kNow = 1795329900;  // 2026-11-22 06:45:00 UTC
const std::string kSecret = "e2e-secret";

Config e2e_config(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::premium}, {"globex", "Globex", Package::selected}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}}};
  c.connections = {{"hooks", "generic", {{"secret", kSecret}}, ""}};
  c.channels = {{"hooks", "acme-7x24", "acme"}, {"hooks", "globex-7x24", "globex"}};
  return c;
}

std::string message(const std::string& event, const std::string& chat, const std::string& user,
                    const std::string& text) {
  return json{{"event_id", event}, {"chat_id", chat}, {"user_id", user}, {"user_name", user}, {"text", text}}.dump();
}

struct Bot {
  testing::TempDir dir;
  Config config = e2e_config(dir.file("e2e.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{from_unix_ms(kNow * 1000)};
  LiveConfig live_config{config};
  Dispatcher dispatcher{live_config, store, clock};
  HttpServer server{HttpServerOptions{}, routes(), dispatcher, clock, [this] { return store.healthy(); }};
  unsigned short port = server.start();

  std::map<std::string, WebhookRoute> routes() {
    return {{"hooks", WebhookRoute{std::shared_ptr<const ChatAdapter>(make_adapter(config.connections[0]))}}};
  }
  testing::HttpResult post(const std::string& body, long long at = kNow, const std::string& secret = kSecret) {
    return post_generic(port, "hooks", secret, at, body);
  }
  std::string reply(const testing::HttpResult& result) { return json::parse(result.body).at("reply"); }
};

}  // namespace

TEST_CASE("e2e: a signed message opens a ticket and an engineer acknowledges it") {
  Bot bot;
  auto opened = bot.post(message("e1", "acme-7x24", "pat", "/open 1 DB down"));
  REQUIRE(opened.status == 200);
  CHECK(bot.reply(opened) == "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)");
  auto acked = bot.post(message("e2", "acme-7x24", "u-erin", "@slabot /ticket ack #1"));
  CHECK(bot.reply(acked) == "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->opened_by_id == "hooks:pat");
  CHECK(ticket->state == TicketState::acknowledged);
  CHECK(bot.store.timeline(1, 10).at(0).channel == "hooks:acme-7x24");
}

TEST_CASE("e2e: a replayed event id is answered the same way and changes nothing") {
  Bot bot;
  const auto body = message("same-event", "acme-7x24", "pat", "/open 2 API errors");
  auto first = bot.post(body);
  auto again = bot.post(body);
  REQUIRE(first.status == 200);
  REQUIRE(again.status == 200);
  CHECK(bot.reply(again) == bot.reply(first));
  CHECK(bot.store.count_tickets({}) == 1);
}

TEST_CASE("e2e: bad signatures, stale timestamps and bad bodies change nothing") {
  Bot bot;
  const auto body = message("e1", "acme-7x24", "pat", "/open 1 DB down");
  CHECK(bot.post(body, kNow, "wrong-secret").status == 401);
  CHECK(bot.post(body, kNow - 301).status == 401);
  CHECK(bot.post("{not json").status == 400);
  CHECK(bot.post(R"({"event_id":"e9","chat_id":"acme-7x24"})").status == 400);
  CHECK(bot.post(message("big", "acme-7x24", "pat", "/note 1 " + std::string(70 * 1024, 'x'))).status == 413);
  CHECK(bot.store.count_tickets({}) == 0);
  // The refused event id was not consumed: the genuine message still goes through.
  CHECK(bot.post(body).status == 200);
  CHECK(bot.store.count_tickets({}) == 1);
}

TEST_CASE("e2e: a body with bytes after its JSON document is refused with 400 and stores nothing") {
  using namespace std::string_literals;
  Bot bot;
  const auto body = message("e1", "acme-7x24", "pat", "/open 1 DB down");
  // A NUL ends nlohmann's input, so `{...}\0` and `{...}\0{...}` once parsed as the first document.
  for (const std::string& trailing : {"\0"s, "\0"s + body, " "s + body, "x"s}) {
    INFO("trailing " << trailing.size() << " bytes");
    CHECK(bot.post(body + trailing).status == 400);
  }
  CHECK(bot.store.count_tickets({}) == 0);
  CHECK_FALSE(bot.store.processed_reply({"hooks", "acme-7x24", "e1"}));
  // Whitespace after the document is still one JSON document.
  CHECK(bot.post(body + "\r\n ").status == 200);
  CHECK(bot.store.count_tickets({}) == 1);
}

TEST_CASE("e2e: a signed message sent with GET is refused with 405 and stores nothing") {
  Bot bot;
  const auto body = message("e1", "acme-7x24", "pat", "/open 1 DB down");
  const std::string ts = std::to_string(kNow);
  const std::map<std::string, std::string> signed_headers = {
      {"Content-Type", "application/json"},
      {"X-Slabot-Timestamp", ts},
      {"X-Slabot-Signature", "sha256=" + hex_encode(hmac_sha256(kSecret, ts + "." + body))}};
  CHECK(testing::http_request(bot.port, "GET", "/hooks/hooks", signed_headers, body).status == 405);
  CHECK(bot.store.count_tickets({}) == 0);
  CHECK(bot.post(body).status == 200);  // the event id was not consumed either
  CHECK(bot.store.count_tickets({}) == 1);
}

TEST_CASE("e2e: an unregistered group is told so and nothing is stored") {
  Bot bot;
  auto result = bot.post(message("e1", "unknown-group", "pat", "/open 1 DB down"));
  REQUIRE(result.status == 200);
  CHECK(bot.reply(result) == "this group is not registered");
  CHECK(bot.store.count_tickets({}) == 0);
}

TEST_CASE("e2e: a malformed command gets one line with the usage, and nothing is stored") {
  Bot bot;
  auto result = bot.post(message("e1", "acme-7x24", "pat", "/open DB down"));
  const auto text = bot.reply(result);
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find("usage: /open") != std::string::npos);
  CHECK(bot.store.count_tickets({}) == 0);
}

TEST_CASE("e2e: tenants are isolated across groups on one connection") {
  Bot bot;
  bot.post(message("e1", "acme-7x24", "pat", "/open 1 DB down"));
  auto peek = bot.post(message("e2", "globex-7x24", "gina", "/show 1"));
  CHECK(bot.reply(peek) == "no ticket #1 here");
  auto touch = bot.post(message("e3", "globex-7x24", "u-erin", "/ack 1"));
  CHECK(bot.reply(touch) == "no ticket #1 here");
  CHECK(bot.store.find_ticket(1, "")->state == TicketState::open);
}

TEST_CASE("e2e: the health check answers while the database does") {
  Bot bot;
  auto health = testing::http_request(bot.port, "GET", "/healthz", {}, "");
  CHECK(health.status == 200);
  CHECK(json::parse(health.body).at("status") == "ok");
}

TEST_CASE("e2e: the same event id in another group is another event, and never leaks the first answer") {
  Bot bot;
  auto acme = bot.post(message("e1", "acme-7x24", "pat", "/open 1 acme secret"));
  auto globex = bot.post(message("e1", "globex-7x24", "gina", "/open 2 globex outage"));
  CHECK(bot.reply(acme).starts_with("#1 opened"));
  CHECK(bot.reply(globex).starts_with("#2 opened: Urgent \"globex outage\""));
  CHECK(bot.store.count_tickets({}) == 2);
}

TEST_CASE("e2e: a retried refusal gets the same answer even after the ticket moved on") {
  Bot bot;
  bot.post(message("e1", "acme-7x24", "pat", "/open 1 DB down"));
  bot.post(message("e2", "acme-7x24", "u-erin", "/resolve 1"));
  auto refused = bot.post(message("e3", "acme-7x24", "u-erin", "/ack 1"));
  CHECK(bot.reply(refused) == "#1 is resolved; reopen it first");
  bot.post(message("e4", "acme-7x24", "pat", "/reopen 1"));
  auto replay = bot.post(message("e3", "acme-7x24", "u-erin", "/ack 1"));
  CHECK(bot.reply(replay) == "#1 is resolved; reopen it first");
  CHECK(bot.store.find_ticket(1, "")->state == TicketState::open);
}

TEST_CASE("e2e: ordinary chat in an unregistered group gets silence") {
  Bot bot;
  auto result = bot.post(message("e1", "unknown-group", "pat", "good morning"));
  CHECK(bot.reply(result).empty());
}
