// The HTTP server: routing, methods, limits, deadlines and the health check. The connection cap
// is in http_server_pressure_test.cpp, the graceful stop in http_server_shutdown_test.cpp.
#include "tests/bot/http_server_fixture.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/write.hpp>  // operator<< for a header

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "tests/support/log_capture.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;

TEST_CASE("http: /healthz follows the health probe", "[http]") {
  Harness harness;
  auto response = send(harness.port, get("/healthz"));
  CHECK(response.result_int() == 200);
  CHECK(response[http::field::content_type] == "application/json");
  CHECK(json_of(response) == nlohmann::json{{"status", "ok"}});

  // The probe runs on its own thread (every 20 ms here): the answer follows within a few runs.
  harness.healthy = false;
  CHECK(eventually([&] { return send(harness.port, get("/healthz")).result_int() == 503; }));
  response = send(harness.port, get("/healthz"));
  CHECK(json_of(response) == nlohmann::json{{"status", "unavailable"}});
  harness.healthy = true;
  CHECK(eventually([&] { return send(harness.port, get("/healthz")).result_int() == 200; }));
}

TEST_CASE("http: /healthz shows the stream connections' states and stays 200 while one is down", "[http][stream]") {
  HttpServerOptions options;
  const nlohmann::json streams = {
      {"ding", {{"state", "backing_off"}, {"detail", "reading: end of stream"}, {"reconnects", 3}}}};
  options.health_streams = [streams] { return streams; };
  Harness harness(FakeHandler::Mode::echo, options);
  const auto response = send(harness.port, get("/healthz"));
  CHECK(response.result_int() == 200);
  CHECK(json_of(response) == nlohmann::json{{"status", "ok"}, {"streams", streams}});
}

TEST_CASE("http: a health probe that hangs neither stalls other requests nor /healthz", "[http]") {
  HttpServerOptions options;
  options.health_stale_after = 1s;  // 3 s by default
  Harness harness(FakeHandler::Mode::echo, options);
  CHECK(send(harness.port, get("/healthz")).result_int() == 200);

  harness.probe_stuck = true;  // the database stops answering
  const auto stuck_at = std::chrono::steady_clock::now();
  // Meanwhile, on the server's one I/O thread, everything else is answered at once...
  for (int i = 0; i < 5; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const std::string id = "e" + std::to_string(i);
    CHECK(send(harness.port, webhook(message_body("during", id))).result_int() == 200);
    CHECK(send(harness.port, get("/healthz")).result_int() != 0);
    CHECK(std::chrono::steady_clock::now() - started < 300ms);
    std::this_thread::sleep_for(100ms);
  }
  // ...and /healthz turns to 503 within health_stale_after (plus a probe interval) of the hang.
  CHECK(eventually([&] { return send(harness.port, get("/healthz")).result_int() == 503; }, 3s));
  CHECK(std::chrono::steady_clock::now() - stuck_at < 1500ms);
  harness.probe_stuck = false;
  CHECK(eventually([&] { return send(harness.port, get("/healthz")).result_int() == 200; }));
}

TEST_CASE("http: a signed webhook reaches the handler and its reply comes back", "[http]") {
  Harness harness;
  const auto response = send(harness.port, webhook(message_body("/ticket help")));
  CHECK(response.result_int() == 200);
  CHECK(json_of(response) == nlohmann::json{{"reply", "echo: /ticket help"}});

  const auto seen = harness.handler.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].connection == "main");
  CHECK(seen[0].platform == "generic");
  CHECK(seen[0].event_id == "e1");
  CHECK(seen[0].chat_id == "c1");
  CHECK(seen[0].user_id == "u1");
  CHECK(seen[0].user_name == "Ann");
  CHECK(seen[0].text == "/ticket help");
}

TEST_CASE("http: refused requests never reach the handler", "[http]") {
  Harness harness;
  const std::string body = message_body("hi");

  SECTION("bad signature: 401") {
    const auto response = send(harness.port, webhook(body, signed_at, "wrong-secret"));
    CHECK(response.result_int() == 401);
    CHECK(json_of(response).contains("error"));
  }
  SECTION("stale timestamp: 401") { CHECK(send(harness.port, webhook(body, "1699999000")).result_int() == 401); }
  SECTION("future timestamp: 401") { CHECK(send(harness.port, webhook(body, "1700001000")).result_int() == 401); }
  SECTION("no signature headers: 401") {
    Request request = webhook(body);
    request.erase("X-Slabot-Signature");
    request.erase("X-Slabot-Timestamp");
    CHECK(send(harness.port, request).result_int() == 401);
  }
  SECTION("signed but malformed body: 400") {
    CHECK(send(harness.port, webhook("{\"event_id\":")).result_int() == 400);
    CHECK(send(harness.port, webhook(R"({"event_id":"e1"})")).result_int() == 400);
  }
  SECTION("unknown connection: 404") {
    CHECK(send(harness.port, webhook(body, signed_at, secret, "/hooks/nope")).result_int() == 404);
    CHECK(send(harness.port, webhook(body, signed_at, secret, "/hooks/")).result_int() == 404);
    CHECK(send(harness.port, webhook(body, signed_at, secret, "/hooks/main/x")).result_int() == 404);
  }
  SECTION("other paths: 404") {
    CHECK(send(harness.port, get("/")).result_int() == 404);
    CHECK(send(harness.port, get("/hooksmain")).result_int() == 404);
    CHECK(send(harness.port, get("/hooks/nope")).result_int() == 404);
  }
  CHECK(harness.handler.seen().empty());
}

TEST_CASE("http: only the methods a path documents get through; 405 says which do", "[http]") {
  Harness harness;
  const auto method = [](http::verb verb, Request request) {
    request.method(verb);
    return request;
  };

  SECTION("a signed message sent with GET to a POST-only adapter is refused, never parsed") {
    const Response response = send(harness.port, method(http::verb::get, webhook(message_body("/open 1 x"))));
    CHECK(response.result_int() == 405);
    CHECK(response[http::field::allow] == "POST");
  }
  SECTION("nor any other method") {
    for (const auto verb : {http::verb::put, http::verb::delete_, http::verb::patch, http::verb::options}) {
      const Response response = send(harness.port, method(verb, webhook(message_body("/open 1 x"))));
      CHECK(response.result_int() == 405);
      CHECK(response[http::field::allow] == "POST");
    }
  }
  SECTION("/healthz takes GET and HEAD only") {
    const Response response = send(harness.port, webhook(message_body("hi"), signed_at, secret, "/healthz"));
    CHECK(response.result_int() == 405);
    CHECK(response[http::field::allow] == "GET, HEAD");
  }
  SECTION("HEAD /healthz: GET's status and header, no body") {
    const Response full = send(harness.port, get("/healthz"));
    TestClient client(harness.port);
    client.send_raw("HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const std::string header = client.read_raw_until("\r\n\r\n");
    CAPTURE(header);
    CHECK(header.starts_with("HTTP/1.1 200"));
    CHECK(header.find("Content-Length: " + std::to_string(full.body().size()) + "\r\n") != std::string::npos);
    CHECK_FALSE(client.readable_within(100ms));                   // no body follows...
    CHECK(client.exchange(get("/healthz")).result_int() == 200);  // ...and the connection goes on
  }
  SECTION("an unknown connection is 404 whatever the method") {
    CHECK(send(harness.port, method(http::verb::put, get("/hooks/nope"))).result_int() == 404);
  }
  CHECK(harness.handler.seen().empty());
}

TEST_CASE("http: bodies over 64 KiB are refused with 413 before the handler", "[http]") {
  Harness harness;
  const std::string big(64 * 1024 + 1, 'x');

  SECTION("declared by Content-Length") { CHECK(send(harness.port, webhook(big)).result_int() == 413); }
  SECTION("chunked") {
    Request request = webhook(big);
    request.chunked(true);
    CHECK(send(harness.port, request).result_int() == 413);
  }
  SECTION("a lying Content-Length far beyond the limit, with no body at all") {
    TestClient client(harness.port);
    client.send_raw("POST /hooks/main HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
    const std::string status_line = client.read_raw_until("\r\n");
    CAPTURE(status_line);
    CHECK(status_line.starts_with("HTTP/1.1 413"));
  }
  SECTION("exactly at the limit is read (and then judged on its content)") {
    CHECK(send(harness.port, webhook(std::string(64 * 1024, 'x'))).result_int() == 400);
  }
  CHECK(harness.handler.seen().empty());
}

TEST_CASE("http: a message that could not be recorded answers 503", "[http]") {
  Harness harness(FakeHandler::Mode::fail);
  const auto response = send(harness.port, webhook(message_body("/ack T-1")));
  CHECK(response.result_int() == 503);
  CHECK(harness.handler.seen().size() == 1);
}

TEST_CASE("http: done may come later from another thread", "[http]") {
  Harness harness(FakeHandler::Mode::later);
  const auto response = send(harness.port, webhook(message_body("late")));
  CHECK(response.result_int() == 200);
  CHECK(json_of(response) == nlohmann::json{{"reply", "echo: late"}});
}

TEST_CASE("http: a slow handler does not hold up other connections", "[http]") {
  // One server thread; done arrives after 500 ms.
  Harness harness(FakeHandler::Mode::later, HttpServerOptions{}, 500ms);
  std::atomic<int> slow_status{0};  // Catch's assertions are for the main thread only
  std::thread slow([&] {
    try {
      slow_status = send(harness.port, webhook(message_body("slow"))).result_int();
    } catch (const std::exception&) {
      slow_status = -1;
    }
  });
  while (harness.handler.seen().empty()) std::this_thread::sleep_for(1ms);
  const auto started = std::chrono::steady_clock::now();
  CHECK(send(harness.port, get("/healthz")).result_int() == 200);
  CHECK(std::chrono::steady_clock::now() - started < 300ms);
  slow.join();
  CHECK(slow_status == 200);
}

TEST_CASE("http: stalled clients do not block others", "[http]") {
  HttpServerOptions options;
  // Long enough that only concurrency can explain a quick answer.
  options.first_request_timeout = options.request_timeout = 30s;
  Harness harness(FakeHandler::Mode::echo, options);

  TestClient silent(harness.port);  // connects, sends nothing
  TestClient half_header(harness.port);
  half_header.send_raw("POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");
  TestClient half_body(harness.port);
  half_body.send_raw("POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"event_id\"");

  const auto started = std::chrono::steady_clock::now();
  CHECK(send(harness.port, get("/healthz")).result_int() == 200);
  CHECK(send(harness.port, webhook(message_body("still here"))).result_int() == 200);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(harness.handler.seen().size() == 1);
}

TEST_CASE("http: a stalled request is dropped after request_timeout", "[http]") {
  HttpServerOptions options;
  options.request_timeout = 1s;
  Harness harness(FakeHandler::Mode::echo, options);

  TestClient stalled(harness.port);
  stalled.send_raw("POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
  const auto started = std::chrono::steady_clock::now();
  const auto why = stalled.wait_for_close(5s);
  CHECK(why != beast::error::timeout);  // the server closed it, not our own deadline
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK(harness.handler.seen().empty());
}

TEST_CASE("http: keep-alive carries several requests on one connection", "[http]") {
  Harness harness;
  TestClient client(harness.port);
  auto first = client.exchange(webhook(message_body("one", "e1")));
  CHECK(first.result_int() == 200);
  CHECK(first.keep_alive());
  auto second = client.exchange(webhook(message_body("two", "e2")));
  CHECK(second.result_int() == 200);
  CHECK(json_of(second) == nlohmann::json{{"reply", "echo: two"}});
  CHECK(client.exchange(get("/healthz")).result_int() == 200);

  // An error answer does not end a keep-alive connection either, as long as the request was read.
  CHECK(client.exchange(get("/nowhere")).result_int() == 404);
  CHECK(client.exchange(get("/healthz")).result_int() == 200);
  CHECK(harness.handler.seen().size() == 2);

  Request closing = get("/healthz");
  closing.keep_alive(false);
  CHECK_FALSE(client.exchange(closing).keep_alive());
  CHECK(client.wait_for_close(5s) == asio::error::eof);
}

// The server reads a waiting connection's first bytes as they come: the end of the connection
// comes that way too, and must end the session then, not at a deadline (a read after the end
// would wait for an event epoll has already given).
TEST_CASE("http: a client that closes a waiting connection frees its place at once", "[http]") {
  const bool answered_before = GENERATE(false, true);
  HttpServerOptions options;
  options.first_request_timeout = 30s;
  options.idle_timeout = 30s;
  options.request_timeout = 30s;
  Harness harness(FakeHandler::Mode::echo, options);
  {
    TestClient client(harness.port);
    if (answered_before) CHECK(client.exchange(get("/healthz")).result_int() == 200);
    CHECK(eventually([&] { return harness.server.open_connections() == 1; }));
  }  // closed here
  CHECK(eventually([&] { return harness.server.open_connections() == 0; }, 3s));
}
TEST_CASE("http: Expect: 100-continue is honoured", "[http]") {
  Harness harness;
  const std::string body = message_body("continued");
  Request request = webhook(body);
  request.set(http::field::expect, "100-continue");
  std::ostringstream header;
  header << request.base();

  TestClient client(harness.port);
  client.send_raw(header.str());
  CHECK(client.read_raw_until("\r\n\r\n").starts_with("HTTP/1.1 100 Continue"));
  client.send_raw(body);
  const Response response = client.read_response();
  CHECK(response.result_int() == 200);
  CHECK(json_of(response) == nlohmann::json{{"reply", "echo: continued"}});
}

TEST_CASE("http: several threads serve concurrent clients", "[http]") {
  HttpServerOptions options;
  options.threads = 2;
  Harness harness(FakeHandler::Mode::echo, options);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 6; ++c) {
    clients.emplace_back([&, c] {
      try {  // an exception escaping a thread would abort the whole test run
        TestClient client(harness.port);
        for (int i = 0; i < 5; ++i) {
          const std::string id = std::to_string(c) + "-" + std::to_string(i);
          if (client.exchange(webhook(message_body(id, id))).result_int() == 200) ++ok;
        }
      } catch (const std::exception&) {}
    });
  }
  for (auto& client : clients) client.join();
  CHECK(ok == 30);
  CHECK(harness.handler.seen().size() == 30);
}

// Reads until the server closes, sending `trickle` a byte at a time every 100 ms meanwhile;
// returns how long that took (at most `limit`) and whether it was the server that closed.
std::pair<std::chrono::milliseconds, bool> trickle_until_closed(TestClient& client, const std::string& trickle,
                                                                std::chrono::milliseconds limit) {
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; std::chrono::steady_clock::now() - started < limit; ++i) {
    if (client.readable_within(100ms)) break;
    try {
      client.send_raw(trickle.substr(i % trickle.size(), 1));
    } catch (const std::exception&) {
      break;  // reset: closed
    }
  }
  const bool closed = client.wait_for_close(1s) != beast::error::timeout;
  return {std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started), closed};
}

// Waits for the server to close `client`, and checks that it took about the 1 s deadline the test
// set: not before, and not much after.
void expect_closed_at_deadline(TestClient& client) {
  const auto started = std::chrono::steady_clock::now();
  CHECK(client.wait_for_close(5s) != beast::error::timeout);  // the server closed it
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited > 800ms);
  CHECK(waited < 3s);
}

TEST_CASE("http: a connection waiting for a request is closed at first_request_timeout, or idle_timeout", "[http]") {
  const bool answered_before = GENERATE(false, true);
  HttpServerOptions options;
  options.first_request_timeout = answered_before ? 30s : 1s;
  options.idle_timeout = answered_before ? 1s : 30s;
  options.request_timeout = 30s;
  Harness harness(FakeHandler::Mode::echo, options);
  TestClient client(harness.port);
  if (answered_before) CHECK(client.exchange(get("/healthz")).result_int() == 200);
  expect_closed_at_deadline(client);
  CHECK(eventually([&] { return harness.server.open_connections() == 0; }));
}

TEST_CASE("http: a header trickled byte by byte ends at first_request_timeout, or request_timeout later on", "[http]") {
  const bool answered_before = GENERATE(false, true);
  HttpServerOptions options;
  options.first_request_timeout = answered_before ? 30s : 1s;
  options.request_timeout = answered_before ? 1s : 30s;
  options.idle_timeout = 30s;
  Harness harness(FakeHandler::Mode::echo, options);
  TestClient loris(harness.port);
  if (answered_before) CHECK(loris.exchange(get("/healthz")).result_int() == 200);
  const auto [took, closed] = trickle_until_closed(loris, "POST /hooks/main HTTP/1.1\r\nX-Slow: aaaaaaaaaa", 5s);
  CHECK(closed);
  CHECK(took < 3s);
}

TEST_CASE("http: max_connections must be at least 1", "[http]") {
  HttpServerOptions options;
  options.max_connections = 0;
  FakeHandler handler(FakeHandler::Mode::echo);
  ManualClock clock{now};
  CHECK_THROWS_AS(HttpServer(options, Harness::routes(), handler, clock, [] { return true; }), std::invalid_argument);
}
