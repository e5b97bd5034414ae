#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include "bot/http/http_server.hpp"
#include "tests/support/log_capture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <thread>
#include <vector>

#include "adapters/crypto.hpp"
#include "adapters/generic/generic_adapter.hpp"

using namespace slabot;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

namespace {

const std::string secret = "test-secret";
const std::string signed_at = "1700000000";
const Timestamp now = from_unix_ms(1700000000LL * 1000);

// Records what it is handed and answers "echo: <text>"; `fail` answers failed=true; `later`
// calls `done` from another thread after `delay`.
class FakeHandler final : public MessageHandler {
 public:
  enum class Mode { echo, fail, later };
  explicit FakeHandler(Mode mode, std::chrono::milliseconds delay = 100ms)
      : mode_(mode), delay_(delay) {}
  ~FakeHandler() override {
    for (auto& thread : threads_) thread.join();
  }

  void handle(InboundMessage message, std::function<void(BotReply)> done) override {
    BotReply reply{"echo: " + message.text, mode_ == Mode::fail};
    std::lock_guard lock(mutex_);
    seen_.push_back(std::move(message));
    if (mode_ == Mode::later) {
      threads_.emplace_back([done = std::move(done), reply, delay = delay_] {
        std::this_thread::sleep_for(delay);
        done(reply);
      });
    } else {
      done(reply);
    }
  }

  std::vector<InboundMessage> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  const Mode mode_;
  const std::chrono::milliseconds delay_;
  mutable std::mutex mutex_;
  std::vector<InboundMessage> seen_;
  std::vector<std::thread> threads_;
};

// The server under test with the generic adapter on connection "main". Members are declared so
// the server goes first: it must not outlive the handler, clock or probe it refers to.
struct Harness {
  explicit Harness(FakeHandler::Mode mode = FakeHandler::Mode::echo, HttpServerOptions options = {},
                   std::chrono::milliseconds handler_delay = 100ms)
      : handler(mode, handler_delay),
        server(options, routes(), handler, clock, [this] { return probe(); }) {
    port = server.start();
  }

  static std::map<std::string, WebhookRoute> routes() {
    Connection connection;
    connection.name = "main";
    connection.adapter = "generic";
    connection.secrets["secret"] = secret;
    return {{"main", WebhookRoute{std::make_shared<GenericAdapter>(connection)}}};
  }

  bool probe() const {
    // Not a std::exception: the router lets it through, so the session itself ends in it.
    if (probe_throws) throw 42;
    return healthy.load();
  }

  ManualClock clock{now};
  FakeHandler handler;
  std::atomic<bool> healthy{true};
  std::atomic<bool> probe_throws{false};
  HttpServer server;
  unsigned short port = 0;
};

// A blocking client. Internally asynchronous with a deadline, because Beast's synchronous calls
// ignore timeouts: a broken server must fail the test, not hang it.
class TestClient {
 public:
  explicit TestClient(unsigned short port) : stream_(io_) {
    stream_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  }

  Response exchange(Request request) {
    stream_.expires_after(10s);
    // Written while the answer is read: on an oversized body the server answers and stops
    // reading, and the answer is what the test is about.
    http::async_write(stream_, request, [](beast::error_code, std::size_t) {});
    return read_response();
  }

  Response read_response() {
    Response response;
    beast::error_code read_error;
    stream_.expires_after(10s);
    http::async_read(stream_, buffer_, response,
                     [&](beast::error_code ec, std::size_t) { read_error = ec; });
    run();
    if (read_error) throw beast::system_error(read_error);
    return response;
  }

  void send_raw(const std::string& bytes) { asio::write(stream_.socket(), asio::buffer(bytes)); }

  // Whether the server sends anything (or closes, or resets) within `limit`; reads nothing, so
  // an answer that comes later can still be read.
  bool readable_within(std::chrono::milliseconds limit) {
    if (buffer_.size() > 0) return true;
    bool readable = false;
    asio::steady_timer timer(io_, limit);
    stream_.socket().async_wait(tcp::socket::wait_read, [&](beast::error_code ec) {
      readable = ec != asio::error::operation_aborted;  // data, a close or a reset
      timer.cancel();
    });
    timer.async_wait([&](beast::error_code ec) {
      if (!ec) stream_.socket().cancel();
    });
    run();
    return readable;
  }

  // Reads up to and including `delimiter`; what follows stays buffered for read_response().
  std::string read_raw_until(const std::string& delimiter) {
    // A std::string buffer: Asio copies a Beast flat_buffer passed to async_read_until.
    std::string raw(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    std::size_t length = 0;
    stream_.expires_after(10s);
    asio::async_read_until(stream_, asio::dynamic_buffer(raw), delimiter,
                           [&](beast::error_code ec, std::size_t n) {
                             if (ec) throw beast::system_error(ec);
                             length = n;
                           });
    run();
    const std::size_t rest = raw.size() - length;
    buffer_.commit(asio::buffer_copy(buffer_.prepare(rest), asio::buffer(raw.data() + length, rest)));
    return raw.substr(0, length);
  }

  // Reads until the server closes the connection or `limit` passes; returns why reading ended.
  beast::error_code wait_for_close(std::chrono::seconds limit) {
    beast::error_code result;
    std::array<char, 1024> scratch;
    stream_.expires_after(limit);
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec,
                                                                       std::size_t) {
      if (ec) {
        result = ec;
        return;
      }
      stream_.async_read_some(asio::buffer(scratch), on_read);
    };
    stream_.async_read_some(asio::buffer(scratch), on_read);
    run();
    return result;
  }

 private:
  void run() {
    io_.restart();
    io_.run();
  }

  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

std::string message_body(const std::string& text, const std::string& event_id = "e1") {
  return nlohmann::json{{"event_id", event_id},
                        {"chat_id", "c1"},
                        {"user_id", "u1"},
                        {"user_name", "Ann"},
                        {"text", text}}
      .dump();
}

Request webhook(const std::string& body, const std::string& ts = signed_at,
                const std::string& key = secret, const std::string& target = "/hooks/main") {
  Request request{http::verb::post, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.set("X-Slabot-Timestamp", ts);
  request.set("X-Slabot-Signature", "sha256=" + hex_encode(hmac_sha256(key, ts + "." + body)));
  request.body() = body;
  request.prepare_payload();
  return request;
}

Request get(const std::string& target) {
  Request request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1");
  return request;
}

Response send(unsigned short port, Request request) {
  return TestClient(port).exchange(std::move(request));
}

nlohmann::json json_of(const Response& response) { return nlohmann::json::parse(response.body()); }

// Polls `condition` until it holds or `limit` passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 5s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

using testing::LogCapture;

const std::string healthz_raw = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// Connects `count` clients that send nothing, and waits until the server has accepted them all.
std::vector<std::unique_ptr<TestClient>> open_idle(Harness& harness, std::size_t count) {
  std::vector<std::unique_ptr<TestClient>> clients;
  for (std::size_t i = 0; i < count; ++i) {
    clients.push_back(std::make_unique<TestClient>(harness.port));
  }
  CHECK(eventually([&] { return harness.server.open_connections() == count; }));
  return clients;
}

}  // namespace

TEST_CASE("http: /healthz follows the health probe", "[http]") {
  Harness harness;
  auto response = send(harness.port, get("/healthz"));
  CHECK(response.result_int() == 200);
  CHECK(response[http::field::content_type] == "application/json");
  CHECK(json_of(response) == nlohmann::json{{"status", "ok"}});

  harness.healthy = false;
  response = send(harness.port, get("/healthz"));
  CHECK(response.result_int() == 503);
  CHECK(json_of(response) == nlohmann::json{{"status", "unavailable"}});
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
  SECTION("stale timestamp: 401") {
    CHECK(send(harness.port, webhook(body, "1699999000")).result_int() == 401);
  }
  SECTION("future timestamp: 401") {
    CHECK(send(harness.port, webhook(body, "1700001000")).result_int() == 401);
  }
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
    CHECK(send(harness.port, webhook(body, signed_at, secret, "/hooks/main/x")).result_int() ==
          404);
  }
  SECTION("other paths: 404; wrong methods: 405") {
    CHECK(send(harness.port, get("/")).result_int() == 404);
    CHECK(send(harness.port, get("/hooksmain")).result_int() == 404);
    CHECK(send(harness.port, get("/hooks/main")).result_int() == 401);  // GET reaches the adapter, unsigned
    CHECK(send(harness.port, webhook(body, signed_at, secret, "/healthz")).result_int() == 405);
  }
  CHECK(harness.handler.seen().empty());
}

TEST_CASE("http: bodies over 64 KiB are refused with 413 before the handler", "[http]") {
  Harness harness;
  const std::string big(64 * 1024 + 1, 'x');

  SECTION("declared by Content-Length") {
    CHECK(send(harness.port, webhook(big)).result_int() == 413);
  }
  SECTION("chunked") {
    Request request = webhook(big);
    request.chunked(true);
    CHECK(send(harness.port, request).result_int() == 413);
  }
  SECTION("a lying Content-Length far beyond the limit, with no body at all") {
    TestClient client(harness.port);
    client.send_raw(
        "POST /hooks/main HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
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
  options.read_timeout = 30s;  // long enough that only concurrency can explain a quick answer
  Harness harness(FakeHandler::Mode::echo, options);

  TestClient silent(harness.port);  // connects, sends nothing
  TestClient half_header(harness.port);
  half_header.send_raw("POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");
  TestClient half_body(harness.port);
  half_body.send_raw(
      "POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"event_id\"");

  const auto started = std::chrono::steady_clock::now();
  CHECK(send(harness.port, get("/healthz")).result_int() == 200);
  CHECK(send(harness.port, webhook(message_body("still here"))).result_int() == 200);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(harness.handler.seen().size() == 1);
}

TEST_CASE("http: a stalled request is dropped after read_timeout", "[http]") {
  HttpServerOptions options;
  options.read_timeout = 1s;
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
      } catch (const std::exception&) {
      }
    });
  }
  for (auto& client : clients) client.join();
  CHECK(ok == 30);
  CHECK(harness.handler.seen().size() == 30);
}

TEST_CASE("http: at max_connections new connections wait until one closes", "[http]") {
  HttpServerOptions options;
  options.max_connections = 4;
  options.read_timeout = 30s;  // no idle connection is dropped while the test runs
  LogCapture log;
  {
    Harness harness(FakeHandler::Mode::echo, options);
    auto idle = open_idle(harness, 4);

    // The kernel completes the handshake and holds the request; the server does not take it.
    TestClient waiting(harness.port);
    waiting.send_raw(healthz_raw);
    CHECK_FALSE(waiting.readable_within(300ms));
    CHECK(harness.server.open_connections() == 4);
    for (auto& client : idle) CHECK_FALSE(client->readable_within(10ms));  // none was closed

    // One closes: the waiting client is accepted and its request, sent long ago, answered.
    idle.pop_back();
    const Response late = waiting.read_response();
    CHECK(late.result_int() == 200);
    CHECK(late.keep_alive());
    CHECK(harness.server.open_connections() == 4);  // three idle and `waiting`, kept alive

    // Still at the cap, and still refusing: no slot was handed out twice.
    TestClient sixth(harness.port);
    sixth.send_raw(healthz_raw);
    CHECK_FALSE(sixth.readable_within(200ms));
    idle.clear();
    CHECK(sixth.read_response().result_int() == 200);
    CHECK(send(harness.port, get("/healthz")).result_int() == 200);
    harness.server.stop();
  }
  // Reaching the cap twice is one warning; the second pause is at debug level.
  CHECK(log.count("the max_connections cap") == 1);
  CHECK(log.count("accepting paused") >= 1);
}

TEST_CASE("http: connection slots never leak, however connections end", "[http]") {
  HttpServerOptions options;
  options.max_connections = 4;
  options.read_timeout = 30s;  // every release below is the path under test, not a timeout
  options.threads = GENERATE(1, 2);  // with two, slots free on one thread and wake the other
  LogCapture quiet;             // keeps the 33 thrown sessions' warnings out of the test output
  Harness harness(FakeHandler::Mode::echo, options);
  harness.probe_throws = true;  // GET /healthz ends its session in an exception

  // 50 rounds of 4 connections at once: the cap is reached, and accepting paused and resumed,
  // in every round. Each connection ends one of six ways.
  int event = 0;
  for (int round = 0; round < 50; ++round) {
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
          client.send_raw("POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");
          break;
        case 4:  // refused with 413, then lingered on
          client.send_raw(
              "POST /hooks/main HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
          CHECK(client.read_raw_until("\r\n").starts_with("HTTP/1.1 413"));
          break;
        case 5:  // the session throws and the server drops the connection
          client.send_raw(healthz_raw);
          CHECK(client.wait_for_close(5s) != beast::error::timeout);
          break;
      }
    }
  }
  CHECK(harness.handler.seen().size() == 67);  // cases 1 and 2: 34 and 33 of the 200
  CHECK(eventually([&] { return harness.server.open_connections() == 0; }));

  // Exactly four fit: all four are served while open together, and a fifth still waits.
  harness.probe_throws = false;
  auto four = open_idle(harness, 4);
  for (auto& client : four) CHECK(client->exchange(get("/healthz")).result_int() == 200);
  TestClient fifth(harness.port);
  fifth.send_raw(healthz_raw);
  CHECK_FALSE(fifth.readable_within(200ms));
  four.clear();
  CHECK(fifth.read_response().result_int() == 200);
}

TEST_CASE("http: stop() at the cap, with a client waiting in the backlog, is prompt", "[http]") {
  HttpServerOptions options;
  options.max_connections = 2;
  options.read_timeout = 30s;
  Harness harness(FakeHandler::Mode::echo, options);
  auto idle = open_idle(harness, 2);
  TestClient waiting(harness.port);
  waiting.send_raw(healthz_raw);
  CHECK_FALSE(waiting.readable_within(100ms));

  const auto started = std::chrono::steady_clock::now();
  harness.server.stop();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(waiting.readable_within(2s));  // the listening socket closed: refused, not left hanging
}

TEST_CASE("http: max_connections must be at least 1", "[http]") {
  HttpServerOptions options;
  options.max_connections = 0;
  FakeHandler handler(FakeHandler::Mode::echo);
  ManualClock clock{now};
  CHECK_THROWS_AS(HttpServer(options, Harness::routes(), handler, clock, [] { return true; }),
                  std::invalid_argument);
}
