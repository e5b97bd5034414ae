#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include "bot/http/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "adapters/crypto.hpp"
#include "adapters/wire/percent.hpp"
#include "bot/http/malformed_http.hpp"
#include "bot/http/redact.hpp"

#include "domain/ascii.hpp"

namespace slabot {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

using SteadyClock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;
using Request = http::request<http::string_body>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::size_t response_header_limit = 64 * 1024;
constexpr std::string_view client_stopped = "client stopped";

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

bool is_ip_literal(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string environment(const char* lower_name, const char* upper_name) {
  for (const char* name : {lower_name, upper_name}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
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
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == ssl::error::stream_truncated;
}

// A request ready to go: immutable once built, shared by the attempts.
struct Exchange {
  std::uint64_t id = 0;
  ParsedUrl url;
  std::optional<ProxyEndpoint> proxy;  // set when tunnelling
  Request request;
  SteadyClock::time_point deadline;
};

// What one attempt on one connection came to.
struct Outcome {
  HttpResponse response;  // status 0 and the reason in the body unless `ok`
  bool ok = false;
  bool reusable = false;          // the connection may carry another request
  bool nothing_received = true;   // no byte of an answer arrived
  bool peer_closed = false;       // the failure was the peer closing the connection
};

// One connection to one (scheme, host, port). Its I/O happens on its strand only, whichever
// request uses it; the pool hands it from one request to the next.
struct Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(Strand executor)
      : strand(std::move(executor)), resolver(strand), resolve_timer(strand) {}

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

// Why an attempt got no answer: its kind and, in words, what failed.
struct Failure {
  TransportFailure kind = TransportFailure::none;
  std::string text;
  explicit operator bool() const { return kind != TransportFailure::none; }
};

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

Failure tls_failure(const Connection& connection, const beast::error_code& ec, const Deadline& deadline,
                    SSL* ssl, const std::string& peer) {
  Failure failure = io_failure(connection, ec, deadline, TransportFailure::tls, "TLS handshake with " + peer);
  const long verify = SSL_get_verify_result(ssl);
  if (failure.kind == TransportFailure::tls && verify != X509_V_OK) {
    failure.text += fmt::format(" (certificate: {})", X509_verify_cert_error_string(verify));
  }
  return failure;
}

HttpResponse no_answer(Failure failure) {
  HttpResponse response;
  response.failure = failure.kind;
  response.body = std::move(failure.text);
  return response;
}

std::map<std::string, std::string> lower_cased_headers(const http::fields& fields) {
  std::map<std::string, std::string> headers;
  for (const auto& field : fields) {
    const auto name = field.name_string();
    const auto value = field.value();
    auto [slot, inserted] = headers.try_emplace(ascii_lower(std::string_view(name.data(), name.size())),
                                                value.data(), value.size());
    if (!inserted) slot->second.append(", ").append(value.data(), value.size());  // RFC 9110 5.3
  }
  return headers;
}

}  // namespace

// ---- The pure parts ----

std::optional<ProxyEndpoint> parse_proxy_url(std::string_view url, std::string& error) {
  auto rest = url;
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    const auto scheme = ascii_lower(url.substr(0, scheme_end));
    if (scheme != "http") {
      error = "unsupported proxy scheme '" + scheme + "' (only http:// proxies)";
      return std::nullopt;
    }
    rest = url.substr(scheme_end + 3);
  }
  // A trailing slash is common in these settings; a path is not meaningful for a proxy.
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    error = "a proxy URL has no path";
    return std::nullopt;
  }
  ProxyEndpoint proxy;
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    const auto userinfo = rest.substr(0, at);
    const auto colon = userinfo.find(':');
    const auto user = percent_decode(userinfo.substr(0, colon), Plus::literal);
    const auto password = percent_decode(
        colon == std::string_view::npos ? std::string_view{} : userinfo.substr(colon + 1), Plus::literal);
    if (!user || !password) {
      error = "bad percent-encoding in the proxy credentials";
      return std::nullopt;
    }
    proxy.authorization = "Basic " + base64_encode(*user + ":" + *password);
    rest.remove_prefix(at + 1);
  }
  bool ipv6 = false;
  std::optional<unsigned short> port;
  if (!split_authority(rest, proxy.host, ipv6, port, error)) {
    error = "proxy: " + error;
    return std::nullopt;
  }
  proxy.port = port.value_or(80);
  return proxy;
}

bool bypasses_proxy(std::string_view host, std::string_view no_proxy) {
  const std::string name = ascii_lower(host);
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    std::string_view entry = no_proxy.substr(0, comma);
    no_proxy = comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.front()))) {
      entry.remove_prefix(1);
    }
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.back()))) {
      entry.remove_suffix(1);
    }
    if (entry.empty()) continue;
    if (entry == "*") return true;
    // Ports are ignored: "[v6]:port", "host:port"; a bare IPv6 address has several colons.
    if (entry.front() == '[') {
      const auto close = entry.find(']');
      entry = entry.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
      entry = entry.substr(0, entry.find(':'));
    }
    std::string pattern = ascii_lower(entry);
    if (!pattern.empty() && pattern.front() == '.') pattern.erase(0, 1);
    if (pattern.empty()) continue;
    if (name == pattern) return true;
    // A subdomain: "api.example.com" under "example.com", never "badexample.com". An address
    // matches only itself ("10.0.0.1" is not "under" "0.0.1").
    if (!is_ip_literal(name) && name.size() > pattern.size() && name.compare(name.size() - pattern.size(), pattern.size(),
                                                     pattern) == 0 &&
        name[name.size() - pattern.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

// ---- The client ----

struct BeastHttpClient::Impl {
  explicit Impl(HttpClientOptions options_in)
      : options(std::move(options_in)), tls(make_tls_context(options)), work(io.get_executor()) {
    std::string proxy_url = options.https_proxy;
    const bool from_environment = proxy_url.empty();
    if (from_environment) proxy_url = environment("https_proxy", "HTTPS_PROXY");
    no_proxy = options.no_proxy.empty() ? environment("no_proxy", "NO_PROXY") : options.no_proxy;
    if (!proxy_url.empty()) {
      std::string error;
      proxy = parse_proxy_url(proxy_url, error);
      if (!proxy) {
        throw std::runtime_error(fmt::format("{}: {}", from_environment ? "https_proxy (environment)"
                                                                        : "https_proxy",
                                             error));
      }
      // Host and port only: the credentials stay out of the log.
      spdlog::info("http client: https via proxy {}:{}{}", proxy->host, proxy->port,
                   no_proxy.empty() ? "" : ", except no_proxy " + no_proxy);
    }
  }

  static ssl::context make_tls_context(const HttpClientOptions& options);

  asio::awaitable<HttpResponse> perform(std::uint64_t id, OutboundRequest request);
  asio::awaitable<HttpResponse> deliver(std::shared_ptr<const Exchange> exchange);
  bool prepare(Exchange& exchange, OutboundRequest request, std::string& error) const;

  asio::awaitable<Outcome> run_exchange(std::shared_ptr<Connection> connection,
                                        std::shared_ptr<const Exchange> exchange);
  asio::awaitable<Failure> establish(Connection& connection, const Exchange& exchange);
  template <class Stream>
  asio::awaitable<Outcome> transact(Connection& connection, Stream& stream,
                                    const Exchange& exchange);

  // The pool and the set of connections in use, under `mutex`.
  std::shared_ptr<Connection> take_idle(const std::string& key);
  void park(const std::string& key, std::shared_ptr<Connection> connection);
  bool activate(const std::shared_ptr<Connection>& connection);
  void deactivate(const std::shared_ptr<Connection>& connection);
  void sweep_idle();
  asio::awaitable<void> sweep_loop();
  void finished();

  // Closes it on its own strand, where its last handlers run.
  static void retire(std::shared_ptr<Connection> connection) {
    if (!connection) return;
    const auto strand = connection->strand;
    asio::post(strand, [connection = std::move(connection)] { connection->close(); });
  }

  const HttpClientOptions options;
  std::optional<ProxyEndpoint> proxy;
  std::string no_proxy;
  ssl::context tls;  // before `io`: streams still in the io_context's handlers refer to it

  // Before `io`, so they outlive it: requests still unfinished when the destructor gives up
  // waiting are destroyed with the io_context, and their frames lock `mutex` and leave `active`.
  std::mutex mutex;
  std::condition_variable all_answered;
  bool stopping = false;
  std::size_t in_flight = 0;
  struct Idle {
    std::shared_ptr<Connection> connection;
    SteadyClock::time_point since;
  };
  std::map<std::string, std::vector<Idle>> idle;  // oldest first; emptied by the destructor
  std::set<std::shared_ptr<Connection>> active;   // emptied by the destructor
  std::atomic<std::uint64_t> next_id{0};

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
};

ssl::context BeastHttpClient::Impl::make_tls_context(const HttpClientOptions& options) {
  ssl::context context(ssl::context::tls_client);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                      ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    throw std::runtime_error("cannot require TLS 1.2 or later");
  }
  context.set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (options.ca_file.empty()) {
    context.set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("cannot load the system trust store: " + ec.message());
  } else {
    context.load_verify_file(options.ca_file, ec);
    if (ec) {
      throw std::runtime_error("cannot load ca_file " + options.ca_file + ": " + ec.message());
    }
  }
  return context;
}

bool BeastHttpClient::Impl::prepare(Exchange& exchange, OutboundRequest request,
                                    std::string& error) const {
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
  if (url->scheme == "https" && proxy && !bypasses_proxy(url->host, no_proxy)) {
    exchange.proxy = proxy;
  }
  exchange.url = std::move(*url);
  return true;
}

asio::awaitable<HttpResponse> BeastHttpClient::Impl::perform(std::uint64_t id,
                                                             OutboundRequest request) {
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
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
    if (response.status == 0) {
      spdlog::debug("http #{} <- no answer after {} ms: {}", id, elapsed.count(), response.body);
    } else {
      spdlog::debug("http #{} <- {} after {} ms, {} bytes [{}]", id, response.status,
                    elapsed.count(), response.body.size(), describe_headers(response.headers));
    }
  }
  co_return response;
}

asio::awaitable<HttpResponse> BeastHttpClient::Impl::deliver(
    std::shared_ptr<const Exchange> exchange) {
  const std::string key = exchange->url.scheme + "://" + exchange->url.authority();
  bool fresh_only = false;
  for (;;) {
    std::shared_ptr<Connection> connection = fresh_only ? nullptr : take_idle(key);
    const bool reused = connection != nullptr;
    if (!connection) connection = std::make_shared<Connection>(asio::make_strand(io));
    if (!activate(connection)) {
      retire(std::move(connection));
      co_return no_answer({TransportFailure::stopped, std::string(client_stopped)});
    }

    // Leaves the set of connections in use even should the attempt throw.
    struct Deactivate {
      Impl& impl;
      const std::shared_ptr<Connection>& connection;
      ~Deactivate() { impl.deactivate(connection); }
    };
    Outcome outcome;
    {
      Deactivate deactivate{*this, connection};
      // The connection's I/O runs on its strand; this coroutine waits for the outcome.
      outcome = co_await asio::co_spawn(connection->strand, run_exchange(connection, exchange),
                                        asio::use_awaitable);
    }

    if (outcome.ok) {
      if (outcome.reusable) {
        park(key, std::move(connection));
      } else {
        retire(std::move(connection));
      }
      co_return std::move(outcome.response);
    }
    retire(std::move(connection));
    // A kept-alive connection the server closed while it idled: nothing was answered, so the
    // request most likely never reached the application. Once, on a fresh connection.
    if (reused && outcome.nothing_received && outcome.peer_closed) {
      spdlog::debug("http #{}: kept-alive connection was closed ({}); retrying on a new one",
                    exchange->id, outcome.response.body);
      fresh_only = true;
      continue;
    }
    co_return std::move(outcome.response);
  }
}

asio::awaitable<Outcome> BeastHttpClient::Impl::run_exchange(
    std::shared_ptr<Connection> connection, std::shared_ptr<const Exchange> exchange) {
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

asio::awaitable<Failure> BeastHttpClient::Impl::establish(Connection& connection,
                                                          const Exchange& exchange) {
  if (connection.cancelled) co_return Failure{TransportFailure::stopped, std::string(client_stopped)};
  const ParsedUrl& url = exchange.url;
  const auto& via = exchange.proxy;
  const std::string& host = via ? via->host : url.host;
  const unsigned short port = via ? via->port : url.port;
  const std::string peer =
      via ? fmt::format("proxy {}:{}", host, port) : url.authority();
  const Deadline deadline = step_deadline(exchange.deadline, options.total_timeout,
                                          options.connect_timeout, "connect");
  beast::error_code ec;

  // Resolving: the resolver has no deadline of its own, so a timer cancels it.
  connection.resolve_timed_out = false;
  connection.resolve_timer.expires_at(deadline.at);
  connection.resolve_timer.async_wait(
      [self = connection.shared_from_this()](const beast::error_code& wait_ec) {
        if (wait_ec) return;
        self->resolve_timed_out = true;
        self->resolver.cancel();
      });
  const auto endpoints = co_await connection.resolver.async_resolve(
      host, std::to_string(port), tcp::resolver::numeric_service,
      asio::redirect_error(asio::use_awaitable, ec));
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
  co_await connection.plain->async_connect(endpoints,
                                           asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return io_failure(connection, ec, deadline, via ? TransportFailure::proxy : TransportFailure::connect,
                         "connecting to " + peer);
  }

  if (via) {
    // The tunnel: "CONNECT host:port", a 2xx answer, then the bytes are the target's.
    http::request<http::empty_body> tunnel{http::verb::connect, url.authority(), 11};
    tunnel.set(http::field::host, url.authority());
    if (!via->authorization.empty()) tunnel.set(http::field::proxy_authorization, via->authorization);
    if (!options.user_agent.empty()) tunnel.set(http::field::user_agent, options.user_agent);
    connection.plain->expires_at(deadline.at);
    co_await http::async_write(*connection.plain, tunnel,
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return io_failure(connection, ec, deadline, TransportFailure::proxy, "sending CONNECT to " + peer);
    http::response_parser<http::empty_body> parser;
    parser.skip(true);  // a 2xx answer to CONNECT has no body, whatever its headers say
    parser.header_limit(response_header_limit);
    co_await http::async_read_header(*connection.plain, connection.buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return io_failure(connection, ec, deadline, TransportFailure::proxy,
                           "reading the CONNECT answer from " + peer);
    }
    const auto& answer = parser.get();
    if (answer.result_int() / 100 != 2) {
      co_return Failure{TransportFailure::proxy,
                        fmt::format("{} refused CONNECT to {}: {} {}", peer, url.authority(), answer.result_int(),
                                    std::string(answer.reason()))};
    }
    if (connection.buffer.size() != 0) {
      co_return Failure{TransportFailure::proxy, fmt::format("{} sent unexpected bytes after its CONNECT answer", peer)};
    }
  }

  if (url.scheme != "https") co_return Failure{};

  connection.tls.emplace(std::move(*connection.plain), tls);
  connection.plain.reset();
  SSL* ssl = connection.tls->native_handle();
  // Host-name (or IP address) verification by OpenSSL itself, which also names a mismatch in
  // its verify result; SNI only for names (RFC 6066 forbids literals there).
  if (is_ip_literal(url.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, url.host.c_str());
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl, url.host.c_str()) != 1) co_return Failure{TransportFailure::tls, "cannot set TLS host name"};
  }
  beast::get_lowest_layer(*connection.tls).expires_at(deadline.at);
  co_await connection.tls->async_handshake(ssl::stream_base::client,
                                           asio::redirect_error(asio::use_awaitable, ec));
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
  co_await http::async_write(stream, exchange.request,
                             asio::redirect_error(asio::use_awaitable, ec));
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
    co_await http::async_read_header(stream, connection.buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (parser.got_some() || connection.buffer.size() != 0) out.nothing_received = false;
    if (!ec && !parser.is_done()) {
      deadline = next_deadline();
      tcp_stream.expires_at(deadline.at);
      co_await http::async_read(stream, connection.buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
    }
    // A body delimited by the end of the connection, ended without TLS close_notify: the
    // bytes are all there, as browsers and curl accept.
    if (ec == ssl::error::stream_truncated && parser.is_header_done() && parser.need_eof()) {
      beast::error_code eof_ec;
      parser.put_eof(eof_ec);
      if (!eof_ec) ec = {};
    }
    if (ec == http::error::body_limit) {
      out.response = no_answer({TransportFailure::too_large,
                                fmt::format("response too large: the body from {} exceeds {} bytes", peer,
                                            options.max_response_bytes)});
      co_return out;
    }
    if (ec == http::error::header_limit) {
      out.response = no_answer({TransportFailure::too_large,
                                fmt::format("response too large: the header from {} exceeds {} bytes", peer,
                                            response_header_limit)});
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

std::shared_ptr<Connection> BeastHttpClient::Impl::take_idle(const std::string& key) {
  std::vector<std::shared_ptr<Connection>> expired;
  std::shared_ptr<Connection> found;
  {
    std::lock_guard lock(mutex);
    const auto slot = idle.find(key);
    if (slot == idle.end()) return nullptr;
    const auto now = SteadyClock::now();
    auto& list = slot->second;
    while (!list.empty() && !found) {
      Idle entry = std::move(list.back());  // the most recently used: the least likely closed
      list.pop_back();
      if (now - entry.since < options.idle_timeout) {
        found = std::move(entry.connection);
      } else {
        expired.push_back(std::move(entry.connection));
      }
    }
    if (list.empty()) idle.erase(slot);
  }
  for (auto& connection : expired) retire(std::move(connection));
  return found;
}

void BeastHttpClient::Impl::park(const std::string& key, std::shared_ptr<Connection> connection) {
  std::shared_ptr<Connection> dropped;
  {
    std::lock_guard lock(mutex);
    if (stopping || options.max_idle_per_host == 0) {
      dropped = std::move(connection);
    } else {
      auto& list = idle[key];
      if (list.size() >= options.max_idle_per_host) {
        dropped = std::move(list.front().connection);
        list.erase(list.begin());
      }
      list.push_back({std::move(connection), SteadyClock::now()});
    }
  }
  retire(std::move(dropped));
}

bool BeastHttpClient::Impl::activate(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex);
  if (stopping) return false;
  active.insert(connection);
  return true;
}

void BeastHttpClient::Impl::deactivate(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex);
  active.erase(connection);
}

void BeastHttpClient::Impl::sweep_idle() {
  std::vector<std::shared_ptr<Connection>> expired;
  {
    std::lock_guard lock(mutex);
    const auto now = SteadyClock::now();
    for (auto slot = idle.begin(); slot != idle.end();) {
      auto& list = slot->second;
      // Oldest first: the expired ones are a prefix.
      auto keep = list.begin();
      while (keep != list.end() && now - keep->since >= options.idle_timeout) {
        expired.push_back(std::move(keep->connection));
        ++keep;
      }
      list.erase(list.begin(), keep);
      slot = list.empty() ? idle.erase(slot) : std::next(slot);
    }
  }
  for (auto& connection : expired) retire(std::move(connection));
}

asio::awaitable<void> BeastHttpClient::Impl::sweep_loop() {
  // Closes idle connections when they expire, not only when their host is next used.
  const auto period = std::clamp<std::chrono::milliseconds>(
      options.idle_timeout / 2, std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(period);
    beast::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    {
      std::lock_guard lock(mutex);
      if (stopping) co_return;
    }
    sweep_idle();
  }
}

void BeastHttpClient::Impl::finished() {
  std::lock_guard lock(mutex);
  --in_flight;
  if (in_flight == 0) all_answered.notify_all();
}

BeastHttpClient::BeastHttpClient(HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& impl = *impl_;
  asio::co_spawn(asio::make_strand(impl.io), impl.sweep_loop(), [](std::exception_ptr failure) {
    if (failure) spdlog::warn("http client: the idle-connection sweeper stopped");
  });
  const int thread_count = std::max(1, impl.options.threads);
  try {
    for (int i = 0; i < thread_count; ++i) {
      impl.threads.emplace_back([&io = impl.io] {
        for (;;) {
          try {
            io.run();
            return;
          } catch (const std::exception& e) {
            // Handlers catch their own failures; this is the last line of defence.
            spdlog::error("http client event loop: {}", e.what());
          }
        }
      });
    }
  } catch (...) {
    // No destructor runs for a half-built client: stop the threads that did start.
    impl.io.stop();
    for (auto& thread : impl.threads) thread.join();
    throw;
  }
}

BeastHttpClient::~BeastHttpClient() {
  Impl& impl = *impl_;
  std::vector<std::shared_ptr<Connection>> in_use;
  std::vector<std::shared_ptr<Connection>> idle;
  {
    std::lock_guard lock(impl.mutex);
    impl.stopping = true;
    in_use.assign(impl.active.begin(), impl.active.end());
    for (auto& [key, list] : impl.idle) {
      for (auto& entry : list) idle.push_back(std::move(entry.connection));
    }
    impl.idle.clear();
  }
  // Requests in flight end with "client stopped", on the client's threads as always.
  for (auto& connection : in_use) {
    const auto strand = connection->strand;
    asio::post(strand, [connection = std::move(connection)] { connection->cancel(); });
  }
  for (auto& connection : idle) Impl::retire(std::move(connection));
  {
    std::unique_lock lock(impl.mutex);
    if (!impl.all_answered.wait_for(lock, impl.options.stop_wait, [&] { return impl.in_flight == 0; })) {
      spdlog::warn("http client: {} requests still unanswered at shutdown", impl.in_flight);
    }
  }
  impl.work.reset();
  impl.io.stop();
  for (auto& thread : impl.threads) thread.join();
  // The set's references go now, while the io_context lives: a connection's socket must not
  // outlive it. Unfinished requests hold their own and release them as the io_context goes.
  std::lock_guard lock(impl.mutex);
  impl.active.clear();
}

void BeastHttpClient::send(OutboundRequest request, std::function<void(HttpResponse)> done) {
  Impl& impl = *impl_;
  const std::uint64_t id = ++impl.next_id;
  {
    std::lock_guard lock(impl.mutex);
    ++impl.in_flight;
  }
  // Each request's coroutine on its own strand; co_spawn posts, so `done` never runs inline.
  asio::co_spawn(
      asio::make_strand(impl.io), impl.perform(id, std::move(request)),
      [&impl, id, done = std::move(done)](std::exception_ptr failure,
                                          HttpResponse response) mutable {
        if (failure) {
          response = no_answer({TransportFailure::internal, "internal error"});
          try {
            std::rethrow_exception(failure);
          } catch (const std::exception& e) {
            spdlog::warn("http #{} failed: {}", id, e.what());
            response.body = std::string("internal error: ") + e.what();
          } catch (...) {
            spdlog::warn("http #{} failed with a non-standard exception", id);
          }
        }
        try {
          if (done) done(std::move(response));
        } catch (const std::exception& e) {
          spdlog::error("http #{}: the completion callback threw: {}", id, e.what());
        } catch (...) {
          spdlog::error("http #{}: the completion callback threw", id);
        }
        impl.finished();
      });
}

}  // namespace slabot
