#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include "bot/http/http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "bot/http/webhook_router.hpp"

namespace slabot {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// After an error answer the client may still be sending (an oversized body): read and discard
// for a moment so that closing does not reset the connection before it reads the answer.
constexpr std::chrono::seconds linger_time{1};
constexpr std::size_t linger_bytes = 1024 * 1024;

// Descriptors the rest of the process wants besides the server's connections (database, the
// outbox's outbound connections, logs): a cap closer than this to the open-file limit is
// warned about at start, since accept would fail for want of descriptors before the cap.
constexpr rlim_t descriptor_reserve = 64;

// Counts the open connections against the cap. Shared with every connection's slot, because a
// session's coroutine frame may be destroyed with the io_context, after the server is gone.
class ConnectionLimit {
 public:
  // `on_freed` is called (on a session's thread) when a slot frees up at the cap, the accept
  // loop may be waiting for it; never after stop().
  ConnectionLimit(std::size_t max, std::function<void()> on_freed)
      : max_(max), on_freed_(std::move(on_freed)) {}

  std::size_t open() const { return open_.load(); }
  std::size_t max() const { return max_; }
  // Only the accept loop acquires, so a check then an acquire cannot overshoot.
  bool full() const { return open_.load() >= max_; }
  void acquire() { ++open_; }
  void release() {
    if (open_.fetch_sub(1) == max_ && !stopped_.load()) on_freed_();
  }
  // From here on a release only counts: the frames destroyed with the io_context must not wake
  // a server that is gone.
  void stop() { stopped_ = true; }

 private:
  const std::size_t max_;
  const std::function<void()> on_freed_;
  std::atomic<std::size_t> open_{0};
  std::atomic<bool> stopped_{false};
};

// One connection's place under the cap, held by its session for its whole life: however the
// session ends (returned, threw, or destroyed unfinished with the io_context), the slot frees.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<ConnectionLimit> limit) : limit_(std::move(limit)) {
    limit_->acquire();
  }
  ConnectionSlot(ConnectionSlot&&) noexcept = default;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot() {
    if (limit_) limit_->release();  // a moved-from slot holds nothing
  }

 private:
  std::shared_ptr<ConnectionLimit> limit_;
};

// co_spawn's completion: whatever a coroutine threw is logged here and goes no further.
auto log_failure(const char* what) {
  return [what](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      spdlog::warn("{} failed: {}", what, e.what());
    } catch (...) {
      spdlog::warn("{} failed with a non-standard exception", what);
    }
  };
}

HttpRequest to_http_request(Request& request) {
  HttpRequest out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  for (const auto& field : request) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto value = field.value();
    auto [slot, inserted] = out.headers.try_emplace(std::move(name), value.data(), value.size());
    if (!inserted) slot->second.append(", ").append(value.data(), value.size());  // RFC 9110 5.3
  }
  out.body = std::move(request.body());
  return out;
}

Response to_response(HttpAnswer answer, unsigned version, bool keep_alive) {
  // Beast refuses codes above 999; anything outside the HTTP range is an adapter bug.
  const int status = (answer.status >= 100 && answer.status <= 599) ? answer.status : 500;
  Response response{static_cast<http::status>(status), version};
  if (!answer.content_type.empty()) response.set(http::field::content_type, answer.content_type);
  response.keep_alive(keep_alive);
  response.body() = std::move(answer.body);
  response.prepare_payload();
  return response;
}

bool expects_continue(const Request& request) {
  const auto expect = request[http::field::expect];
  return expect.size() == 12 && beast::iequals(expect, "100-continue");
}

// A malformed request deserves a 400; anything else (the peer went away, stalled past the
// deadline, or the network failed) leaves nobody to answer.
bool is_bad_request(const beast::error_code& ec) {
  static const auto& parse_errors = http::make_error_code(http::error::bad_target).category();
  return ec.category() == parse_errors && ec != http::error::end_of_stream &&
         ec != http::error::partial_message;
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions options, std::map<std::string, WebhookRoute> routes,
       MessageHandler& handler, const Clock& clock, std::function<bool()> health_probe)
      : io(std::make_shared<asio::io_context>()),
        options(std::move(options)),
        router(std::move(routes), handler, clock, std::move(health_probe), io),
        acceptor(*io),
        accept_strand(asio::make_strand(*io)),
        slot_freed(accept_strand),
        limit(std::make_shared<ConnectionLimit>(this->options.max_connections, [this] {
          // The timer belongs to the accept loop's strand; a wake that finds nobody waiting
          // (the loop already saw the free slot) does nothing.
          asio::post(accept_strand, [this] { slot_freed.cancel(); });
        })) {
    if (this->options.max_connections == 0) {
      throw std::invalid_argument("http server: max_connections must be at least 1");
    }
  }

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket, ConnectionSlot slot);
  asio::awaitable<void> answer_and_close(beast::tcp_stream& stream, int status);
  asio::awaitable<void> linger_and_close(beast::tcp_stream& stream);

  // Shared with the router (see WebhookRouter): declared first so it is released last here.
  std::shared_ptr<asio::io_context> io;
  HttpServerOptions options;
  WebhookRouter router;
  tcp::acceptor acceptor;
  // The accept loop runs here, and so does every use of slot_freed: at the cap the loop waits on
  // it (never expiring) and the session that frees a slot cancels the wait.
  asio::strand<asio::io_context::executor_type> accept_strand;
  asio::steady_timer slot_freed;
  std::shared_ptr<ConnectionLimit> limit;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;
};

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  asio::steady_timer backoff(*io);
  bool cap_reported = false;
  for (;;) {
    if (limit->full()) {
      // Stop accepting: the listen backlog holds new clients until a session ends. Warned once
      // per server; a flood keeps the server at the cap, and every pause would be a line.
      if (!cap_reported) {
        spdlog::warn(
            "http: {} connections open, the max_connections cap; new connections wait until "
            "one closes (further pauses are logged at debug level)",
            limit->max());
        cap_reported = true;
      } else {
        spdlog::debug("http: at the cap of {} connections; accepting paused", limit->max());
      }
      // Re-checked after every wake: a release may have been seen before the wait began.
      slot_freed.expires_at(asio::steady_timer::time_point::max());
      beast::error_code ec;
      co_await slot_freed.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    // A strand per connection: with several threads, one connection's steps never overlap.
    tcp::socket socket(asio::make_strand(*io));
    beast::error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Usually out of file descriptors: pause instead of spinning on the same error.
      spdlog::warn("http accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    ConnectionSlot slot(limit);  // counted from accept, so the check above sees it at once
    const auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket), std::move(slot)),
                   log_failure("http session"));
  }
}

// `slot` is a parameter, so it lives in the coroutine frame: the connection counts until the
// frame is gone, also when it never ran or is destroyed unfinished with the io_context.
asio::awaitable<void> HttpServer::Impl::session(tcp::socket socket,
                                                [[maybe_unused]] ConnectionSlot slot) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;  // kept across requests: it may already hold the next one
  for (;;) {
    http::request_parser<http::string_body> parser;
    // Enforced while reading, before any allocation: a Content-Length over the limit fails at
    // the header, and the body buffer never grows past the limit.
    parser.body_limit(options.body_limit);
    beast::error_code ec;

    // One deadline for the whole request (headers and body) and for the idle wait before it.
    stream.expires_after(options.read_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && expects_continue(parser.get())) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      stream.expires_after(options.read_timeout);
      co_await http::async_write(stream, go_on, asio::redirect_error(asio::use_awaitable, ec));
      stream.expires_after(options.read_timeout);
    }
    if (!ec && !parser.is_done()) {
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec == http::error::body_limit) {
      spdlog::debug("http: request body over {} bytes refused", options.body_limit);
      co_await answer_and_close(stream, 413);
      co_return;
    }
    if (ec && is_bad_request(ec)) {
      spdlog::debug("http: unreadable request: {}", ec.message());
      co_await answer_and_close(stream, 400);
      co_return;
    }
    if (ec) {
      spdlog::debug("http: connection ended: {}", ec.message());
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }

    Request request = parser.release();
    const bool keep_alive = request.keep_alive();
    const unsigned version = request.version();
    HttpAnswer answer = co_await router.answer(to_http_request(request));

    // The response lives in this frame until the write completes.
    Response response = to_response(std::move(answer), version, keep_alive);
    stream.expires_after(options.read_timeout);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      spdlog::debug("http: writing the answer failed: {}", ec.message());
      co_return;
    }
    if (!keep_alive) {
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
  }
}

asio::awaitable<void> HttpServer::Impl::answer_and_close(beast::tcp_stream& stream, int status) {
  // The rest of the request is unread, so the connection cannot carry another one.
  Response response = to_response(error_answer(status), 11, false);
  beast::error_code ec;
  stream.expires_after(options.read_timeout);
  co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    spdlog::debug("http: writing the {} answer failed: {}", status, ec.message());
    co_return;
  }
  co_await linger_and_close(stream);
}

asio::awaitable<void> HttpServer::Impl::linger_and_close(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 4096> scratch;
  std::size_t discarded = 0;
  stream.expires_after(linger_time);
  while (!ec && discarded < linger_bytes) {
    discarded += co_await stream.async_read_some(asio::buffer(scratch),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  }
  stream.socket().close(ec);
}

HttpServer::HttpServer(HttpServerOptions options,
                       std::map<std::string, WebhookRoute> routes_by_connection,
                       MessageHandler& handler, const Clock& clock,
                       std::function<bool()> health_probe)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(routes_by_connection), handler,
                                   clock, std::move(health_probe))) {}

HttpServer::~HttpServer() { stop(); }

unsigned short HttpServer::start() {
  Impl& impl = *impl_;
  if (impl.started) throw std::logic_error("HttpServer::start called twice");
  impl.started = true;

  const tcp::endpoint endpoint{asio::ip::make_address(impl.options.address), impl.options.port};
  impl.acceptor.open(endpoint.protocol());
  impl.acceptor.set_option(asio::socket_base::reuse_address(true));
  impl.acceptor.bind(endpoint);
  impl.acceptor.listen(asio::socket_base::max_listen_connections);
  const unsigned short port = impl.acceptor.local_endpoint().port();

  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      impl.options.max_connections + descriptor_reserve > files.rlim_cur) {
    spdlog::warn(
        "http: max_connections {} is close to the open-file limit {}: accept may fail for want "
        "of descriptors before the cap is reached (raise the limit, e.g. LimitNOFILE=)",
        impl.options.max_connections, files.rlim_cur);
  }

  asio::co_spawn(impl.accept_strand, impl.accept_loop(), log_failure("http listener"));
  const int thread_count = std::max(1, impl.options.threads);
  for (int i = 0; i < thread_count; ++i) {
    impl.threads.emplace_back([io = impl.io] {
      // Keeps run() from returning early should the listener ever end; stop() ends it.
      auto work = asio::make_work_guard(*io);
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          // Handlers log their own failures; this is the last line of defence.
          spdlog::error("http event loop: {}", e.what());
        }
      }
    });
  }
  spdlog::info("http server listening on {}:{}", impl.options.address, port);
  return port;
}

void HttpServer::stop() {
  Impl& impl = *impl_;
  if (!impl.started || impl.stopped) return;
  impl.stopped = true;
  impl.limit->stop();  // before the loop stops: no session may post to it from now on
  impl.io->stop();
  for (auto& thread : impl.threads) thread.join();
  impl.threads.clear();
  beast::error_code ec;
  impl.acceptor.close(ec);  // frees the port now; the connections go with the io_context
}

std::size_t HttpServer::open_connections() const { return impl_->limit->open(); }

}  // namespace slabot
