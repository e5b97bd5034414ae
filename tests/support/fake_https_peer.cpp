#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include "tests/support/fake_https_peer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cctype>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "tests/support/loopback_tls_server.hpp"

namespace slabot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds io_timeout{30};

struct Session {
  explicit Session(std::size_t id_in, tcp::socket socket) : id(id_in), executor(socket.get_executor()) {
    plain.emplace(std::move(socket));
  }
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  std::size_t id;
  asio::any_io_executor executor;  // the connection's strand
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  // On the strand: waiting for the next request with nothing buffered; asked to close once
  // idle, and who waits for that.
  bool idle = false;
  bool ended = false;
  bool close_when_idle = false;
  std::vector<std::shared_ptr<std::promise<void>>> close_waiters;

  void release_waiters() {
    for (auto& waiter : close_waiters) waiter->set_value();
    close_waiters.clear();
  }
  void close_now() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);  // the FIN goes out now
    lowest().close();
    release_waiters();
  }
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::string RecordedRequest::header(const std::string& name) const {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

struct FakeHttpsPeer::Impl {
  explicit Impl(FakePeerOptions options_in)
      : options(std::move(options_in)),
        server(options.address, options.tls ? std::optional(options.certificate) : std::nullopt),
        mutex(server.mutex),
        arrived(server.changed) {}

  void accept(tcp::socket socket);
  asio::awaitable<void> serve(std::shared_ptr<Session> session);
  ScriptedResponse pick(const std::string& target);

  template <class Stream>
  asio::awaitable<void> exchange_loop(Session& session, Stream& stream);

  FakePeerOptions options;
  LoopbackTlsServer server;  // before what its handlers use: it goes last
  std::mutex& mutex;
  std::condition_variable& arrived;
  std::map<std::string, ScriptedResponse> routes;
  std::deque<ScriptedResponse> queue;
  std::vector<RecordedRequest> recorded;
  std::map<std::size_t, std::weak_ptr<Session>> sessions;
  std::size_t accepted = 0;
  std::size_t failed_handshakes = 0;
};

ScriptedResponse FakeHttpsPeer::Impl::pick(const std::string& target) {
  std::lock_guard lock(mutex);
  const auto path = target.substr(0, target.find('?'));
  if (const auto route = routes.find(path); route != routes.end()) return route->second;
  if (!queue.empty()) {
    ScriptedResponse next = std::move(queue.front());
    queue.pop_front();
    return next;
  }
  return ScriptedResponse{};
}

void FakeHttpsPeer::Impl::accept(tcp::socket socket) {
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(mutex);
    session = std::make_shared<Session>(++accepted, std::move(socket));
    sessions[session->id] = session;
  }
  const auto executor = session->executor;
  asio::co_spawn(executor, serve(std::move(session)), asio::detached);
}

asio::awaitable<void> FakeHttpsPeer::Impl::serve(std::shared_ptr<Session> session) {
  beast::error_code ec;
  if (options.tls) {
    session->tls.emplace(std::move(*session->plain), server.tls());
    session->plain.reset();
    session->lowest().expires_after(io_timeout);
    co_await session->tls->async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      std::lock_guard lock(mutex);
      ++failed_handshakes;
    } else {
      co_await exchange_loop(*session, *session->tls);
    }
  } else {
    co_await exchange_loop(*session, *session->plain);
  }
  session->lowest().close();
  session->ended = true;
  session->release_waiters();
  std::lock_guard lock(mutex);
  sessions.erase(session->id);
}

template <class Stream>
asio::awaitable<void> FakeHttpsPeer::Impl::exchange_loop(Session& session, Stream& stream) {
  beast::flat_buffer buffer;
  asio::steady_timer timer(session.lowest().get_executor());
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    beast::error_code ec;
    if (session.close_when_idle && buffer.size() == 0) {
      session.close_now();
      co_return;
    }
    session.idle = buffer.size() == 0;
    session.lowest().expires_after(io_timeout);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    session.idle = false;
    if (ec) co_return;

    auto request = parser.release();
    RecordedRequest record;
    record.method = std::string(request.method_string());
    record.target = std::string(request.target());
    for (const auto& field : request) {
      auto [slot, inserted] =
          record.headers.try_emplace(lower(std::string(field.name_string())), std::string(field.value()));
      if (!inserted) slot->second += ", " + std::string(field.value());
    }
    record.body = request.body();
    record.connection = session.id;
    const ScriptedResponse script = pick(record.target);
    {
      std::lock_guard lock(mutex);
      recorded.push_back(std::move(record));
    }
    arrived.notify_all();

    if (script.delay.count() > 0) {
      timer.expires_after(script.delay);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (script.close_without_answer) co_return;

    http::response<http::string_body> response{static_cast<http::status>(script.status), request.version()};
    // A scripted "Connection: close" is honoured: the connection ends after this answer.
    bool close_requested = false;
    for (const auto& [name, value] : script.headers) {
      if (lower(name) == "connection") {
        close_requested = lower(value).find("close") != std::string::npos;
        continue;
      }
      response.insert(name, value);
    }
    response.body() = script.body;
    response.keep_alive(request.keep_alive() && !script.close_after && !close_requested);
    response.prepare_payload();
    session.lowest().expires_after(io_timeout);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || script.close_after || !response.keep_alive()) co_return;
  }
}

FakeHttpsPeer::FakeHttpsPeer(FakePeerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->server.start([impl = impl_.get()](tcp::socket socket) { impl->accept(std::move(socket)); });
}

FakeHttpsPeer::~FakeHttpsPeer() { impl_->server.stop(); }

unsigned short FakeHttpsPeer::port() const { return impl_->server.port(); }

std::string FakeHttpsPeer::url(const std::string& target, const std::string& host) const {
  return (impl_->options.tls ? "https://" : "http://") + host + ":" + std::to_string(port()) + target;
}

void FakeHttpsPeer::on(const std::string& path, ScriptedResponse response) {
  std::lock_guard lock(impl_->mutex);
  impl_->routes[path] = std::move(response);
}

void FakeHttpsPeer::enqueue(ScriptedResponse response) {
  std::lock_guard lock(impl_->mutex);
  impl_->queue.push_back(std::move(response));
}

std::vector<RecordedRequest> FakeHttpsPeer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->recorded;
}

bool FakeHttpsPeer::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, timeout, [&] { return impl_->recorded.size() >= count; });
}

std::size_t FakeHttpsPeer::connections_accepted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

std::size_t FakeHttpsPeer::connections_open() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->sessions.size();
}

std::size_t FakeHttpsPeer::handshakes_failed() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->failed_handshakes;
}

void FakeHttpsPeer::close_idle_connections() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& [id, weak] : impl_->sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  std::vector<std::future<void>> closed;
  for (auto& session : live) {
    auto done = std::make_shared<std::promise<void>>();
    closed.push_back(done->get_future());
    const auto executor = session->executor;
    asio::post(executor, [session, done] {
      session->close_waiters.push_back(done);
      if (session->ended) {
        session->release_waiters();
      } else if (session->idle) {
        session->close_now();
      } else {
        session->close_when_idle = true;  // mid-answer: closed when the answer is out
      }
    });
  }
  for (auto& future : closed) future.wait();
}

}  // namespace slabot::testing
