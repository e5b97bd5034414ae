// The HTTP server at its connection cap: idle connections make room for new clients (kept-alive
// ones first, then silent ones, the oldest first); connections in the middle of a request never
// do, and with only those a new client waits; slots never leak; a flood of 1,000 silent and 200
// slow-loris connections does not keep a new client waiting.
#include "tests/bot/http_server_fixture.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/support/connection_flood.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/test_timing.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

// Deadlines long enough that no connection in these tests ends by one: every close seen is the
// cap making room.
HttpServerOptions capped(std::size_t max_connections) {
  HttpServerOptions options;
  options.max_connections = max_connections;
  options.first_request_timeout = options.request_timeout = options.idle_timeout = 30s;
  return options;
}

bool closed_by_server(TestClient& client) {
  return client.readable_within(2s) && client.wait_for_close(2s) != beast::error::timeout;
}

bool still_open(TestClient& client) { return !client.readable_within(50ms); }

}  // namespace

TEST_CASE("http: at the cap, idle connections make room: kept-alive before silent, oldest first", "[http]") {
  LogCapture log;
  {
    Harness harness(FakeHandler::Mode::echo, capped(4));
    auto silent = open_idle(harness, 2);  // silent[0] connected first
    auto kept = open_idle(harness, 2, 2);
    for (auto& client : kept) CHECK(client->exchange(get("/healthz")).result_int() == 200);  // kept[0] first

    // Newcomers in the middle of a request take the idle ones' places, one each.
    std::vector<std::unique_ptr<TestClient>> busy;
    const auto arrive_busy = [&] {
      busy.push_back(std::make_unique<TestClient>(harness.port));
      busy.back()->send_raw(half_header);
    };
    arrive_busy();
    CHECK(closed_by_server(*kept[0]));
    CHECK(still_open(*kept[1]));
    CHECK(still_open(*silent[0]));
    arrive_busy();
    CHECK(closed_by_server(*kept[1]));
    CHECK(still_open(*silent[0]));
    arrive_busy();
    CHECK(closed_by_server(*silent[0]));
    CHECK(still_open(*silent[1]));
    arrive_busy();
    CHECK(closed_by_server(*silent[1]));
    CHECK(eventually([&] { return harness.server.open_connections() == 4; }));
    for (auto& client : busy) CHECK(still_open(*client));  // never closed for room

    // Nobody idle: the next one waits in the backlog, its request unanswered...
    TestClient waiting(harness.port);
    waiting.send_raw(healthz_raw);
    CHECK_FALSE(waiting.readable_within(300ms));
    // ...until a busy one finishes its request and turns idle, and so makes room.
    busy[0]->send_raw("ngth: 0\r\n\r\n");
    CHECK(busy[0]->read_response().result_int() == 401);  // unsigned: refused, but answered
    const Response late = waiting.read_response();
    CHECK(late.result_int() == 200);
    harness.server.stop();
  }
  CHECK(log.count("each new client takes the place of the connection idle the longest") == 1);
  CHECK(log.count("all in the middle of a request") == 1);
}

TEST_CASE("http: at the cap with every connection mid-request, a client waits until one ends", "[http]") {
  LogCapture log;
  Harness harness(FakeHandler::Mode::echo, capped(4));
  std::vector<std::unique_ptr<TestClient>> busy = open_idle(harness, 4);
  for (auto& client : busy) client->send_raw(half_header);

  TestClient waiting(harness.port);
  waiting.send_raw(healthz_raw);
  CHECK_FALSE(waiting.readable_within(300ms));
  CHECK(harness.server.open_connections() == 4);
  busy.pop_back();  // one gives up
  CHECK(waiting.read_response().result_int() == 200);
}

TEST_CASE("http: connection slots never leak, however connections end", "[http]") {
  HttpServerOptions options = capped(4);
  options.threads = GENERATE(1, 2);  // with two, slots free on one thread and wake the other
  LogCapture quiet;                  // keeps the thrown sessions' warnings out of the test output
  Harness harness(FakeHandler::Mode::echo, options);

  // 50 rounds of 4 connections at once: the cap is reached in every round. Each connection ends
  // one of six ways, and every slot must come back.
  int event = 0;
  for (int round = 0; round < 50; ++round) {
    // The last round's connections are all gone first: at the cap, a silent one of this round
    // would otherwise be closed to make room for the next (as the cap does; not the point here).
    REQUIRE(eventually([&] { return harness.server.open_connections() == 0; }));
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 4; ++i) clients.push_back(std::make_unique<TestClient>(harness.port));
    for (int i = 0; i < 4; ++i) {
      TestClient& client = *clients[static_cast<std::size_t>(i)];
      const std::string id = "e" + std::to_string(++event);
      switch ((round * 4 + i) % 6) {
        case 0:  // closes before sending anything
          break;
        case 1: {  // asks the server to close
          Request request = webhook(message_body("bye", id));
          request.keep_alive(false);
          CHECK(client.exchange(request).result_int() == 200);
          CHECK(client.wait_for_close(5s) == asio::error::eof);
          break;
        }
        case 2:  // kept alive, then closed by the client
          CHECK(client.exchange(webhook(message_body("stay", id))).result_int() == 200);
          break;
        case 3:  // half a request, then gone
          client.send_raw(half_header);
          break;
        case 4:  // refused with 413, then lingered on
          client.send_raw("POST /hooks/main HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
          CHECK(client.read_raw_until("\r\n").starts_with("HTTP/1.1 413"));
          break;
        case 5:  // the session throws and the server drops the connection
          client.send_raw("POST /hooks/throws HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
          CHECK(client.wait_for_close(5s) != beast::error::timeout);
          break;
      }
    }
  }
  CHECK(harness.handler.seen().size() == 67);  // cases 1 and 2: 34 and 33 of the 200
  CHECK(eventually([&] { return harness.server.open_connections() == 0; }));

  // Exactly four fit: four busy ones are served while open together, and a fifth waits until
  // one of them turns idle.
  auto four = open_idle(harness, 4);
  for (auto& client : four) client->send_raw("GET /healthz HTTP/1.1\r\n");
  TestClient fifth(harness.port);
  fifth.send_raw(healthz_raw);
  CHECK_FALSE(fifth.readable_within(200ms));
  for (auto& client : four) {
    client->send_raw("Host: x\r\n\r\n");
    CHECK(client->read_response().result_int() == 200);
  }
  CHECK(fifth.read_response().result_int() == 200);
}

TEST_CASE("http: stop() at the cap, with a client waiting in the backlog, is prompt", "[http]") {
  Harness harness(FakeHandler::Mode::echo, capped(2));
  auto busy = open_idle(harness, 2);
  for (auto& client : busy) client->send_raw(half_header);
  TestClient waiting(harness.port);
  waiting.send_raw(healthz_raw);
  CHECK_FALSE(waiting.readable_within(100ms));

  const auto started = std::chrono::steady_clock::now();
  harness.server.stop();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(waiting.readable_within(2s));  // the listening socket closed: refused, not left hanging
}

TEST_CASE("http: 1,000 silent and 200 slow-loris connections at the cap do not hold up a new client",
          "[http][pressure]") {
  constexpr std::size_t silent = 1000, slow_loris = 200, cap = 512;
  // The test holds the clients' ends and the server its own: about 1,750 descriptors.
  if (!raise_open_file_limit(4096)) {
    WARN("skipped: the open-file limit cannot be raised to 4096 (ulimit -Hn); this test needs ~1,750 descriptors");
    return;
  }
  LogCapture quiet;  // the cap's warnings
  Harness harness(FakeHandler::Mode::echo, capped(cap));
  ConnectionFlood flood(harness.port);
  flood.open_silent(silent);
  flood.open_slow_loris(slow_loris, 500ms);
  CHECK(eventually([&] { return harness.server.open_connections() == cap; }));
  std::this_thread::sleep_for(scaled(1s));  // two trickled bytes each; the server works through its backlog

  // Every deadline is 30 s: only the cap making room can explain a quick answer (scaled: test_timing.hpp).
  const auto started = std::chrono::steady_clock::now();
  const Response response = send(harness.port, webhook(message_body("through the flood")));
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(response.result_int() == 200);
  INFO("answered after " << std::chrono::duration_cast<std::chrono::microseconds>(waited).count() << " us; "
                         << flood.silent_closed() << " of " << silent << " silent connections closed for room");
  CHECK(waited < scaled(1s));
  CHECK(harness.server.open_connections() <= cap);
  CHECK(flood.slow_loris_closed() == 0);  // in the middle of a request: never closed for room
  CHECK(flood.silent_closed() >= silent + slow_loris + 1 - cap);
}
