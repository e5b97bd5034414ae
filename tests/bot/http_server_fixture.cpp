#include "tests/bot/http_server_fixture.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <catch2/catch.hpp>

#include "adapters/crypto.hpp"
#include "adapters/generic/generic_adapter.hpp"

namespace slabot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// Throws 42 from verify: the router lets anything but a std::exception through, so the session
// coroutine itself ends in it. Nothing else is ever called.
class ThrowingAdapter final : public ChatAdapter {
 public:
  std::string adapter_name() const override { return "throwing"; }
  VerifyResult verify(const HttpRequest&, Timestamp) const override { throw 42; }
  ParseOutcome parse(const HttpRequest&) const override { return Rejected{400, "unused"}; }
  HttpAnswer sync_reply(const InboundMessage&, const std::string&) const override { return {}; }
  OutboundRequest render(const OutboundMessage&, Timestamp) const override { return {}; }
  DeliveryResult interpret(const HttpResponse&) const override { return Delivered{}; }
  RateLimit rate_limit() const override { return {1, std::chrono::minutes(1)}; }
};

}  // namespace

FakeHandler::~FakeHandler() {
  for (auto& thread : threads_) thread.join();
}

void FakeHandler::handle(InboundMessage message, std::function<void(BotReply)> done) {
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

std::vector<InboundMessage> FakeHandler::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

namespace {
// The probe runs every 20 ms here, so a test sees a change of health within a few of them.
HttpServerOptions quick_health(HttpServerOptions options) {
  options.health_every = 20ms;
  return options;
}
}  // namespace

Harness::Harness(FakeHandler::Mode mode, HttpServerOptions options, std::chrono::milliseconds handler_delay)
    : handler(mode, handler_delay),
      server(quick_health(options), routes(), handler, clock, [this] { return probe(); }) {
  port = server.start();
}

std::map<std::string, WebhookRoute> Harness::routes() {
  Connection connection;
  connection.name = "main";
  connection.adapter = "generic";
  connection.secrets["secret"] = secret;
  return {{"main", WebhookRoute{std::make_shared<GenericAdapter>(connection)}},
          {"throws", WebhookRoute{std::make_shared<ThrowingAdapter>()}}};
}

bool Harness::probe() const {
  while (probe_stuck.load()) std::this_thread::sleep_for(5ms);  // a database that does not answer
  return healthy.load();
}

TestClient::TestClient(unsigned short port) : stream_(io_) {
  stream_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
}

Response TestClient::exchange(Request request) {
  stream_.expires_after(10s);
  // Written while the answer is read: on an oversized body the server answers and stops
  // reading, and the answer is what the test is about.
  http::async_write(stream_, request, [](beast::error_code, std::size_t) {});
  return read_response();
}

Response TestClient::read_response() {
  Response response;
  beast::error_code read_error;
  stream_.expires_after(10s);
  http::async_read(stream_, buffer_, response, [&](beast::error_code ec, std::size_t) { read_error = ec; });
  run();
  if (read_error) throw beast::system_error(read_error);
  return response;
}

void TestClient::send_raw(const std::string& bytes) { asio::write(stream_.socket(), asio::buffer(bytes)); }

bool TestClient::readable_within(std::chrono::milliseconds limit) {
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

std::string TestClient::read_raw_until(const std::string& delimiter) {
  // A std::string buffer: Asio copies a Beast flat_buffer passed to async_read_until.
  std::string raw(beast::buffers_to_string(buffer_.data()));
  buffer_.consume(buffer_.size());
  std::size_t length = 0;
  stream_.expires_after(10s);
  asio::async_read_until(stream_, asio::dynamic_buffer(raw), delimiter, [&](beast::error_code ec, std::size_t n) {
    if (ec) throw beast::system_error(ec);
    length = n;
  });
  run();
  const std::size_t rest = raw.size() - length;
  buffer_.commit(asio::buffer_copy(buffer_.prepare(rest), asio::buffer(raw.data() + length, rest)));
  return raw.substr(0, length);
}

beast::error_code TestClient::wait_for_close(std::chrono::seconds limit) {
  beast::error_code result;
  std::array<char, 1024> scratch;
  stream_.expires_after(limit);
  std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec, std::size_t) {
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

void TestClient::run() {
  io_.restart();
  io_.run();
}

std::string message_body(const std::string& text, const std::string& event_id) {
  return nlohmann::json{
      {"event_id", event_id}, {"chat_id", "c1"}, {"user_id", "u1"}, {"user_name", "Ann"}, {"text", text}}
      .dump();
}

Request webhook(const std::string& body, const std::string& ts, const std::string& key, const std::string& target) {
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

Response send(unsigned short port, Request request) { return TestClient(port).exchange(std::move(request)); }

nlohmann::json json_of(const Response& response) { return nlohmann::json::parse(response.body()); }

std::vector<std::unique_ptr<TestClient>> open_idle(Harness& harness, std::size_t count, std::size_t already) {
  std::vector<std::unique_ptr<TestClient>> clients;
  for (std::size_t i = 0; i < count; ++i) clients.push_back(std::make_unique<TestClient>(harness.port));
  CHECK(eventually([&] { return harness.server.open_connections() == already + count; }));
  return clients;
}

}  // namespace slabot::testing
