#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

// The HTTP client's request state machine: prepare, deliver (a pooled or a fresh connection,
// one retry when a kept-alive one was found closed), establish (resolve, connect, CONNECT
// through the proxy, TLS), transact (write, read the answer).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>
#include <map>

#include <spdlog/spdlog.h>

#include "bot/http/client/client_impl.hpp"
#include "bot/http/malformed_http.hpp"
#include "bot/http/proxy/proxy_url.hpp"
#include "bot/http/redact.hpp"
#include "domain/ascii.hpp"

namespace slabot {
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using namespace http_internal;

namespace {

constexpr std::size_t response_header_limit = 64 * 1024;

// RFC 9110 token characters: what a method or a header name may be made of.
bool is_token(std::string_view text) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || extra.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// No CR, LF or NUL: a value that could end the header early and smuggle another one.
bool is_header_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// The deadline of one step: its own limit or what is left of the total, whichever ends first.
struct Deadline {
  SteadyClock::time_point at;
  const char* what;  // "connect", "read" or "total"
  std::chrono::milliseconds limit;
};

Deadline step_deadline(SteadyClock::time_point total_at, std::chrono::milliseconds total,
                       std::chrono::milliseconds step, const char* what) {
  const auto step_at = SteadyClock::now() + step;
  if (step_at < total_at) return {step_at, what, step};
  return {total_at, "total", total};
}

// The errors that say the peer closed the connection: on a reused connection, before any
// answer arrived, that is a server having dropped it while it sat idle.
bool closed_by_peer(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted || ec == ssl::error::stream_truncated;
}

Failure timeout_failure(const Deadline& deadline, std::string_view doing) {
  return {TransportFailure::timeout,
          fmt::format("{} timeout ({} ms) {}", deadline.what, deadline.limit.count(), doing)};
}

// `kind` is what the failure is unless the client was stopped or a deadline passed.
Failure io_failure(const Connection& connection, const beast::error_code& ec, const Deadline& deadline,
                   TransportFailure kind, std::string_view doing) {
  if (connection.cancelled) return {TransportFailure::stopped, std::string(client_stopped)};
  if (ec == beast::error::timeout) return timeout_failure(deadline, doing);
  return {kind, fmt::format("{} failed: {}", doing, ec.message())};
}

Failure tls_failure(const Connection& connection, const beast::error_code& ec, const Deadline& deadline, SSL* ssl,
                    const std::string& peer) {
  Failure failure = io_failure(connection, ec, deadline, TransportFailure::tls, "TLS handshake with " + peer);
  const long verify = SSL_get_verify_result(ssl);
  if (failure.kind == TransportFailure::tls && verify != X509_V_OK) {
    failure.text += fmt::format(" (certificate: {})", X509_verify_cert_error_string(verify));
  }
  return failure;
}

std::map<std::string, std::string> lower_cased_headers(const http::fields& fields) {
  std::map<std::string, std::string> headers;
  for (const auto& field : fields) {
    const auto name = field.name_string();
    const auto value = field.value();
    auto [slot, inserted] =
        headers.try_emplace(ascii_lower(std::string_view(name.data(), name.size())), value.data(), value.size());
    if (!inserted) slot->second.append(", ").append(value.data(), value.size());  // RFC 9110 5.3
  }
  return headers;
}

}  // namespace

bool BeastHttpClient::Impl::prepare(Exchange& exchange, OutboundRequest request, std::string& error) const {
  auto url = parse_url(request.url, error);
  if (!url) {
    error = "bad URL: " + error;
    return false;
  }
  if (!is_token(request.method)) {
    error = "bad method '" + request.method + "'";
    return false;
  }
  Request& out = exchange.request;
  out.version(11);
  const auto verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    out.method_string(request.method);
  } else {
    out.method(verb);
  }
  out.target(url->target);
  const bool default_port = url->port == (url->scheme == "https" ? 443 : 80);
  const std::string host = url->ipv6_literal ? "[" + url->host + "]" : url->host;
  out.set(http::field::host, default_port ? host : host + ":" + std::to_string(url->port));
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name) || !is_header_value(value)) {
      error = "bad header '" + name + "'";
      return false;
    }
    // Framing is the client's business: it is derived from the body and the URL.
    const auto key = ascii_lower(name);
    if (key == "host" || key == "content-length" || key == "transfer-encoding") continue;
    out.insert(name, value);
  }
  if (out.find(http::field::user_agent) == out.end() && !options.user_agent.empty()) {
    out.set(http::field::user_agent, options.user_agent);
  }
  out.body() = std::move(request.body);
  out.prepare_payload();
  if (url->scheme == "https") exchange.proxy = route.for_host(url->host);
  exchange.url = std::move(*url);
  return true;
}

asio::awaitable<HttpResponse> BeastHttpClient::Impl::perform(std::uint64_t id, OutboundRequest request) {
  const auto started = SteadyClock::now();
  // Checked first: redacting costs more than a disabled log line should.
  const bool debug = spdlog::default_logger_raw()->should_log(spdlog::level::debug);
  if (debug) {
    spdlog::debug("http #{} -> {} {} [{}] {} bytes", id, request.method, redact_url(request.url),
                  describe_headers(request.headers), request.body.size());
  }
  auto exchange = std::make_shared<Exchange>();
  exchange->id = id;
  exchange->deadline = started + options.total_timeout;

  HttpResponse response;
  std::string error;
  if (!prepare(*exchange, std::move(request), error)) {
    response = no_answer({TransportFailure::bad_request, std::move(error)});
  } else {
    response = co_await deliver(std::move(exchange));
  }

  if (debug) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
    if (response.status == 0) {
      spdlog::debug("http #{} <- no answer after {} ms: {}", id, elapsed.count(), response.body);
    } else {
      spdlog::debug("http #{} <- {} after {} ms, {} bytes [{}]", id, response.status, elapsed.count(),
                    response.body.size(), describe_headers(response.headers));
    }
  }
  co_return response;
}

asio::awaitable<HttpResponse> BeastHttpClient::Impl::deliver(std::shared_ptr<const Exchange> exchange) {
  const std::string key = exchange->url.scheme + "://" + exchange->url.authority();
  bool fresh_only = false;
  for (;;) {
    std::shared_ptr<Connection> connection = fresh_only ? nullptr : pool.take_idle(key);
    const bool reused = connection != nullptr;
    if (!connection) connection = std::make_shared<Connection>(asio::make_strand(io));
    if (!pool.activate(connection)) {
      retire(std::move(connection));
      co_return no_answer({TransportFailure::stopped, std::string(client_stopped)});
    }

    // Leaves the set of connections in use even should the attempt throw.
    struct Deactivate {
      Impl& impl;
      const std::shared_ptr<Connection>& connection;
      ~Deactivate() { impl.pool.deactivate(connection); }
    };
    Outcome outcome;
    {
      Deactivate deactivate{*this, connection};
      // The connection's I/O runs on its strand; this coroutine waits for the outcome.
      outcome = co_await asio::co_spawn(connection->strand, run_exchange(connection, exchange), asio::use_awaitable);
    }

    if (outcome.ok) {
      if (outcome.reusable) {
        pool.park(key, std::move(connection));
      } else {
        retire(std::move(connection));
      }
      co_return std::move(outcome.response);
    }
    retire(std::move(connection));
    // A kept-alive connection the server closed while it idled: nothing was answered, so the
    // request most likely never reached the application. Once, on a fresh connection.
    if (reused && outcome.nothing_received && outcome.peer_closed) {
      spdlog::debug("http #{}: kept-alive connection was closed ({}); retrying on a new one", exchange->id,
                    outcome.response.body);
      fresh_only = true;
      continue;
    }
    co_return std::move(outcome.response);
  }
}

asio::awaitable<Outcome> BeastHttpClient::Impl::run_exchange(std::shared_ptr<Connection> connection,
                                                             std::shared_ptr<const Exchange> exchange) {
  if (!connection->connected) {
    Failure failure = co_await establish(*connection, *exchange);
    if (failure) {
      Outcome failed;
      failed.response = no_answer(std::move(failure));
      co_return failed;
    }
    connection->connected = true;
  }
  if (connection->tls) co_return co_await transact(*connection, *connection->tls, *exchange);
  co_return co_await transact(*connection, *connection->plain, *exchange);
}

asio::awaitable<Failure> BeastHttpClient::Impl::establish(Connection& connection, const Exchange& exchange) {
  if (connection.cancelled) co_return Failure{TransportFailure::stopped, std::string(client_stopped)};
  const ParsedUrl& url = exchange.url;
  const auto& via = exchange.proxy;
  const std::string& host = via ? via->host : url.host;
  const unsigned short port = via ? via->port : url.port;
  const std::string peer = via ? fmt::format("proxy {}:{}", host, port) : url.authority();
  const Deadline deadline = step_deadline(exchange.deadline, options.total_timeout, options.connect_timeout, "connect");
  beast::error_code ec;

  // Resolving: the resolver has no deadline of its own, so a timer cancels it.
  connection.resolve_timed_out = false;
  connection.resolve_timer.expires_at(deadline.at);
  connection.resolve_timer.async_wait([self = connection.shared_from_this()](const beast::error_code& wait_ec) {
    if (wait_ec) return;
    self->resolve_timed_out = true;
    self->resolver.cancel();
  });
  const auto endpoints = co_await connection.resolver.async_resolve(
      host, std::to_string(port), tcp::resolver::numeric_service, asio::redirect_error(asio::use_awaitable, ec));
  connection.resolve_timer.cancel();
  if (connection.cancelled) co_return Failure{TransportFailure::stopped, std::string(client_stopped)};
  if (connection.resolve_timed_out) co_return timeout_failure(deadline, "resolving " + host);
  // Through a proxy, the name that did not resolve is the proxy's.
  if (ec) {
    co_return Failure{via ? TransportFailure::proxy : TransportFailure::resolve,
                      fmt::format("cannot resolve {}: {}", host, ec.message())};
  }

  connection.plain.emplace(connection.strand);
  connection.plain->expires_at(deadline.at);
  co_await connection.plain->async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return io_failure(connection, ec, deadline, via ? TransportFailure::proxy : TransportFailure::connect,
                         "connecting to " + peer);
  }

  if (via) {
    // The tunnel: "CONNECT host:port", a 2xx answer, then the bytes are the target's.
    connection.plain->expires_at(deadline.at);
    const TunnelOutcome tunnel =
        co_await open_tunnel(*connection.plain, connection.buffer, *via, url.authority(), options.user_agent);
    if (tunnel.ec) {
      ec = tunnel.ec;
      co_return io_failure(connection, ec, deadline, TransportFailure::proxy, tunnel.doing);
    }
    if (!tunnel.refused.empty()) co_return Failure{TransportFailure::proxy, tunnel.refused};
  }

  if (url.scheme != "https") co_return Failure{};

  connection.tls.emplace(std::move(*connection.plain), tls);
  connection.plain.reset();
  SSL* ssl = connection.tls->native_handle();
  if (!expect_peer_name(ssl, url.host)) co_return Failure{TransportFailure::tls, "cannot set TLS host name"};
  beast::get_lowest_layer(*connection.tls).expires_at(deadline.at);
  co_await connection.tls->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tls_failure(connection, ec, deadline, ssl, url.authority());
  co_return Failure{};
}

template <class Stream>
asio::awaitable<Outcome> BeastHttpClient::Impl::transact(Connection& connection, Stream& stream,
                                                         const Exchange& exchange) {
  Outcome out;
  auto& tcp_stream = beast::get_lowest_layer(stream);
  const std::string peer = exchange.url.authority();
  beast::error_code ec;
  const auto fail = [&](const Deadline& deadline, std::string_view doing) {
    out.peer_closed = closed_by_peer(ec);
    // An answer that is not HTTP is the peer's fault, not the network's.
    const auto kind = is_malformed_http(ec) ? TransportFailure::malformed : TransportFailure::connection_lost;
    out.response = no_answer(io_failure(connection, ec, deadline, kind, doing));
    return std::move(out);
  };
  const auto next_deadline = [&] {
    return step_deadline(exchange.deadline, options.total_timeout, options.read_timeout, "read");
  };

  Deadline deadline = next_deadline();
  tcp_stream.expires_at(deadline.at);
  co_await http::async_write(stream, exchange.request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail(deadline, "sending the request to " + peer);

  for (;;) {
    http::response_parser<http::string_body> parser;
    parser.header_limit(response_header_limit);
    // Enforced while reading: a Content-Length over the limit fails at the header, and the
    // body never grows past it.
    parser.body_limit(options.max_response_bytes);
    if (exchange.request.method() == http::verb::head) parser.skip(true);

    deadline = next_deadline();
    tcp_stream.expires_at(deadline.at);
    co_await http::async_read_header(stream, connection.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (parser.got_some() || connection.buffer.size() != 0) out.nothing_received = false;
    if (!ec && !parser.is_done()) {
      deadline = next_deadline();
      tcp_stream.expires_at(deadline.at);
      co_await http::async_read(stream, connection.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    // A body delimited by the end of the connection, ended without TLS close_notify: the
    // bytes are all there, as browsers and curl accept.
    if (ec == ssl::error::stream_truncated && parser.is_header_done() && parser.need_eof()) {
      beast::error_code eof_ec;
      parser.put_eof(eof_ec);
      if (!eof_ec) ec = {};
    }
    if (ec == http::error::body_limit) {
      out.response =
          no_answer({TransportFailure::too_large, fmt::format("response too large: the body from {} exceeds {} bytes",
                                                              peer, options.max_response_bytes)});
      co_return out;
    }
    if (ec == http::error::header_limit) {
      out.response =
          no_answer({TransportFailure::too_large, fmt::format("response too large: the header from {} exceeds {} bytes",
                                                              peer, response_header_limit)});
      co_return out;
    }
    if (ec) co_return fail(deadline, "reading the response from " + peer);

    auto& response = parser.get();
    const unsigned status = response.result_int();
    // Interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (status >= 100 && status < 200 && status != 101) continue;

    out.ok = true;
    out.response.status = static_cast<int>(status);
    out.response.headers = lower_cased_headers(response.base());
    out.response.body = std::move(response.body());
    out.reusable = parser.keep_alive() && status != 101 && connection.buffer.size() == 0;
    co_return out;
  }
}

}  // namespace slabot
