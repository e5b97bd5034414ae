// Every way a send can get no answer, through the real Beast client and the outbox worker: each
// ends as its own kind (HttpResponse::failure) and its own words in the row's last_error, and
// only a URL that can never work is dead at once. Loopback only.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "adapters/registry.hpp"
#include "bot/http/http_client.hpp"
#include "bot/outbox/outbox_worker.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/fake_https_peer.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_ca.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

const TestCa& trusted_ca() {
  static const TestCa ca("slabot transport test CA");
  return ca;
}

// A loopback TCP server that reads one request header and then does `reply` with the socket:
// a line of garbage, nothing at all, or closing at once.
class RawPeer {
 public:
  explicit RawPeer(std::function<void(tcp::socket&)> reply)
      : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}), reply_(std::move(reply)) {
    thread_ = std::thread([this] {
      for (;;) {
        tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        asio::streambuf header;
        asio::read_until(socket, header, "\r\n\r\n", ec);
        if (!ec) reply_(socket);
        held_.push_back(std::move(socket));  // kept open until the peer goes
      }
    });
  }
  ~RawPeer() {
    stopping_ = true;
    // Wakes the blocking accept.
    tcp::socket poke(io_);
    boost::system::error_code ec;
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/out"; }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::function<void(tcp::socket&)> reply_;
  std::vector<tcp::socket> held_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// A port nothing listens on: bound, then closed.
unsigned short closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

struct Fixture {
  TempDir dir;
  std::string ca_file = dir.file("ca.pem");
  SqliteStore store{{dir.file("outbox.db")}};
  ManualClock clock{kT0};

  Fixture() { std::ofstream(ca_file) << trusted_ca().cert_pem(); }

  HttpClientOptions options() const {
    HttpClientOptions o;
    o.ca_file = ca_file;
    o.no_proxy = "*";
    o.connect_timeout = 2s;
    o.read_timeout = 300ms;
    o.total_timeout = 4s;
    o.max_response_bytes = 1024;
    return o;
  }

  // Queues one message to `url` through a generic connection, sends it once with `http`, and
  // returns its row after the outcome is recorded.
  OutboxRow send_once(HttpClient& http, const std::string& url) {
    OutboxItem item;
    item.message = OutboundMessage{"hooks", "acme", "hello", {}, url};
    item.idempotency_key = "k/" + url;
    REQUIRE(wait_for([&](WriteDone done) { store.enqueue({item}, clock.now(), std::move(done)); }).kind ==
            WriteOutcome::Kind::applied);
    Connection c;
    c.name = "hooks";
    c.adapter = "generic";
    c.secrets["secret"] = "s";
    std::map<std::string, OutboxRoute> routes{{"hooks", {std::shared_ptr<const ChatAdapter>(make_adapter(c)), {}}}};
    OutboxWorker worker(store, clock, http, routes, OutboxSettings{}, [] { return 1.0; });
    REQUIRE(worker.pump(clock.now()).started == 1);
    worker.wait_idle();
    const auto rows = store.list_outbox(OutboxQuery::all, 100);
    REQUIRE(!rows.empty());
    return rows.back();
  }
};

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("transport: a refused connection is 'connect', retried", "[transport]") {
  Fixture f;
  BeastHttpClient http(f.options());
  const auto row = f.send_once(http, "http://127.0.0.1:" + std::to_string(closed_port()) + "/out");
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 1);
  CHECK(starts_with(row.last_error, "connect: connecting to 127.0.0.1:"));
  CHECK(row.last_error.find("refused") != std::string::npos);
}

TEST_CASE("transport: a certificate that does not verify is 'TLS' with OpenSSL's reason", "[transport]") {
  Fixture f;
  const TestCa stranger("a CA nobody trusts");
  FakePeerOptions options;
  options.certificate = stranger.issue_localhost();
  FakeHttpsPeer peer(options);
  BeastHttpClient http(f.options());
  const auto row = f.send_once(http, peer.url("/out"));
  CHECK(row.status == OutboxStatus::pending);
  CHECK(starts_with(row.last_error, "TLS: TLS handshake with 127.0.0.1:"));
  CHECK(row.last_error.find("(certificate: unable to get local issuer certificate)") != std::string::npos);
}

TEST_CASE("transport: no answer within the deadline is 'timeout'", "[transport]") {
  Fixture f;
  RawPeer silent([](tcp::socket&) {});
  BeastHttpClient http(f.options());
  const auto row = f.send_once(http, silent.url());
  CHECK(row.status == OutboxStatus::pending);
  CHECK(starts_with(row.last_error, "timeout: read timeout (300 ms) reading the response from 127.0.0.1:"));
}

TEST_CASE("transport: an answer that is not HTTP is 'malformed answer'", "[transport]") {
  Fixture f;
  RawPeer garbage([](tcp::socket& s) { asio::write(s, asio::buffer(std::string("HELLO THERE\r\n\r\n"))); });
  BeastHttpClient http(f.options());
  const auto row = f.send_once(http, garbage.url());
  CHECK(row.status == OutboxStatus::pending);
  CHECK(starts_with(row.last_error, "malformed answer: reading the response from 127.0.0.1:"));
}

TEST_CASE("transport: a connection closed before any answer is 'connection lost'", "[transport]") {
  Fixture f;
  RawPeer closer([](tcp::socket& s) { s.close(); });
  BeastHttpClient http(f.options());
  const auto row = f.send_once(http, closer.url());
  CHECK(row.status == OutboxStatus::pending);
  CHECK(starts_with(row.last_error, "connection lost: reading the response from 127.0.0.1:"));
}

TEST_CASE("transport: an answer over the size limit is 'too large'", "[transport]") {
  Fixture f;
  RawPeer big([](tcp::socket& s) {
    asio::write(s, asio::buffer("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x')));
  });
  BeastHttpClient http(f.options());
  const auto row = f.send_once(http, big.url());
  CHECK(row.status == OutboxStatus::pending);
  CHECK(starts_with(row.last_error, "too large: response too large: the body from 127.0.0.1:"));
}

TEST_CASE("transport: an HTTPS proxy that refuses the connection is 'proxy'", "[transport]") {
  Fixture f;
  auto options = f.options();
  options.https_proxy = "http://127.0.0.1:" + std::to_string(closed_port());
  options.no_proxy = "";
  BeastHttpClient http(options);
  const auto row = f.send_once(http, "https://chat.example/out");
  CHECK(row.status == OutboxStatus::pending);
  CHECK(starts_with(row.last_error, "proxy: connecting to proxy 127.0.0.1:"));
}

TEST_CASE("transport: a URL that can never work is dead at once, saying why", "[transport]") {
  Fixture f;
  BeastHttpClient http(f.options());
  const auto row = f.send_once(http, "ftp://chat.example/out");
  CHECK(row.status == OutboxStatus::dead);
  CHECK(row.last_error == "bad request: bad URL: unsupported scheme 'ftp' (only http and https)");
}

TEST_CASE("transport: a host name that does not resolve is 'DNS'", "[transport]") {
  Fixture f;
  BeastHttpClient http(f.options());
  // RFC 6761: .invalid never resolves. Offline machines answer at once; one whose resolver
  // waits for an unreachable server may time out instead, which says nothing about this rule.
  const auto row = f.send_once(http, "http://slabot-test.invalid/out");
  CHECK(row.status == OutboxStatus::pending);
  if (starts_with(row.last_error, "timeout:")) {
    WARN("skipped: this machine's resolver did not answer within 2 s (" << row.last_error << ")");
    return;
  }
  CHECK(starts_with(row.last_error, "DNS: cannot resolve slabot-test.invalid"));
}

TEST_CASE("transport: a request in flight when the client goes is 'stopped' and counts for nothing", "[transport]") {
  Fixture f;
  RawPeer silent([](tcp::socket&) {});
  auto options = f.options();
  options.read_timeout = 10s;
  options.total_timeout = 10s;
  auto http = std::make_unique<BeastHttpClient>(options);
  std::promise<HttpResponse> answered;
  OutboundRequest request;
  request.url = silent.url();
  http->send(request, [&answered](HttpResponse r) { answered.set_value(std::move(r)); });
  std::this_thread::sleep_for(100ms);  // connected and waiting for the answer
  http.reset();
  const HttpResponse response = answered.get_future().get();
  CHECK(response.status == 0);
  CHECK(response.failure == TransportFailure::stopped);
  CHECK(response.body == "client stopped");
}
