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
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffer_traits.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "bot/http/health_watch.hpp"
#include "bot/http/idle_connections.hpp"
#include "bot/http/malformed_http.hpp"
#include "bot/http/webhook_router.hpp"
#include "domain/plural.hpp"
#include "domain/thread_name.hpp"

namespace slabot {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

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

// When a stop begins, a connection that has not sent anything yet may be a client that has just
// connected, its request on the way: it gets this long before it is closed. A kept-alive
// connection waiting for its next request is closed at once.
constexpr std::chrono::milliseconds fresh_grace_when_stopping{500};

// The most a connection's first read after a wait takes at once; Beast's reads use the same.
constexpr std::size_t read_chunk = 65536;

// Counts the open connections against the cap. Shared with every connection's slot, because a
// session's coroutine frame may be destroyed with the io_context, after the server is gone.
class ConnectionLimit {
 public:
  // `on_freed` is called (on a session's thread) when a slot frees up at the cap, the accept
  // loop may be waiting for it; never after stop().
  ConnectionLimit(std::size_t max, std::function<void()> on_freed) : max_(max), on_freed_(std::move(on_freed)) {}

  std::size_t open() const { return open_.load(); }
  std::size_t max() const { return max_; }
  // Only the accept loop acquires, so a check then an acquire cannot overshoot.
  bool full() const { return open_.load() >= max_; }
  void acquire() { ++open_; }
  void release() {
    const std::size_t before = open_.fetch_sub(1);
    if (before == max_ && !stopped_.load()) on_freed_();
    if (before == 1) {
      std::lock_guard lock(mutex_);  // so that a waiter cannot miss the notification
      none_open_.notify_all();
    }
  }
  // For a graceful stop: true once no connection is open, false at `deadline`.
  bool wait_until_none(SteadyClock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return none_open_.wait_until(lock, deadline, [this] { return open_.load() == 0; });
  }
  // From here on a release only counts: the frames destroyed with the io_context must not wake
  // a server that is gone.
  void stop() { stopped_ = true; }

 private:
  const std::size_t max_;
  const std::function<void()> on_freed_;
  std::atomic<std::size_t> open_{0};
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::condition_variable none_open_;
};

// One connection's place under the cap, held by its session for its whole life: however the
// session ends (returned, threw, or destroyed unfinished with the io_context), the slot frees.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<ConnectionLimit> limit) : limit_(std::move(limit)) { limit_->acquire(); }
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

// One accepted connection, shared between its session and whoever may end its wait for a
// request (its own deadline, the cap making room, a stop). Everything here runs on the
// connection's executor (connection_executor()).
struct LiveConnection : std::enable_shared_from_this<LiveConnection> {
  explicit LiveConnection(tcp::socket socket) : stream(std::move(socket)), wait_timer(stream.get_executor()) {}

  // Waits until the client sends something, and reads what came into `buffer`: no error.
  // operation_aborted when the wait was ended first, by `deadline` or by end_wait_now(); any
  // other error (end of file included) when the client closed or the connection failed: a read
  // after that would wait in vain, since epoll reports the end of a connection once.
  // It reads rather than waits for readiness: a wait for readiness re-arms the socket in epoll
  // (a system call for every request), a read tries the socket first and queues without one.
  asio::awaitable<beast::error_code> wait_for_request(beast::flat_buffer& buffer, SteadyClock::time_point deadline) {
    waiting = true;
    ended_early = false;
    wait_ends = SteadyClock::time_point::max();
    end_wait_at(deadline);
    beast::error_code ec;
    // As much as Beast's own reads would take at a time (read_size).
    const std::size_t received = co_await stream.socket().async_read_some(
        buffer.prepare(beast::read_size(buffer, read_chunk)), asio::redirect_error(asio::use_awaitable, ec));
    buffer.commit(received);
    waiting = false;
    wait_timer.cancel();
    co_return ec;
  }

  // Moves the end of the current wait to `deadline`, if that is sooner.
  void end_wait_at(SteadyClock::time_point deadline) {
    if (!waiting || deadline >= wait_ends) return;
    wait_ends = deadline;
    wait_timer.expires_at(deadline);
    wait_timer.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (ec) return;  // moved or cancelled
      if (auto self = weak.lock()) self->end_wait_now();
    });
  }

  // Ends the wait at once. False when there is no wait to end, or when bytes are already waiting
  // to be read: the request is arriving, and closing now would reset it.
  bool end_wait_now() {
    if (!waiting) return false;
    beast::error_code ec;
    if (stream.socket().available(ec) > 0) return false;
    stream.socket().cancel(ec);
    ended_early = true;
    return true;
  }

  beast::tcp_stream stream;
  asio::steady_timer wait_timer;
  bool waiting = false;
  // Set by end_wait_now(). If the wait still ends with bytes, they had been read already: with
  // several threads the read can complete on one while the ask runs on the strand before it.
  bool ended_early = false;
  SteadyClock::time_point wait_ends;
};

// A condition a flood repeats at every connection: its first time is a warning, the rest debug.
void log_first_at_warn(bool& reported, const std::string& first, const char* again) {
  if (!std::exchange(reported, true)) {
    spdlog::warn("{}", first);
  } else {
    spdlog::debug("{}", again);
  }
}

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

// The answer's bytes, laid out by Beast's serializer in one go (the header alone for HEAD): the
// connection then writes one buffer, instead of Beast's composed write, whose layers of
// operations and buffer views were a tenth of the HTTP thread at /open.
std::string serialized(Response& response, bool header_only) {
  http::response_serializer<http::string_body> serializer(response);
  serializer.split(header_only);
  std::string bytes;
  bytes.reserve(256 + (header_only ? 0 : response.body().size()));
  beast::error_code ec;
  while (!(header_only ? serializer.is_header_done() : serializer.is_done())) {
    std::size_t taken = 0;
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      for (const auto piece : beast::buffers_range_ref(buffers)) {
        bytes.append(static_cast<const char*>(piece.data()), piece.size());
      }
      taken = beast::buffer_bytes(buffers);
    });
    if (ec) throw beast::system_error(ec);  // a string body cannot fail: a bug, for the session's log
    serializer.consume(taken);
  }
  return bytes;
}

Response to_response(RoutedAnswer routed, unsigned version, bool keep_alive) {
  HttpAnswer& answer = routed.answer;
  // Beast refuses codes above 999; anything outside the HTTP range is an adapter bug.
  const int status = (answer.status >= 100 && answer.status <= 599) ? answer.status : 500;
  Response response{static_cast<http::status>(status), version};
  if (!answer.content_type.empty()) response.set(http::field::content_type, answer.content_type);
  if (!routed.allow.empty()) response.set(http::field::allow, routed.allow);
  response.keep_alive(keep_alive);
  response.body() = std::move(answer.body);
  response.prepare_payload();
  return response;
}

bool expects_continue(const Request& request) {
  const auto expect = request[http::field::expect];
  return expect.size() == 12 && beast::iequals(expect, "100-continue");
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions options, std::map<std::string, WebhookRoute> routes, MessageHandler& handler,
       const Clock& clock, std::function<bool()> health_probe, Metrics* metrics)
      : io(std::make_shared<asio::io_context>()),
        options(std::move(options)),
        health(std::move(health_probe), this->options.health_every, this->options.health_stale_after),
        router(
            std::move(routes), handler, clock, [this] { return health.healthy(); }, io, metrics),
        acceptor(*io),
        accept_strand(asio::make_strand(*io)),
        slot_freed(accept_strand),
        limit(std::make_shared<ConnectionLimit>(this->options.max_connections, [this] { wake_accept_loop(); })),
        idle(IdleConnections::create()) {
    if (this->options.max_connections == 0) {
      throw std::invalid_argument("http server: max_connections must be at least 1");
    }
    router.show_streams(this->options.health_streams);
  }

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> make_room();
  // Whether a client waits in the listen backlog now (a poll of the listening socket).
  bool client_knocking();
  asio::awaitable<void> take_backlog();
  void start_session(tcp::socket socket);
  asio::awaitable<void> session(tcp::socket socket, ConnectionSlot slot);
  asio::awaitable<beast::error_code> await_request(const std::shared_ptr<LiveConnection>& connection,
                                                   beast::flat_buffer& buffer, IdleConnections::Kind kind,
                                                   SteadyClock::time_point deadline);
  IdleConnections::Closer closer_for(const std::shared_ptr<LiveConnection>& connection);
  asio::awaitable<beast::error_code> write_answer(beast::tcp_stream& stream, Response& response, bool header_only);
  asio::awaitable<void> answer_and_close(beast::tcp_stream& stream, int status);
  asio::awaitable<void> linger_and_close(beast::tcp_stream& stream);

  // Where a connection's steps run. With several threads, a strand of its own, so that they
  // never overlap; with one, the event loop itself: a strand would order what one thread already
  // orders, at the price of a lock and a queue for every step.
  asio::any_io_executor connection_executor() {
    if (options.threads > 1) return asio::make_strand(*io);
    return io->get_executor();
  }

  // The accept loop may be waiting at the cap for a connection to end or turn idle. The timer
  // belongs to the loop's strand; a wake that finds nobody waiting does nothing, and the loop
  // re-checks after every wake. Only from the server's own threads (or before stop()).
  void wake_accept_loop() {
    asio::post(accept_strand, [this] { slot_freed.cancel(); });
  }

  // Shared with the router (see WebhookRouter): declared first so it is released last here.
  std::shared_ptr<asio::io_context> io;
  HttpServerOptions options;
  HealthWatch health;
  WebhookRouter router;
  tcp::acceptor acceptor;
  // The accept loop runs here, and so does every use of slot_freed: at the cap the loop waits on
  // it (never expiring) and whatever may have made room cancels the wait.
  asio::strand<asio::io_context::executor_type> accept_strand;
  asio::steady_timer slot_freed;
  std::shared_ptr<ConnectionLimit> limit;
  std::shared_ptr<IdleConnections> idle;
  std::vector<std::thread> threads;
  // Set once by begin_shutdown; read by every session (Connection: close from then on).
  std::atomic<bool> stopping{false};
  bool cap_with_idle_reported = false;  // the accept strand's
  bool cap_all_busy_reported = false;   // the accept strand's
  bool started = false;
  bool stopped = false;
};

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  asio::steady_timer backoff(*io);
  for (;;) {
    if (stopping) {
      co_await take_backlog();
      beast::error_code ec;
      acceptor.close(ec);
      co_return;
    }
    if (limit->full()) {
      co_await make_room();
      continue;
    }
    tcp::socket socket(connection_executor());
    beast::error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) continue;  // begin_shutdown: the top takes over
    if (ec) {
      // Usually out of file descriptors: pause instead of spinning on the same error.
      spdlog::warn("http accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    start_session(std::move(socket));
  }
}

// At the cap. Nothing is done until a client knocks (the listening socket turns readable): then
// the connection idle the longest is closed to make room for it. With none idle, every
// connection is in the middle of a request, and the client waits in the backlog until one ends
// or turns idle. Logged once per server for each case; a flood would make every one a line.
asio::awaitable<void> HttpServer::Impl::make_room() {
  beast::error_code ec;
  co_await acceptor.async_wait(tcp::acceptor::wait_read, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || stopping || !limit->full()) co_return;
  if (!client_knocking()) {
    // A wake is not a client: the reactor can report a readiness an accept already consumed,
    // and closing a connection for nobody would cut off one about to send. Look again shortly.
    slot_freed.expires_after(std::chrono::milliseconds(10));
    co_await slot_freed.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return;
  }
  if (idle->close_oldest()) {
    log_first_at_warn(cap_with_idle_reported,
                      fmt::format("http: {} connections open, the max_connections cap; each new client "
                                  "takes the place of the connection idle the longest (further ones "
                                  "logged at debug level)",
                                  limit->max()),
                      "http: at the cap; closed the connection idle the longest for a new client");
  } else {
    log_first_at_warn(cap_all_busy_reported,
                      fmt::format("http: {} connections open, the max_connections cap, all in the "
                                  "middle of a request; new clients wait until one ends (further "
                                  "pauses are logged at debug level)",
                                  limit->max()),
                      "http: at the cap with every connection busy; accepting paused");
  }
  // Re-checked after every wake: a wake may have been posted before the wait began.
  slot_freed.expires_at(asio::steady_timer::time_point::max());
  co_await slot_freed.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// On the way to a stop. Clients that completed their handshake before it are in the listen
// backlog, their requests most likely sent: closing the listening socket would reset them. They
// are taken as a last batch (up to the cap, and no more than one cap's worth).
bool HttpServer::Impl::client_knocking() {
  pollfd listener{acceptor.native_handle(), POLLIN, 0};
  return ::poll(&listener, 1, 0) == 1 && (listener.revents & POLLIN) != 0;
}

asio::awaitable<void> HttpServer::Impl::take_backlog() {
  for (std::size_t taken = 0; taken < limit->max() && !limit->full() && client_knocking(); ++taken) {
    tcp::socket socket(connection_executor());
    beast::error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    start_session(std::move(socket));
  }
}

void HttpServer::Impl::start_session(tcp::socket socket) {
  ConnectionSlot slot(limit);  // counted from accept, so the cap check sees it at once
  const auto executor = socket.get_executor();
  asio::co_spawn(executor, session(std::move(socket), std::move(slot)), log_failure("http session"));
}

// `slot` is a parameter, so it lives in the coroutine frame: the connection counts until the
// frame is gone, also when it never ran or is destroyed unfinished with the io_context.
asio::awaitable<void> HttpServer::Impl::session(tcp::socket socket, [[maybe_unused]] ConnectionSlot slot) {
  const auto connection = std::make_shared<LiveConnection>(std::move(socket));
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;  // kept across requests: it may already hold the next one
  const auto accepted_at = SteadyClock::now();
  bool answered_once = false;
  for (;;) {
    beast::error_code ec;
    // Waiting for a request costs a slot and a small read buffer: a waiting connection is one
    // the cap may take back, and a stop closes.
    if (buffer.size() == 0) {
      const beast::error_code waited =
          answered_once ? co_await await_request(connection, buffer, IdleConnections::Kind::kept_alive,
                                                 SteadyClock::now() + options.idle_timeout)
                        : co_await await_request(connection, buffer, IdleConnections::Kind::fresh,
                                                 accepted_at + options.first_request_timeout);
      if (waited == asio::error::operation_aborted) {
        spdlog::debug("http: closing a connection that sent no request in time, or to make room");
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        co_return;
      }
      if (waited) {
        spdlog::debug("http: connection ended: {}", waited.message());
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
    }

    // From its first byte the whole request must arrive within request_timeout; a first
    // request's header also within first_request_timeout of the accept.
    const auto request_deadline = SteadyClock::now() + options.request_timeout;
    const auto header_deadline =
        answered_once ? request_deadline : std::min(request_deadline, accepted_at + options.first_request_timeout);
    http::request_parser<http::string_body> parser;
    // Enforced while reading, before any allocation: a Content-Length over the limit fails at
    // the header, and the body buffer never grows past the limit.
    parser.body_limit(options.body_limit);
    stream.expires_at(header_deadline);
    co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    stream.expires_at(request_deadline);
    if (!ec && expects_continue(parser.get())) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      co_await http::async_write(stream, go_on, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!ec && !parser.is_done()) {
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec == http::error::body_limit) {
      spdlog::debug("http: request body over {} bytes refused", options.body_limit);
      co_await answer_and_close(stream, 413);
      co_return;
    }
    // A malformed request deserves a 400; anything else (the peer went away, stalled past the
    // deadline, or the network failed) leaves nobody to answer.
    if (ec && is_malformed_http(ec)) {
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
    const bool head = request.method() == http::verb::head;
    const unsigned version = request.version();
    const bool client_keeps_alive = request.keep_alive();
    RoutedAnswer routed = co_await router.answer(to_http_request(request));

    // Read after the handler: a stop that began while it ran closes this connection too.
    const bool keep_alive = client_keeps_alive && !stopping;
    // The response lives in this frame until the write completes.
    Response response = to_response(std::move(routed), version, keep_alive);
    // For HEAD the same header as for GET (Content-Length included), and no body (RFC 9110 9.3.2).
    ec = co_await write_answer(stream, response, head);
    if (ec) {
      spdlog::debug("http: writing the answer failed: {}", ec.message());
      co_return;
    }
    answered_once = true;
    if (!keep_alive) {
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
  }
}

// Registered as waiting (so the cap can take the connection back, and a stop close it) while it
// waits for a request's first bytes, which it reads into `buffer`. What wait_for_request says.
asio::awaitable<beast::error_code> HttpServer::Impl::await_request(const std::shared_ptr<LiveConnection>& connection,
                                                                   beast::flat_buffer& buffer,
                                                                   IdleConnections::Kind kind,
                                                                   SteadyClock::time_point deadline) {
  const auto registration = idle->enter(kind, closer_for(connection));
  if (!registration) {
    // Stopping: a kept-alive connection closes now; a fresh one may have its request on the way.
    if (kind == IdleConnections::Kind::kept_alive) co_return asio::error::operation_aborted;
    deadline = std::min(deadline, SteadyClock::now() + fresh_grace_when_stopping);
  }
  if (limit->full()) wake_accept_loop();  // it may be waiting for a connection to turn idle
  const beast::error_code waited = co_await connection->wait_for_request(buffer, deadline);
  // Asked to close for room when its request had already been read: the cap counted on a slot
  // freeing and none does, so the accept loop must look again (as closer_for does when asked
  // while the bytes are still in the socket).
  if (!waited && connection->ended_early) wake_accept_loop();
  co_return waited;
}

IdleConnections::Closer HttpServer::Impl::closer_for(const std::shared_ptr<LiveConnection>& connection) {
  return [this, weak = std::weak_ptr<LiveConnection>(connection),
          executor = connection->stream.get_executor()](std::chrono::milliseconds grace) {
    asio::post(executor, [this, weak, grace] {
      const auto live = weak.lock();
      if (!live) return;  // already gone, and its slot with it
      if (grace > std::chrono::milliseconds::zero()) {
        live->end_wait_at(SteadyClock::now() + grace);
      } else if (!live->end_wait_now()) {
        wake_accept_loop();  // its request is arriving after all: the cap needs another
      }
    });
  };
}

// Every answer goes out this way: laid out in one buffer (serialized()), written within
// request_timeout.
asio::awaitable<beast::error_code> HttpServer::Impl::write_answer(beast::tcp_stream& stream, Response& response,
                                                                  bool header_only) {
  const std::string bytes = serialized(response, header_only);
  stream.expires_after(options.request_timeout);
  beast::error_code ec;
  co_await asio::async_write(stream, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

asio::awaitable<void> HttpServer::Impl::answer_and_close(beast::tcp_stream& stream, int status) {
  // The rest of the request is unread, so the connection cannot carry another one.
  Response response = to_response(RoutedAnswer{error_answer(status), ""}, 11, false);
  const beast::error_code ec = co_await write_answer(stream, response, false);
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
    discarded += co_await stream.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
  }
  stream.socket().close(ec);
}

HttpServer::HttpServer(HttpServerOptions options, std::map<std::string, WebhookRoute> routes_by_connection,
                       MessageHandler& handler, const Clock& clock, std::function<bool()> health_probe,
                       Metrics* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(routes_by_connection), handler, clock,
                                   std::move(health_probe), metrics)) {}

HttpServer::~HttpServer() { stop(); }

unsigned short HttpServer::listen() {
  Impl& impl = *impl_;
  if (impl.acceptor.is_open()) return impl.acceptor.local_endpoint().port();
  const tcp::endpoint endpoint{asio::ip::make_address(impl.options.address), impl.options.port};
  try {
    impl.acceptor.open(endpoint.protocol());
    impl.acceptor.set_option(asio::socket_base::reuse_address(true));
    impl.acceptor.bind(endpoint);
    impl.acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const boost::system::system_error& e) {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    // Asio says only "bind: Address already in use": name the address, keep the OS's reason as
    // a code the caller can explain.
    const bool v6 = endpoint.address().is_v6();
    throw std::system_error(std::error_code(e.code().value(), std::system_category()),
                            "cannot listen on " + std::string(v6 ? "[" : "") + impl.options.address +
                                (v6 ? "]:" : ":") + std::to_string(impl.options.port));
  }
  return impl.acceptor.local_endpoint().port();
}

unsigned short HttpServer::start() {
  Impl& impl = *impl_;
  if (impl.started) throw std::logic_error("HttpServer::start called twice");
  const unsigned short port = listen();
  impl.started = true;

  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      impl.options.max_connections + descriptor_reserve > files.rlim_cur) {
    spdlog::warn(
        "http: max_connections {} is close to the open-file limit {}: accept may fail for want "
        "of descriptors before the cap is reached (raise the limit, e.g. LimitNOFILE=)",
        impl.options.max_connections, files.rlim_cur);
  }

  impl.health.start();
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
    name_thread(impl.threads.back(), "http-server");
  }
  // serve says it once, with the database and the clocks; this is for the server alone.
  spdlog::debug("http server listening on {}:{}", impl.options.address, port);
  return port;
}

std::size_t HttpServer::shutdown(std::chrono::milliseconds timeout) {
  begin_shutdown();
  wait_until_drained(SteadyClock::now() + timeout);
  const std::size_t left = open_connections();
  stop();
  return left;
}

void HttpServer::begin_shutdown() {
  Impl& impl = *impl_;
  if (!impl.started || impl.stopped || impl.stopping.exchange(true)) return;
  spdlog::info("http: stopping: no new connections; finishing the requests of {} open", impl.limit->open());
  asio::post(impl.accept_strand, [&impl] {
    beast::error_code ec;
    impl.acceptor.cancel(ec);  // the accept loop takes the backlog, then closes the listener
    impl.slot_freed.cancel();
  });
  impl.idle->close_all(fresh_grace_when_stopping);
}

bool HttpServer::wait_until_drained(std::chrono::steady_clock::time_point deadline) {
  return impl_->limit->wait_until_none(deadline);
}

void HttpServer::stop() {
  Impl& impl = *impl_;
  if (!impl.started || impl.stopped) return;
  impl.stopped = true;
  const std::size_t abandoned = impl.limit->open();
  impl.limit->stop();  // before the loop stops: no session may post to it from now on
  impl.io->stop();
  for (auto& thread : impl.threads) thread.join();
  impl.threads.clear();
  beast::error_code ec;
  impl.acceptor.close(ec);  // frees the port now; the connections go with the io_context
  impl.health.stop();
  if (abandoned > 0) {
    spdlog::log(impl.stopping ? spdlog::level::warn : spdlog::level::info,
                "http server stopped; {} still open abandoned", count_of(abandoned, "connection"));
  }
}

void HttpServer::replace_routes(std::map<std::string, WebhookRoute> routes_by_connection) {
  impl_->router.replace_routes(std::move(routes_by_connection));
}

std::size_t HttpServer::open_connections() const { return impl_->limit->open(); }

}  // namespace slabot
