#pragma once
// Internal to the HTTP client (bot/http/): one kept-alive connection to one (scheme, host, port),
// shared by the connection pool and the request state machine. Beast stays in bot/http.
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http_types.hpp"

namespace slabot::http_internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

inline constexpr std::string_view client_stopped = "client stopped";

// One connection to one (scheme, host, port). Its I/O happens on its strand only, whichever
// request uses it; the pool hands it from one request to the next.
struct Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(Strand executor) : strand(std::move(executor)), resolver(strand), resolve_timer(strand) {}

  beast::tcp_stream* lowest() {
    if (tls) return &beast::get_lowest_layer(*tls);
    if (plain) return &*plain;
    return nullptr;
  }

  // On the strand. Every pending operation ends with operation_aborted.
  void cancel() {
    cancelled = true;
    resolver.cancel();
    resolve_timer.cancel();
    close();
  }

  // On the strand. Idle connections end here; TLS close_notify is not sent (servers do not
  // need it, and waiting for the peer's would only delay closing).
  void close() {
    if (auto* stream = lowest()) stream->close();
  }

  Strand strand;
  tcp::resolver resolver;
  asio::steady_timer resolve_timer;
  std::optional<beast::tcp_stream> plain;
  std::optional<TlsStream> tls;
  beast::flat_buffer buffer;  // kept across exchanges; empty between them
  bool connected = false;
  bool cancelled = false;
  bool resolve_timed_out = false;
};

// Closes it on its own strand, where its last handlers run.
void retire(std::shared_ptr<Connection> connection);

// Why an attempt got no answer: its kind and, in words, what failed.
struct Failure {
  TransportFailure kind = TransportFailure::none;
  std::string text;
  explicit operator bool() const { return kind != TransportFailure::none; }
};

// The response that says no answer came, and why.
HttpResponse no_answer(Failure failure);

}  // namespace slabot::http_internal
