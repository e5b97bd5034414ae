#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include "tests/support/fake_websocket_gateway.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <mutex>

#include "tests/support/loopback_tls_server.hpp"

namespace slabot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

using Tls = beast::ssl_stream<beast::tcp_stream>;
using Ws = websocket::stream<Tls>;

class Socket final : public GatewaySocket, public std::enable_shared_from_this<Socket> {
 public:
  Socket(std::string target, std::size_t others_open, asio::io_context& io, std::unique_ptr<Ws> ws)
      : target_(std::move(target)), others_open_(others_open), io_(io), ws_(std::move(ws)) {
    ws_->control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping) {
        std::lock_guard lock(mutex_);
        ++pings_;
      }
    });
  }

  const std::string& target() const override { return target_; }

  void start_reading() { read_next(); }

  void send(const std::string& text) override { queue(text, false); }

  void send_binary(const std::string& bytes) override { queue(bytes, true); }

  std::optional<std::string> receive(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return !incoming_.empty() || ended_; });
    if (incoming_.empty()) return std::nullopt;
    std::string next = std::move(incoming_.front());
    incoming_.pop_front();
    return next;
  }

  void close() override {
    asio::post(io_, [self = shared_from_this()] {
      self->ws_->async_close(websocket::close_code::normal, [self](beast::error_code) {});
    });
  }

  void drop() override {
    asio::post(io_, [self = shared_from_this()] {
      beast::error_code ignored;
      beast::get_lowest_layer(*self->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(*self->ws_).close();
    });
  }

  bool wait_ended(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return ended_; });
  }

  std::size_t others_open_at_upgrade() const override { return others_open_; }

  bool ended() const {
    std::lock_guard lock(mutex_);
    return ended_;
  }

  std::size_t pings_received() const override {
    std::lock_guard lock(mutex_);
    return pings_;
  }

  std::size_t text_messages_received() const override {
    std::lock_guard lock(mutex_);
    return texts_;
  }

 private:
  void queue(const std::string& message, bool binary) {
    asio::post(io_, [self = shared_from_this(), message, binary] {
      self->outgoing_.emplace_back(message, binary);
      if (self->outgoing_.size() == 1) self->write_next();
    });
  }

  void read_next() {
    ws_->async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      std::lock_guard lock(self->mutex_);
      if (ec) {
        self->ended_ = true;
        self->changed_.notify_all();
        return;
      }
      self->incoming_.push_back(beast::buffers_to_string(self->buffer_.data()));
      if (self->ws_->got_text()) ++self->texts_;
      self->buffer_.consume(self->buffer_.size());
      self->changed_.notify_all();
      asio::post(self->io_, [self] { self->read_next(); });
    });
  }

  void write_next() {
    ws_->binary(outgoing_.front().second);
    ws_->async_write(asio::buffer(outgoing_.front().first),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->outgoing_.pop_front();
                       if (!ec && !self->outgoing_.empty()) self->write_next();
                     });
  }

  const std::string target_;
  const std::size_t others_open_;
  asio::io_context& io_;
  std::unique_ptr<Ws> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::pair<std::string, bool>> outgoing_;  // on the io thread; true: binary

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> incoming_;
  bool ended_ = false;
  std::size_t pings_ = 0;
  std::size_t texts_ = 0;
};

}  // namespace

struct FakeWebSocketGateway::Impl {
  explicit Impl(const TestCertificate& certificate)
      : server("127.0.0.1", certificate), io(server.io()), mutex(server.mutex), arrived(server.changed) {}

  asio::awaitable<void> serve(tcp::socket socket) {
    auto ws = std::make_unique<Ws>(beast::tcp_stream(std::move(socket)), server.tls());
    beast::error_code ec;
    beast::get_lowest_layer(*ws).expires_after(std::chrono::seconds(30));
    co_await ws->next_layer().async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(ws->next_layer(), buffer, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    const std::string target(request.target());
    int refusal = 0;
    std::size_t others_open = 0;
    std::map<std::string, std::string> refusal_fields;
    {
      std::lock_guard lock(mutex);
      targets.push_back(target);
      if (decide) refusal = decide(target);
      if (refusal_headers) refusal_fields = refusal_headers(target);
      for (const auto& other : all) others_open += other->ended() ? 0 : 1;
    }
    if (!websocket::is_upgrade(request)) refusal = 400;
    if (refusal != 0) {
      http::response<http::string_body> answer{static_cast<http::status>(refusal), 11};
      answer.set(http::field::content_type, "application/json");
      for (const auto& [name, value] : refusal_fields) answer.set(name, value);
      answer.body() = R"({"code":"invalid ticket"})";
      answer.prepare_payload();
      answer.keep_alive(false);
      co_await http::async_write(ws->next_layer(), answer, asio::redirect_error(asio::use_awaitable, ec));
      beast::get_lowest_layer(*ws).close();
      co_return;
    }
    beast::get_lowest_layer(*ws).expires_never();
    co_await ws->async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    auto accepted = std::make_shared<Socket>(target, others_open, io, std::move(ws));
    std::lock_guard lock(mutex);
    if (reading) accepted->start_reading();
    sockets.push_back(accepted);
    all.push_back(accepted);
    arrived.notify_all();
  }

  LoopbackTlsServer server;  // before what its handlers use: it goes last
  asio::io_context& io;
  std::mutex& mutex;
  std::condition_variable& arrived;
  std::function<int(const std::string&)> decide;
  std::function<std::map<std::string, std::string>(const std::string&)> refusal_headers;
  bool reading = true;
  std::vector<std::string> targets;
  std::deque<std::shared_ptr<Socket>> sockets;  // not yet taken by the test
  std::vector<std::shared_ptr<Socket>> all;     // kept until the gateway goes
};

FakeWebSocketGateway::FakeWebSocketGateway(TestCertificate certificate) : impl_(std::make_unique<Impl>(certificate)) {
  impl_->server.start([impl = impl_.get()](tcp::socket socket) {
    const auto executor = socket.get_executor();
    asio::co_spawn(executor, impl->serve(std::move(socket)), asio::detached);
  });
}

FakeWebSocketGateway::~FakeWebSocketGateway() {
  impl_->server.stop();
  std::lock_guard lock(impl_->mutex);
  impl_->sockets.clear();
  impl_->all.clear();
}

unsigned short FakeWebSocketGateway::port() const { return impl_->server.port(); }

std::string FakeWebSocketGateway::url(const std::string& path) const {
  return "wss://127.0.0.1:" + std::to_string(port()) + path;
}

void FakeWebSocketGateway::on_upgrade(std::function<int(const std::string& target)> decide) {
  std::lock_guard lock(impl_->mutex);
  impl_->decide = std::move(decide);
}

void FakeWebSocketGateway::refusal_headers(
    std::function<std::map<std::string, std::string>(const std::string& target)> headers) {
  std::lock_guard lock(impl_->mutex);
  impl_->refusal_headers = std::move(headers);
}

void FakeWebSocketGateway::stop_reading_new_sockets() {
  std::lock_guard lock(impl_->mutex);
  impl_->reading = false;
}

std::vector<std::string> FakeWebSocketGateway::upgrade_targets() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->targets;
}

std::shared_ptr<GatewaySocket> FakeWebSocketGateway::next_socket(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->arrived.wait_for(lock, timeout, [this] { return !impl_->sockets.empty(); })) return nullptr;
  auto next = impl_->sockets.front();
  impl_->sockets.pop_front();
  return next;
}

}  // namespace slabot::testing
