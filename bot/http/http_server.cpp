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

#include <algorithm>
#include <array>
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
        acceptor(*io) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<void> answer_and_close(beast::tcp_stream& stream, int status);
  asio::awaitable<void> linger_and_close(beast::tcp_stream& stream);

  // Shared with the router (see WebhookRouter): declared first so it is released last here.
  std::shared_ptr<asio::io_context> io;
  HttpServerOptions options;
  WebhookRouter router;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;
};

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  asio::steady_timer backoff(*io);
  for (;;) {
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
    const auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)), log_failure("http session"));
  }
}

asio::awaitable<void> HttpServer::Impl::session(tcp::socket socket) {
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

  asio::co_spawn(*impl.io, impl.accept_loop(), log_failure("http listener"));
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
  impl.io->stop();
  for (auto& thread : impl.threads) thread.join();
  impl.threads.clear();
  beast::error_code ec;
  impl.acceptor.close(ec);  // frees the port now; the connections go with the io_context
}

}  // namespace slabot
