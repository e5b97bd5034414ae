#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include "bot/stream/websocket_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <openssl/x509_vfy.h>

#include <atomic>
#include <exception>
#include <optional>

#include <spdlog/spdlog.h>

#include "bot/http/client/outbound_setup.hpp"
#include "domain/ascii.hpp"
#include "domain/url.hpp"

namespace slabot {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Kind = WebSocketResult::Kind;

namespace {

using Socket = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

WebSocketResult result(Kind kind, std::string text, int status = 0) {
  return WebSocketResult{kind, std::move(text), status};
}

// The URL as parse_url reads it: wss is https upgraded.
std::optional<ParsedUrl> parse_wss(const std::string& url, std::string& error) {
  if (!url.starts_with("wss://")) {
    error = "not a wss:// URL";
    return std::nullopt;
  }
  return parse_url("https://" + url.substr(6), error);
}

}  // namespace

std::string loggable_url(const std::string& url) { return url.substr(0, url.find('?')); }

struct WebSocketClient::Impl {
  explicit Impl(WebSocketOptions options_in)
      : options(std::move(options_in)),
        route(read_proxy_setting(options.https_proxy, options.no_proxy, "websocket client")),
        tls(make_client_tls_context(options.ca_file)),
        resolver(io),
        timer(io),
        heartbeat_timer(io),
        heartbeat_done(io) {}

  // Runs one operation to its end on the calling thread. Only until it ends: the WebSocket's
  // own idle timer (pings) stays armed while the socket is open, so the io_context never runs
  // out of work; its handlers run during the next operation.
  WebSocketResult run(asio::awaitable<WebSocketResult> operation) {
    if (stopping) return result(Kind::stopped, "stopped");
    WebSocketResult out;
    bool done = false;
    io.restart();
    asio::co_spawn(io, std::move(operation), [&out, &done](std::exception_ptr failure, WebSocketResult finished) {
      done = true;
      if (!failure) {
        out = std::move(finished);
        return;
      }
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        out = result(Kind::failed, std::string("internal error: ") + e.what());
      } catch (...) {
        out = result(Kind::failed, "internal error");
      }
    });
    while (!done && io.run_one() > 0) {}
    if (stopping) return result(Kind::stopped, "stopped");
    if (!done) return result(Kind::failed, "internal error: the operation was lost");
    return out;
  }

  // What an I/O error means, in words.
  WebSocketResult failure(const beast::error_code& ec, const std::string& doing) const {
    if (stopping) return result(Kind::stopped, "stopped");
    if (ec == beast::error::timeout || timed_out) return result(Kind::timed_out, doing + ": timed out");
    if (ec == websocket::error::closed) {
      const auto& reason = socket ? socket->reason() : websocket::close_reason{};
      return result(Kind::closed, fmt::format("{}: closed by the peer ({}{}{})", doing, static_cast<int>(reason.code),
                                              reason.reason.empty() ? "" : " ",
                                              std::string(reason.reason.data(), reason.reason.size())));
    }
    return result(Kind::failed, doing + ": " + ec.message());
  }

  // Opening, in steps: each coroutine starts with a wait and is kept small and out of line
  // (GCC 12 reports a false -Wmismatched-new-delete on Asio's frame allocator in a large one, as
  // tests/bot/http_client's proxy notes); what needs no wait is done between them.
  WebSocketResult open(const std::string& url_text) {
    std::string error;
    const auto url = parse_wss(url_text, error);
    if (!url) return result(Kind::failed, "bad stream URL: " + error);
    const auto via = route.for_host(url->host);
    WebSocketResult step = run(dial(*url, via));
    if (!step.ok()) return step;
    socket.emplace(std::move(*plain), tls);
    plain.reset();
    if (!expect_peer_name(socket->next_layer().native_handle(), url->host)) {
      return result(Kind::failed, "cannot set TLS host name");
    }
    step = run(secure(*url));
    if (!step.ok()) return step;
    // From here the WebSocket's own timeouts apply (Beast: the TCP stream's must be off).
    beast::get_lowest_layer(*socket).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options.connect_timeout;
    timeouts.idle_timeout = options.idle_timeout;
    timeouts.keep_alive_pings = true;
    socket->set_option(timeouts);
    socket->read_message_max(options.max_message_bytes);
    socket->set_option(
        websocket::stream_base::decorator([agent = options.user_agent](websocket::request_type& request) {
          request.set(beast::http::field::user_agent, agent);
        }));
    step = run(upgrade(*url));
    heartbeat_due = std::chrono::steady_clock::now();  // the first heartbeat at the first read
    return step;
  }

  // Resolve, connect, and CONNECT through the proxy when there is one: `plain` is connected.
  [[gnu::noinline]] asio::awaitable<WebSocketResult> dial(ParsedUrl url, std::optional<ProxyEndpoint> via) {
    const std::string& host = via ? via->host : url.host;
    const unsigned short port = via ? via->port : url.port;
    beast::error_code ec;
    timed_out = false;
    // Resolving has no deadline of its own: the timer cancels it.
    timer.expires_after(options.connect_timeout);
    timer.async_wait([this](const beast::error_code& wait_ec) {
      if (wait_ec) return;
      timed_out = true;
      resolver.cancel();
    });
    const auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), tcp::resolver::numeric_service,
                                                           asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    if (ec) co_return failure(ec, "resolving " + host);
    const std::string peer = via ? fmt::format("proxy {}:{}", host, port) : url.authority();
    plain.emplace(io);
    plain->expires_after(options.connect_timeout);
    co_await plain->async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failure(ec, "connecting to " + peer);
    if (!via) co_return result(Kind::ok, "");
    beast::flat_buffer buffer;
    plain->expires_after(options.connect_timeout);
    const TunnelOutcome tunnel = co_await open_tunnel(*plain, buffer, *via, url.authority(), options.user_agent);
    if (tunnel.ec) co_return failure(tunnel.ec, tunnel.doing);
    if (!tunnel.refused.empty()) co_return result(Kind::failed, tunnel.refused);
    co_return result(Kind::ok, "");
  }

  // The TLS handshake, the certificate checked against the CA setting and the host name.
  [[gnu::noinline]] asio::awaitable<WebSocketResult> secure(ParsedUrl url) {
    beast::error_code ec;
    beast::get_lowest_layer(*socket).expires_after(options.connect_timeout);
    co_await socket->next_layer().async_handshake(ssl::stream_base::client,
                                                  asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) co_return result(Kind::ok, "");
    WebSocketResult failed = failure(ec, "TLS handshake with " + url.authority());
    const long verify = SSL_get_verify_result(socket->next_layer().native_handle());
    if (failed.kind == Kind::failed && verify != X509_V_OK) {
      failed.text += fmt::format(" (certificate: {})", X509_verify_cert_error_string(verify));
    }
    co_return failed;
  }

  // The HTTP upgrade; an answer other than 101 is a refusal with its status.
  [[gnu::noinline]] asio::awaitable<WebSocketResult> upgrade(ParsedUrl url) {
    beast::error_code ec;
    websocket::response_type answer;
    const std::string host =
        (url.ipv6_literal ? "[" + url.host + "]" : url.host) + (url.port == 443 ? "" : ":" + std::to_string(url.port));
    co_await socket->async_handshake(answer, host, url.target, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == websocket::error::upgrade_declined) {
      WebSocketResult refused = result(
          Kind::refused, fmt::format("{} answered the upgrade with HTTP {}", url.authority(), answer.result_int()),
          static_cast<int>(answer.result_int()));
      for (const auto& field : answer) {
        const auto name = field.name_string();
        refused.headers[ascii_lower(std::string_view(name.data(), name.size()))] = std::string(field.value());
      }
      co_return refused;
    }
    if (ec) co_return failure(ec, "upgrading to WebSocket at " + url.authority());
    co_return result(Kind::ok, "");
  }

  [[gnu::noinline]] asio::awaitable<WebSocketResult> receive(std::string& message) {
    if (!socket) co_return result(Kind::failed, "not connected");
    beast::flat_buffer buffer;
    beast::error_code ec;
    reading = true;
    heartbeat_failure.clear();
    arm_heartbeat();
    co_await socket->async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    reading = false;
    heartbeat_timer.cancel();
    if (heartbeat_writing) {
      // The next operation may write: the heartbeat's write must be over first (one at a time).
      heartbeat_done.expires_at(asio::steady_timer::time_point::max());
      beast::error_code ignored;
      co_await heartbeat_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    if (ec && !heartbeat_failure.empty() && !stopping) co_return result(Kind::failed, heartbeat_failure);
    if (ec == websocket::error::message_too_big) {
      co_return result(Kind::failed, fmt::format("a message over {} bytes", options.max_message_bytes));
    }
    if (ec) co_return failure(ec, "reading");
    message = beast::buffers_to_string(buffer.data());
    co_return result(Kind::ok, "");
  }

  // While a read waits: the heartbeat when it is due, then again every heartbeat_every. Its write
  // runs beside the read (Beast allows one of each at a time); receive() waits for it to end.
  void arm_heartbeat() {
    if (heartbeat_message.empty() || heartbeat_every.count() <= 0 || !socket) return;
    heartbeat_timer.expires_at(heartbeat_due);
    heartbeat_timer.async_wait([this](const beast::error_code& ec) {
      // A wait that fired just as the read ended finds reading false: no write then.
      if (ec || !reading || !socket) return;
      heartbeat_writing = true;
      heartbeat_due = std::chrono::steady_clock::now() + heartbeat_every;
      socket->binary(true);
      socket->async_write(asio::buffer(heartbeat_message), [this](const beast::error_code& write_ec, std::size_t) {
        heartbeat_writing = false;
        heartbeat_done.cancel();
        if (write_ec) {
          // The read waiting ends with the connection, and says why.
          heartbeat_failure = "sending the heartbeat: " + write_ec.message();
          if (socket) beast::get_lowest_layer(*socket).close();
          return;
        }
        if (reading) arm_heartbeat();
      });
    });
  }

  [[gnu::noinline]] asio::awaitable<WebSocketResult> send(const std::string& message, bool binary) {
    if (!socket) co_return result(Kind::failed, "not connected");
    // A peer that stops reading must not hold the session: the timer drops the connection.
    timed_out = false;
    timer.expires_after(options.write_timeout);
    timer.async_wait([this](const beast::error_code& wait_ec) {
      if (wait_ec || !socket) return;
      timed_out = true;
      beast::get_lowest_layer(*socket).close();
    });
    socket->binary(binary);
    beast::error_code ec;
    co_await socket->async_write(asio::buffer(message), asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    if (ec) co_return failure(ec, "writing");
    co_return result(Kind::ok, "");
  }

  [[gnu::noinline]] asio::awaitable<WebSocketResult> say_goodbye() {
    if (!socket || !socket->is_open()) co_return result(Kind::ok, "");
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([this](const beast::error_code& wait_ec) {
      if (wait_ec || !socket) return;
      beast::get_lowest_layer(*socket).close();
    });
    beast::error_code ec;
    co_await socket->async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    co_return result(Kind::ok, "");
  }

  // On the io_context's thread.
  void cancel_everything() {
    resolver.cancel();
    timer.cancel();
    heartbeat_timer.cancel();
    heartbeat_done.cancel();
    if (plain) plain->close();
    if (socket) beast::get_lowest_layer(*socket).close();
  }

  const WebSocketOptions options;
  const ProxySetting route;
  ssl::context tls;  // before `io`: the socket refers to it
  asio::io_context io;
  tcp::resolver resolver;
  asio::steady_timer timer;
  // The platform's own heartbeat (WebSocketClient::heartbeat), sent while reads wait.
  asio::steady_timer heartbeat_timer;
  asio::steady_timer heartbeat_done;  // wakes a receive() waiting for the heartbeat's write to end
  std::string heartbeat_message;      // not changed while its write runs (only between operations)
  std::chrono::milliseconds heartbeat_every{0};
  std::chrono::steady_clock::time_point heartbeat_due{};
  std::string heartbeat_failure;
  bool reading = false;
  bool heartbeat_writing = false;
  std::optional<beast::tcp_stream> plain;  // while dialling
  std::optional<Socket> socket;
  std::atomic<bool> stopping{false};
  bool timed_out = false;
};

WebSocketClient::WebSocketClient(WebSocketOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

WebSocketClient::~WebSocketClient() {
  // Handlers still queued refer to the socket: it goes before the io_context.
  impl_->io.stop();
  impl_->socket.reset();
  impl_->plain.reset();
}

WebSocketResult WebSocketClient::connect(const std::string& url) {
  impl_->socket.reset();
  if (impl_->stopping) return result(Kind::stopped, "stopped");
  return impl_->open(url);
}

WebSocketResult WebSocketClient::read(std::string& message) { return impl_->run(impl_->receive(message)); }

WebSocketResult WebSocketClient::write(const std::string& message) { return impl_->run(impl_->send(message, false)); }

WebSocketResult WebSocketClient::write_binary(const std::string& message) {
  return impl_->run(impl_->send(message, true));
}

void WebSocketClient::heartbeat(std::string message, std::chrono::milliseconds every) {
  // Between operations, on the calling thread: nothing of the io_context runs now.
  const auto last_sent = impl_->heartbeat_due - impl_->heartbeat_every;
  impl_->heartbeat_message = std::move(message);
  impl_->heartbeat_every = every;
  // A new interval counts from the last heartbeat sent (none yet: due at once, as after connect).
  if (impl_->heartbeat_due > std::chrono::steady_clock::now()) impl_->heartbeat_due = last_sent + every;
}

void WebSocketClient::close() {
  if (!impl_->stopping) impl_->run(impl_->say_goodbye());
  impl_->socket.reset();
}

void WebSocketClient::stop() {
  impl_->stopping = true;
  // Runs on the thread of the call in progress, or at the start of the next one.
  asio::post(impl_->io, [impl = impl_.get()] { impl->cancel_everything(); });
}

}  // namespace slabot
