#include "bot/http/http_client.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "adapters/crypto.hpp"
#include "tests/bot/http_client/fake_connect_proxy.hpp"
#include "tests/support/environment_variable.hpp"
#include "tests/support/fake_https_peer.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_ca.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One CA for the whole run: generating keys is cheap, but there is no need to repeat it.
const TestCa& test_ca() {
  static const TestCa ca("slabot test CA");
  return ca;
}

// The CA as a ca_file, plus options that never reach a proxy from the environment.
struct Fixture {
  TempDir dir;
  std::string ca_file = dir.file("ca.pem");
  Fixture() { std::ofstream(ca_file) << test_ca().cert_pem(); }

  HttpClientOptions options() const {
    HttpClientOptions options;
    options.ca_file = ca_file;
    options.no_proxy = "*";
    options.connect_timeout = 3s;
    options.read_timeout = 3s;
    options.total_timeout = 8s;
    return options;
  }
};

FakePeerOptions tls_peer(TestCertificate certificate = test_ca().issue_localhost()) {
  FakePeerOptions options;
  options.certificate = std::move(certificate);
  return options;
}

// Sends and waits; fails the test when no answer comes within `limit`.
HttpResponse fetch(HttpClient& client, OutboundRequest request, std::chrono::milliseconds limit = 20s) {
  auto promise = std::make_shared<std::promise<HttpResponse>>();
  auto answer = promise->get_future();
  client.send(std::move(request), [promise](HttpResponse response) { promise->set_value(std::move(response)); });
  REQUIRE(answer.wait_for(limit) == std::future_status::ready);
  return answer.get();
}

OutboundRequest get(const std::string& url) {
  OutboundRequest request;
  request.method = "GET";
  request.url = url;
  return request;
}

// Polls `condition` until it holds or `limit` passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 5s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// A loopback port with nobody listening on it.
unsigned short closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();  // closed when `acceptor` goes
}

}  // namespace

TEST_CASE("HTTPS GET and POST round trip against the test CA", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/v1/info", {200, {{"Content-Type", "application/json"}, {"X-Trace", "t-1"}}, R"({"ok":true})"});
  peer.on("/v1/send", {201, {}, "created"});
  BeastHttpClient client(fixture.options());

  SECTION("GET by host name") {
    const auto response = fetch(client, get(peer.url("/v1/info?lang=en", "localhost")));
    INFO(response.body);
    CHECK(response.status == 200);
    CHECK(response.body == R"({"ok":true})");
    CHECK(response.header("content-type") == "application/json");
    CHECK(response.header("x-trace") == "t-1");
    const auto seen = peer.requests();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].method == "GET");
    CHECK(seen[0].target == "/v1/info?lang=en");
    CHECK(seen[0].header("host") == "localhost:" + std::to_string(peer.port()));
    CHECK(seen[0].header("user-agent") == "slabot");
  }

  SECTION("POST by IP address, with headers and a body") {
    OutboundRequest request;
    request.method = "POST";
    request.url = peer.url("/v1/send");
    request.headers = {
        {"Content-Type", "application/json"}, {"Authorization", "Bearer abc"}, {"User-Agent", "custom/1"}};
    request.body = R"({"text":"hello"})";
    const auto response = fetch(client, request);
    INFO(response.body);
    CHECK(response.status == 201);
    CHECK(response.body == "created");
    const auto seen = peer.requests();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].method == "POST");
    CHECK(seen[0].body == request.body);
    CHECK(seen[0].header("content-type") == "application/json");
    CHECK(seen[0].header("content-length") == std::to_string(request.body.size()));
    CHECK(seen[0].header("authorization") == "Bearer abc");
    CHECK(seen[0].header("user-agent") == "custom/1");
  }
}

TEST_CASE("an IPv6 literal URL reaches a peer on ::1", "[http_client]") {
  Fixture fixture;
  std::unique_ptr<FakeHttpsPeer> peer;
  try {
    auto options = tls_peer();
    options.address = "::1";
    peer = std::make_unique<FakeHttpsPeer>(options);
  } catch (const std::exception& e) {
    WARN("no IPv6 loopback here, skipped: " << e.what());
    return;
  }
  BeastHttpClient client(fixture.options());
  const auto response = fetch(client, get(peer->url("/six", "[::1]")));
  INFO(response.body);
  CHECK(response.status == 200);
  CHECK(peer->requests().at(0).header("host") == "[::1]:" + std::to_string(peer->port()));
}

TEST_CASE("plain http:// works for local and internal endpoints", "[http_client]") {
  Fixture fixture;
  FakePeerOptions options;
  options.tls = false;
  FakeHttpsPeer peer(options);
  peer.on("/plain", {200, {}, "plain ok"});
  BeastHttpClient client(fixture.options());
  const auto response = fetch(client, get(peer.url("/plain")));
  CHECK(response.status == 200);
  CHECK(response.body == "plain ok");
}

TEST_CASE("a certificate from an unknown CA is refused", "[http_client]") {
  Fixture fixture;
  const TestCa stranger("some other CA");
  FakeHttpsPeer peer(tls_peer(stranger.issue_localhost()));
  BeastHttpClient client(fixture.options());
  const auto response = fetch(client, get(peer.url("/", "localhost")));
  INFO(response.body);
  CHECK(response.status == 0);
  CHECK(contains(response.body, "certificate"));
  CHECK(peer.requests().empty());
}

TEST_CASE("a certificate for another name is refused", "[http_client]") {
  Fixture fixture;
  BeastHttpClient client(fixture.options());

  SECTION("a name-only certificate, reached by IP address") {
    FakeHttpsPeer peer(tls_peer(test_ca().issue("localhost", {"localhost"}, {})));
    const auto refused = fetch(client, get(peer.url("/", "127.0.0.1")));
    INFO(refused.body);
    CHECK(refused.status == 0);
    CHECK(contains(refused.body, "certificate"));
    CHECK(contains(refused.body, "IP address mismatch"));
    // The same certificate is fine under the name it was issued for.
    const auto accepted = fetch(client, get(peer.url("/", "localhost")));
    INFO(accepted.body);
    CHECK(accepted.status == 200);
    CHECK(peer.requests().size() == 1);
  }

  SECTION("a certificate for another host name") {
    FakeHttpsPeer peer(tls_peer(test_ca().issue("example.test", {"example.test"}, {})));
    const auto refused = fetch(client, get(peer.url("/", "localhost")));
    INFO(refused.body);
    CHECK(refused.status == 0);
    CHECK(contains(refused.body, "certificate"));
    CHECK(contains(refused.body, "hostname mismatch"));
    CHECK(peer.requests().empty());
  }
}

TEST_CASE("kept-alive connections are reused", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  BeastHttpClient client(fixture.options());

  CHECK(fetch(client, get(peer.url("/one"))).status == 200);
  CHECK(fetch(client, get(peer.url("/two"))).status == 200);
  CHECK(fetch(client, get(peer.url("/three"))).status == 200);
  CHECK(peer.connections_accepted() == 1);
  const auto seen = peer.requests();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].connection == seen[2].connection);

  SECTION("but not after the server said Connection: close") {
    peer.enqueue({200, {{"Connection", "close"}}, "bye"});
    CHECK(fetch(client, get(peer.url("/closing"))).body == "bye");
    CHECK(fetch(client, get(peer.url("/after"))).status == 200);
    CHECK(peer.connections_accepted() == 2);
  }
}

TEST_CASE("a kept-alive connection the server closed is retried on a fresh one", "[http_client]") {
  Fixture fixture;
  BeastHttpClient client(fixture.options());

  SECTION("closed while idle (TLS)") {
    FakeHttpsPeer peer(tls_peer());
    CHECK(fetch(client, get(peer.url("/first"))).status == 200);
    peer.close_idle_connections();
    LogCapture log;
    const auto response = fetch(client, get(peer.url("/second")));
    INFO(response.body);
    CHECK(response.status == 200);
    CHECK(contains(log.text(), "retrying on a new one"));
    CHECK(peer.connections_accepted() == 2);
    CHECK(peer.requests().size() == 2);
  }

  SECTION("closed right after an answer (plain)") {
    FakePeerOptions options;
    options.tls = false;
    FakeHttpsPeer peer(options);
    peer.enqueue({200, {}, "first", 0ms, false, true});
    CHECK(fetch(client, get(peer.url("/first"))).body == "first");
    std::this_thread::sleep_for(50ms);  // the FIN arrives while the connection sits in the pool
    OutboundRequest post;
    post.url = peer.url("/second");
    post.body = "payload";
    const auto response = fetch(client, post);
    INFO(response.body);
    CHECK(response.status == 200);
    CHECK(peer.connections_accepted() == 2);
    const auto seen = peer.requests();
    REQUIRE(seen.size() == 2);
    CHECK(seen[1].body == "payload");
  }
}

TEST_CASE("a fresh connection that fails is not retried", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/drop", {200, {}, "", 0ms, true});
  BeastHttpClient client(fixture.options());
  const auto response = fetch(client, get(peer.url("/drop")));
  INFO(response.body);
  CHECK(response.status == 0);
  CHECK(peer.requests().size() == 1);
}

TEST_CASE("a slow server times out without holding up other requests", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/slow", {200, {}, "late", 10s});
  peer.on("/fast", {200, {}, "quick"});
  auto options = fixture.options();
  options.read_timeout = 1500ms;
  BeastHttpClient client(options);  // one thread: nothing may block it

  const auto started = std::chrono::steady_clock::now();
  auto slow = std::make_shared<std::promise<HttpResponse>>();
  auto slow_answer = slow->get_future();
  client.send(get(peer.url("/slow")), [slow](HttpResponse r) { slow->set_value(std::move(r)); });
  REQUIRE(peer.wait_for_requests(1, 5s));

  // Answered while the slow request still waits for its deadline.
  const auto fast = fetch(client, get(peer.url("/fast")));
  CHECK(fast.status == 200);
  CHECK(fast.body == "quick");
  CHECK(slow_answer.wait_for(0s) == std::future_status::timeout);

  REQUIRE(slow_answer.wait_for(5s) == std::future_status::ready);
  const auto timed_out = slow_answer.get();
  const auto slow_elapsed = std::chrono::steady_clock::now() - started;
  INFO(timed_out.body);
  CHECK(timed_out.status == 0);
  CHECK(contains(timed_out.body, "read timeout"));
  CHECK(slow_elapsed >= 1400ms);
  CHECK(slow_elapsed < 5s);
}

TEST_CASE("the total deadline bounds the whole request", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/slow", {200, {}, "late", 5s});
  auto options = fixture.options();
  options.read_timeout = 4s;
  options.total_timeout = 400ms;
  BeastHttpClient client(options);
  const auto started = std::chrono::steady_clock::now();
  const auto response = fetch(client, get(peer.url("/slow")));
  INFO(response.body);
  CHECK(response.status == 0);
  CHECK(contains(response.body, "total timeout"));
  CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("a response over max_response_bytes is refused", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/big", {200, {}, std::string(5000, 'x')});
  peer.on("/small", {200, {}, std::string(1000, 'y')});
  auto options = fixture.options();
  options.max_response_bytes = 1000;
  BeastHttpClient client(options);
  const auto big = fetch(client, get(peer.url("/big")));
  CHECK(big.status == 0);
  CHECK(contains(big.body, "response too large"));
  const auto small = fetch(client, get(peer.url("/small")));
  CHECK(small.status == 200);
  CHECK(small.body.size() == 1000);
}

TEST_CASE("a refused connection is status 0", "[http_client]") {
  Fixture fixture;
  BeastHttpClient client(fixture.options());
  const auto port = std::to_string(closed_port());
  for (const std::string& url : {"http://127.0.0.1:" + port + "/", "https://127.0.0.1:" + port + "/"}) {
    const auto response = fetch(client, get(url));
    INFO(url << ": " << response.body);
    CHECK(response.status == 0);
    CHECK(contains(response.body, "refused"));
  }
}

TEST_CASE("bad requests are answered status 0 without touching the network", "[http_client]") {
  Fixture fixture;
  BeastHttpClient client(fixture.options());
  for (const char* url :
       {"ftp://example.com/", "not a url", "https://", "https://u:p@h/", "http://[::1/", "https://h:99999/"}) {
    const auto response = fetch(client, get(url));
    INFO(url << ": " << response.body);
    CHECK(response.status == 0);
    CHECK(contains(response.body, "bad URL"));
  }
  OutboundRequest injected = get("http://127.0.0.1:1/");
  injected.headers = {{"X-Note", "a\r\nX-Evil: 1"}};
  CHECK(contains(fetch(client, injected).body, "bad header"));
  OutboundRequest bad_method = get("http://127.0.0.1:1/");
  bad_method.method = "GE T";
  CHECK(contains(fetch(client, bad_method).body, "bad method"));
}

TEST_CASE("done runs once, on the client's thread, never inside send", "[http_client]") {
  Fixture fixture;
  BeastHttpClient client(fixture.options());
  std::atomic<int> calls{0};
  std::thread::id caller = std::this_thread::get_id();
  std::promise<std::thread::id> ran_on;
  auto ran = ran_on.get_future();
  client.send(get("not a url"), [&](HttpResponse) {
    if (++calls == 1) ran_on.set_value(std::this_thread::get_id());
  });
  REQUIRE(ran.wait_for(5s) == std::future_status::ready);
  // Another thread than send's caller: never inside send. (A flag cleared after send returned
  // raced the client's thread, which may answer a bad URL before the caller runs on.)
  CHECK(ran.get() != caller);
  std::this_thread::sleep_for(50ms);
  CHECK(calls == 1);
}

TEST_CASE("requests still in flight are answered when the client goes", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/slow", {200, {}, "late", 5s});
  auto promise = std::make_shared<std::promise<HttpResponse>>();
  auto answer = promise->get_future();
  const auto started = std::chrono::steady_clock::now();
  {
    BeastHttpClient client(fixture.options());
    client.send(get(peer.url("/slow")), [promise](HttpResponse r) { promise->set_value(std::move(r)); });
    REQUIRE(peer.wait_for_requests(1, 5s));
  }
  REQUIRE(answer.wait_for(0s) == std::future_status::ready);
  const auto response = answer.get();
  CHECK(response.status == 0);
  CHECK(response.body == "client stopped");
  CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("a client that gives up waiting at shutdown tears down what is left safely", "[http_client]") {
  // The one thread is held by a slow completion callback while another request waits on a
  // silent server, and the stop wait is shorter than the callback: the waiting request's frame
  // is destroyed with the event loop, and its clean-up uses the pool's lock and sets. Those must
  // still exist then (they are declared before the event loop). Without that, this is a use
  // after destruction that the sanitizers report (issue 10 runs the suite under them).
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/silent", {200, {}, "late", 5s});
  auto options = fixture.options();
  options.threads = 1;
  options.stop_wait = 50ms;
  std::atomic<bool> slow_callback_running{false};
  std::atomic<int> silent_answers{0};
  {
    BeastHttpClient client(options);
    client.send(get(peer.url("/silent")), [&](HttpResponse) { ++silent_answers; });
    REQUIRE(peer.wait_for_requests(1, 5s));
    client.send(get(peer.url("/fast")), [&](HttpResponse) {
      slow_callback_running = true;
      std::this_thread::sleep_for(1s);  // far past the stop wait, however slow this machine
    });
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (!slow_callback_running && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
    REQUIRE(slow_callback_running);
  }
  // The abandoned request was dropped unanswered (the stop wait had passed), and nothing crashed
  // on the way out.
  CHECK(silent_answers == 0);
}

TEST_CASE("429 with Retry-After comes back intact", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/limited", {429,
                       {{"Retry-After", "7"}, {"X-RateLimit-Remaining", "0"}, {"Vary", "A"}, {"Vary", "B"}},
                       R"({"error":"slow down"})"});
  BeastHttpClient client(fixture.options());
  const auto response = fetch(client, get(peer.url("/limited")));
  CHECK(response.status == 429);
  CHECK(response.header("retry-after") == "7");
  CHECK(response.header("x-ratelimit-remaining") == "0");
  CHECK(response.header("vary") == "A, B");
  CHECK(response.headers.count("Retry-After") == 0);
  CHECK(response.body == R"({"error":"slow down"})");
}

TEST_CASE("https goes through a CONNECT proxy unless no_proxy says otherwise", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/via", {200, {}, "tunnelled"});
  FakeConnectProxy proxy("Basic " + base64_encode("bot:p@ss"));
  auto options = fixture.options();
  options.https_proxy = "http://bot:p%40ss@127.0.0.1:" + std::to_string(proxy.port());
  options.no_proxy = "example.com";  // not the fixture's "*"; set, so the environment's is unused
  const std::string peer_authority = "localhost:" + std::to_string(peer.port());

  SECTION("through the tunnel, TLS end to end, the connection reused") {
    options.no_proxy = "example.com,.internal";  // suffixes that do not cover localhost
    BeastHttpClient client(options);
    auto response = fetch(client, get(peer.url("/via", "localhost")));
    INFO(response.body);
    CHECK(response.status == 200);
    CHECK(response.body == "tunnelled");
    response = fetch(client, get(peer.url("/via", "localhost")));
    CHECK(response.status == 200);
    CHECK(proxy.connect_targets() == std::vector<std::string>{peer_authority});
    CHECK(proxy.authorizations() == std::vector<std::string>{"Basic " + base64_encode("bot:p@ss")});
    CHECK(proxy.tunnels() == 1);
    CHECK(peer.requests().size() == 2);
    // The target's certificate is still checked through the tunnel.
    const TestCa stranger("other CA");
    FakeHttpsPeer impostor(tls_peer(stranger.issue_localhost()));
    const auto refused = fetch(client, get(impostor.url("/", "localhost")));
    CHECK(refused.status == 0);
    CHECK(contains(refused.body, "certificate"));
  }

  SECTION("wrong proxy credentials") {
    options.https_proxy = "http://bot:wrong@127.0.0.1:" + std::to_string(proxy.port());
    BeastHttpClient client(options);
    const auto response = fetch(client, get(peer.url("/via", "localhost")));
    INFO(response.body);
    CHECK(response.status == 0);
    CHECK(contains(response.body, "407"));
    CHECK(peer.requests().empty());
  }

  SECTION("a no_proxy host goes direct") {
    options.no_proxy = "example.com, LOCALHOST:443";
    BeastHttpClient client(options);
    const auto response = fetch(client, get(peer.url("/via", "localhost")));
    CHECK(response.status == 200);
    CHECK(proxy.connect_targets().empty());
  }

  SECTION("plain http never goes through the https proxy") {
    FakePeerOptions plain;
    plain.tls = false;
    FakeHttpsPeer internal(plain);
    BeastHttpClient client(options);
    CHECK(fetch(client, get(internal.url("/"))).status == 200);
    CHECK(proxy.connect_targets().empty());
  }
}

TEST_CASE("configuration mistakes show at construction", "[http_client]") {
  Fixture fixture;
  auto options = fixture.options();
  options.ca_file = fixture.dir.file("missing.pem");
  CHECK_THROWS_AS(BeastHttpClient(options), std::runtime_error);
  options = fixture.options();
  options.https_proxy = "socks5://127.0.0.1:1080";
  CHECK_THROWS_AS(BeastHttpClient(options), std::runtime_error);
}

TEST_CASE("debug logs carry no secrets", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/bot123456:SECRETTOKEN/sendMessage", {200, {{"Set-Cookie", "session=COOKIESECRET"}}, "{}"});

  std::string text;
  {
    LogCapture log;
    BeastHttpClient client(fixture.options());
    OutboundRequest request;
    request.url = peer.url("/bot123456:SECRETTOKEN/sendMessage?access_token=QUERYSECRET&chat_id=42");
    request.headers = {{"Authorization", "Bearer HEADERSECRET"}, {"X-Telegram-Bot-Api-Secret-Token", "TGSECRET"}};
    request.body = R"({"text":"BODYTEXT"})";
    CHECK(fetch(client, request).status == 200);
    text = log.text();
  }
  INFO(text);
  CHECK(contains(text, "/bot***/sendMessage?access_token=***&chat_id=42"));
  CHECK(contains(text, "<- 200"));
  for (const char* secret : {"SECRETTOKEN", "QUERYSECRET", "HEADERSECRET", "TGSECRET", "COOKIESECRET", "BODYTEXT"}) {
    CHECK_FALSE(contains(text, secret));
  }
}

TEST_CASE("idle connections expire and the pool keeps at most max_idle_per_host", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/wait", {200, {}, "done", 300ms});
  auto options = fixture.options();
  options.max_idle_per_host = 1;
  options.idle_timeout = 400ms;
  BeastHttpClient client(options);

  // Three at once need three connections; afterwards only one stays open, until it expires.
  std::vector<std::future<HttpResponse>> answers;
  for (int i = 0; i < 3; ++i) {
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    answers.push_back(promise->get_future());
    client.send(get(peer.url("/wait")), [promise](HttpResponse r) { promise->set_value(std::move(r)); });
  }
  for (auto& answer : answers) {
    REQUIRE(answer.wait_for(10s) == std::future_status::ready);
    CHECK(answer.get().status == 200);
  }
  CHECK(peer.connections_accepted() == 3);
  CHECK(eventually([&] { return peer.connections_open() == 1; }, 300ms));
  CHECK(eventually([&] { return peer.connections_open() == 0; }, 3s));
}

TEST_CASE("many concurrent requests on several threads", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  peer.on("/echo", {200, {}, "ok", 20ms});
  auto options = fixture.options();
  options.threads = 2;
  BeastHttpClient client(options);

  constexpr int rounds = 3;
  constexpr int width = 12;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::future<HttpResponse>> answers;
    for (int i = 0; i < width; ++i) {
      auto promise = std::make_shared<std::promise<HttpResponse>>();
      answers.push_back(promise->get_future());
      OutboundRequest request;
      request.url = peer.url("/echo?n=" + std::to_string(i));
      request.body = std::to_string(round * width + i);
      client.send(std::move(request), [promise](HttpResponse r) { promise->set_value(std::move(r)); });
    }
    for (auto& answer : answers) {
      REQUIRE(answer.wait_for(20s) == std::future_status::ready);
      const auto response = answer.get();
      INFO(response.body);
      CHECK(response.status == 200);
    }
  }
  CHECK(peer.requests().size() == static_cast<std::size_t>(rounds * width));
  // Kept-alive connections were reused across rounds, however many were opened for one round.
  CHECK(peer.connections_accepted() < static_cast<std::size_t>(rounds * width));
}

TEST_CASE("the proxy comes from the environment when not configured", "[http_client]") {
  Fixture fixture;
  FakeHttpsPeer peer(tls_peer());
  FakeConnectProxy proxy;
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  EnvironmentVariable lower_proxy("https_proxy", nullptr);
  EnvironmentVariable upper_proxy("HTTPS_PROXY", proxy_url.c_str());
  EnvironmentVariable lower_none("no_proxy", nullptr);
  EnvironmentVariable upper_none("NO_PROXY", "example.com");
  auto options = fixture.options();
  options.no_proxy.clear();

  {
    BeastHttpClient client(options);
    CHECK(fetch(client, get(peer.url("/", "localhost"))).status == 200);
    CHECK(proxy.tunnels() == 1);
  }
  {
    EnvironmentVariable bypass("no_proxy", "localhost");  // the lower-case one wins
    BeastHttpClient client(options);
    CHECK(fetch(client, get(peer.url("/", "localhost"))).status == 200);
    CHECK(proxy.tunnels() == 1);
  }
}
