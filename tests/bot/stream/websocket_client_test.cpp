// The WebSocket client against a loopback gateway over TLS: the CA setting, the proxy (CONNECT),
// heartbeats, a refused upgrade, a peer that closes, and stop() from another thread.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <thread>

#include "bot/stream/websocket_client.hpp"
#include "tests/bot/http_client/fake_connect_proxy.hpp"
#include "tests/support/fake_websocket_gateway.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_timing.hpp"

using namespace slabot;
using namespace slabot::testing;
using Kind = WebSocketResult::Kind;

namespace {

const TestCa& ca() {
  static const TestCa authority("slabot websocket test CA");
  return authority;
}

struct Fixture {
  Fixture() { std::ofstream(ca_file) << ca().cert_pem(); }
  WebSocketOptions options() const {
    WebSocketOptions out;
    out.ca_file = ca_file;
    out.no_proxy = "*";  // whatever the environment says: direct, unless a test sets a proxy
    out.connect_timeout = scaled(std::chrono::seconds(10));
    return out;
  }
  TempDir dir;
  std::string ca_file = dir.file("ca.pem");
  FakeWebSocketGateway gateway{ca().issue_localhost()};
};

std::chrono::milliseconds patience() { return scaled(std::chrono::seconds(10)); }

}  // namespace

TEST_CASE("websocket: text both ways over TLS, the peer's close reported as closed", "[stream][websocket]") {
  Fixture f;
  WebSocketClient client(f.options());
  REQUIRE(client.connect(f.gateway.url("/socket?ticket=t")).ok());
  auto socket = f.gateway.next_socket(patience());
  REQUIRE(socket);
  CHECK(socket->target() == "/socket?ticket=t");
  REQUIRE(client.write("hello gateway").ok());
  CHECK(socket->receive(patience()) == "hello gateway");
  socket->send("hello bot");
  std::string message;
  REQUIRE(client.read(message).ok());
  CHECK(message == "hello bot");
  socket->close();
  const auto closed = client.read(message);
  CHECK(closed.kind == Kind::closed);
}

TEST_CASE("websocket: a certificate from another CA is refused, saying why", "[stream][websocket]") {
  Fixture f;
  TestCa stranger("someone else's CA");
  FakeWebSocketGateway impostor(stranger.issue_localhost());
  WebSocketClient client(f.options());
  const auto result = client.connect(impostor.url("/socket"));
  CHECK(result.kind == Kind::failed);
  CHECK(result.text.find("certificate") != std::string::npos);
  CHECK_FALSE(impostor.next_socket(std::chrono::milliseconds(0)));
}

TEST_CASE("websocket: an upgrade answered with an HTTP status is refused with that status", "[stream][websocket]") {
  Fixture f;
  f.gateway.on_upgrade([](const std::string&) { return 403; });
  WebSocketClient client(f.options());
  const auto result = client.connect(f.gateway.url("/socket?ticket=stale"));
  CHECK(result.kind == Kind::refused);
  CHECK(result.status == 403);
  // The ticket (the query) stays out of what is logged.
  CHECK(result.text.find("stale") == std::string::npos);
  CHECK(result.headers.at("content-type") == "application/json");  // the answer's headers, names in lower case
}

TEST_CASE("websocket: a refusal's headers come back with it, where a platform says why", "[stream][websocket]") {
  Fixture f;
  f.gateway.on_upgrade([](const std::string&) { return 403; });
  f.gateway.refusal_headers([](const std::string&) {
    return std::map<std::string, std::string>{{"Handshake-Status", "403"}, {"Handshake-Msg", "forbidden"}};
  });
  WebSocketClient client(f.options());
  const auto result = client.connect(f.gateway.url("/ws"));
  REQUIRE(result.kind == Kind::refused);
  CHECK(result.headers.at("handshake-status") == "403");
  CHECK(result.headers.at("handshake-msg") == "forbidden");
}

TEST_CASE("websocket: through an HTTPS proxy by CONNECT, as the HTTP client goes", "[stream][websocket]") {
  Fixture f;
  FakeConnectProxy proxy;
  WebSocketOptions options = f.options();
  options.https_proxy = "http://127.0.0.1:" + std::to_string(proxy.port());
  options.no_proxy = "example.org";
  WebSocketClient client(options);
  REQUIRE(client.connect(f.gateway.url("/socket")).ok());
  CHECK(proxy.connect_targets() == std::vector<std::string>{"127.0.0.1:" + std::to_string(f.gateway.port())});
  auto socket = f.gateway.next_socket(patience());
  REQUIRE(socket);
  REQUIRE(client.write("through the tunnel").ok());
  CHECK(socket->receive(patience()) == "through the tunnel");
}

TEST_CASE("websocket: a silent peer is pinged while the client waits", "[stream][websocket]") {
  Fixture f;
  WebSocketOptions options = f.options();
  options.idle_timeout = scaled(std::chrono::milliseconds(400));  // a ping after 200 ms of silence
  WebSocketClient client(options);
  REQUIRE(client.connect(f.gateway.url("/socket")).ok());
  auto socket = f.gateway.next_socket(patience());
  REQUIRE(socket);
  auto reading = std::async(std::launch::async, [&client] {
    std::string message;
    return std::make_pair(client.read(message), message);
  });
  // The gateway answers the pings (Beast pongs while it reads), so the connection lives on.
  const auto give_up = std::chrono::steady_clock::now() + patience();
  while (socket->pings_received() < 2 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(socket->pings_received() >= 2);
  socket->send("still here");
  const auto [result, message] = reading.get();
  CHECK(result.ok());
  CHECK(message == "still here");
}

TEST_CASE("websocket: a peer that answers no ping is given up after idle_timeout", "[stream][websocket]") {
  Fixture f;
  f.gateway.stop_reading_new_sockets();
  WebSocketOptions options = f.options();
  options.idle_timeout = scaled(std::chrono::milliseconds(300));
  WebSocketClient client(options);
  REQUIRE(client.connect(f.gateway.url("/socket")).ok());
  std::string message;
  const auto result = client.read(message);
  CHECK(result.kind == Kind::timed_out);
  CHECK(result.text == "reading: timed out");
}

TEST_CASE("websocket: stop() from another thread ends a read at once, and every later call", "[stream][websocket]") {
  Fixture f;
  WebSocketClient client(f.options());
  REQUIRE(client.connect(f.gateway.url("/socket")).ok());
  auto reading = std::async(std::launch::async, [&client] {
    std::string message;
    return client.read(message);
  });
  REQUIRE(reading.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);
  client.stop();
  REQUIRE(reading.wait_for(patience()) == std::future_status::ready);
  CHECK(reading.get().kind == Kind::stopped);
  CHECK(client.connect(f.gateway.url("/socket")).kind == Kind::stopped);
}
