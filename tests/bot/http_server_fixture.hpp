#pragma once
// What the HTTP server's tests share: a fake MessageHandler, the server on loopback with the
// generic adapter, and a blocking client with deadlines.
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/http/http_server.hpp"

namespace slabot::testing {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

inline const std::string secret = "test-secret";
inline const std::string signed_at = "1700000000";
inline const Timestamp now = from_unix_ms(1700000000LL * 1000);

// Records what it is handed and answers "echo: <text>"; `fail` answers failed=true; `later`
// calls `done` from another thread after `delay`.
class FakeHandler final : public MessageHandler {
 public:
  enum class Mode { echo, fail, later };
  explicit FakeHandler(Mode mode, std::chrono::milliseconds delay = std::chrono::milliseconds(100))
      : mode_(mode), delay_(delay) {}
  ~FakeHandler() override;

  void handle(InboundMessage message, std::function<void(BotReply)> done) override;

  std::vector<InboundMessage> seen() const;

 private:
  const Mode mode_;
  const std::chrono::milliseconds delay_;
  mutable std::mutex mutex_;
  std::vector<InboundMessage> seen_;
  std::vector<std::thread> threads_;
};

// The server under test: the generic adapter on connection "main", and on "throws" an adapter
// whose verify throws something that is not a std::exception (so the session itself ends in
// it). The health probe answers `healthy` and sleeps while `probe_stuck`. Members are declared
// so the server goes first: it must not outlive the handler, clock or probe it refers to.
struct Harness {
  explicit Harness(FakeHandler::Mode mode = FakeHandler::Mode::echo, HttpServerOptions options = {},
                   std::chrono::milliseconds handler_delay = std::chrono::milliseconds(100));

  static std::map<std::string, WebhookRoute> routes();
  bool probe() const;

  ManualClock clock{now};
  FakeHandler handler;
  std::atomic<bool> healthy{true};
  std::atomic<bool> probe_stuck{false};
  HttpServer server;
  unsigned short port = 0;
};

// A blocking client. Internally asynchronous with a deadline, because Beast's synchronous calls
// ignore timeouts: a broken server must fail the test, not hang it.
class TestClient {
 public:
  explicit TestClient(unsigned short port);

  Response exchange(Request request);
  Response read_response();
  void send_raw(const std::string& bytes);
  // Whether the server sends anything (or closes, or resets) within `limit`; reads nothing, so
  // an answer that comes later can still be read.
  bool readable_within(std::chrono::milliseconds limit);
  // Reads up to and including `delimiter`; what follows stays buffered for read_response().
  std::string read_raw_until(const std::string& delimiter);
  // Reads until the server closes the connection or `limit` passes; returns why reading ended.
  boost::beast::error_code wait_for_close(std::chrono::seconds limit);

 private:
  void run();

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

std::string message_body(const std::string& text, const std::string& event_id = "e1");
Request webhook(const std::string& body, const std::string& ts = signed_at, const std::string& key = secret,
                const std::string& target = "/hooks/main");
Request get(const std::string& target);
Response send(unsigned short port, Request request);
nlohmann::json json_of(const Response& response);

// Polls `condition` until it holds or `limit` passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

inline const std::string healthz_raw = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
// Half a request's header: a connection in the middle of a request, never idle.
inline const std::string half_header = "POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le";

// Connects `count` clients that send nothing, and waits until the server has accepted them all
// (`already` connections were open before).
std::vector<std::unique_ptr<TestClient>> open_idle(Harness& harness, std::size_t count, std::size_t already = 0);

}  // namespace slabot::testing
