// The HTTP server's graceful stop: every request being read or handled is answered (with
// Connection: close), new connections are refused, idle ones are closed at once, and what is
// still open at the bound is abandoned and counted.
#include "tests/bot/http_server_fixture.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/support/log_capture.hpp"
#include "tests/support/test_timing.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

using SteadyClock = std::chrono::steady_clock;

bool refuses_connections(unsigned short port) {
  try {
    TestClient client(port);
    return false;
  } catch (const std::exception&) {
    return true;
  }
}

}  // namespace

TEST_CASE("http: shutdown() answers every request in hand, then refuses new connections", "[http]") {
  constexpr int requests = 20;
  // Every duration scaled together (test_timing.hpp): all 20 must be in hand before the first is
  // answered.
  Harness harness(FakeHandler::Mode::later, HttpServerOptions{}, scaled(800ms));  // each answered 800 ms late
  std::atomic<int> answered{0}, closing{0}, failed{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < requests; ++i) {
    clients.emplace_back([&, i] {
      try {  // an exception escaping a thread would abort the whole test run
        const std::string id = "e" + std::to_string(i);
        const Response response = TestClient(harness.port).exchange(webhook(message_body(id, id)));
        if (response.result_int() == 200) ++answered;
        if (!response.keep_alive()) ++closing;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  }
  REQUIRE(eventually([&] { return harness.handler.seen().size() == requests; }, scaled(5s)));

  std::atomic<std::size_t> abandoned{99};
  const auto started = SteadyClock::now();
  std::thread stopper([&] { abandoned = harness.server.shutdown(scaled(10s)); });
  CHECK(eventually([&] { return refuses_connections(harness.port); }, scaled(2s)));
  stopper.join();
  for (auto& client : clients) client.join();
  CHECK(answered == requests);
  CHECK(closing == requests);  // Connection: close, once stopping
  CHECK(failed == 0);
  CHECK(abandoned == 0);
  CHECK(SteadyClock::now() - started < scaled(3s));  // done when the last answer is out, not at the bound
}

TEST_CASE("http: on shutdown an idle kept-alive connection is closed at once, a silent one after a moment", "[http]") {
  Harness harness(FakeHandler::Mode::later, HttpServerOptions{}, 1s);
  TestClient kept(harness.port);
  CHECK(kept.exchange(get("/healthz")).result_int() == 200);
  TestClient silent(harness.port);
  TestClient late(harness.port);  // connected before the stop, its request sent during it
  std::atomic<int> slow_status{0};
  std::thread slow([&] {
    try {
      slow_status = send(harness.port, webhook(message_body("slow"))).result_int();
    } catch (const std::exception&) {
      slow_status = -1;
    }
  });
  REQUIRE(eventually([&] { return harness.handler.seen().size() == 1 && harness.server.open_connections() == 4; }));

  harness.server.begin_shutdown();
  const auto began = SteadyClock::now();
  CHECK(kept.wait_for_close(2s) == asio::error::eof);
  CHECK(SteadyClock::now() - began < 300ms);
  std::this_thread::sleep_for(100ms);
  const Response late_answer = late.exchange(get("/healthz"));
  CHECK(late_answer.result_int() == 200);
  CHECK_FALSE(late_answer.keep_alive());
  CHECK(silent.wait_for_close(3s) == asio::error::eof);
  CHECK(SteadyClock::now() - began < 1500ms);  // the grace is half a second

  CHECK(harness.server.wait_until_drained(SteadyClock::now() + 5s));
  slow.join();
  CHECK(slow_status == 200);
}

TEST_CASE("http: at the shutdown bound, connections still open are abandoned and counted", "[http]") {
  LogCapture log;
  std::thread client;
  {
    Harness harness(FakeHandler::Mode::later, HttpServerOptions{}, 2s);
    const unsigned short port = harness.port;
    client = std::thread([port] {
      try {
        send(port, webhook(message_body("never answered in time")));
      } catch (const std::exception&) {}
    });
    REQUIRE(eventually([&] { return harness.handler.seen().size() == 1; }));
    const auto started = SteadyClock::now();
    CHECK(harness.server.shutdown(300ms) == 1);
    const auto took = SteadyClock::now() - started;
    CHECK(took >= 300ms);
    CHECK(took < 1500ms);
  }  // the abandoned connection is closed with the server's event loop, once the handler is done
  client.join();
  CHECK(log.count("1 connection still open abandoned") == 1);
}
