#pragma once
// The outbound HTTP client: how the bot reaches IM platforms, over TLS (or plain HTTP for local
// fakes and internal endpoints). Beast, Asio and OpenSSL stay in the .cpp (pimpl), so the outbox
// and its tests only see the small HttpClient interface.
//
// Failures are values, never exceptions: an HttpResponse with status 0 means "no answer"; its
// `failure` says what failed (DNS, connect, TLS, timeout, ...) and its body says it in words. Any status the platform
// sent, 4xx and 5xx included, comes back as it is, headers lower-cased.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http_types.hpp"
#include "bot/http/proxy/proxy_url.hpp"
#include "domain/url.hpp"

namespace slabot {

struct HttpClientOptions {
  // Resolving, connecting, the proxy's CONNECT and the TLS handshake share connect_timeout.
  // read_timeout bounds each step of one exchange (sending the request, the response's header,
  // its body); total_timeout bounds the whole request, retry included.
  std::chrono::milliseconds connect_timeout{5000}, read_timeout{10000}, total_timeout{15000};
  std::size_t max_response_bytes = 1 << 20;  // body; beyond: status 0 "response too large"
  std::string ca_file;                       // PEM trust anchors; empty: the system trust store
  std::string https_proxy;                   // http://[user:pass@]host[:port]; empty: https_proxy / HTTPS_PROXY
  std::string no_proxy;                      // "a.com,.b.org,*"; empty: no_proxy / NO_PROXY. "*": never proxy
  int threads = 1;
  // Kept-alive connections: at most this many idle ones per (scheme, host, port), each closed
  // after idling this long (servers drop idle connections after some seconds anyway).
  std::size_t max_idle_per_host = 4;
  std::chrono::milliseconds idle_timeout{30000};
  std::string user_agent = "slabot";  // sent unless the request has its own User-Agent
  // How long the destructor waits for requests in flight to end with "client stopped".
  std::chrono::milliseconds stop_wait{10000};
};

class HttpClient {  // an interface so the outbox can be tested with a fake
 public:
  virtual ~HttpClient() = default;
  // Sends `request`; `done` is called exactly once, on the client's thread, never inline.
  virtual void send(OutboundRequest request, std::function<void(HttpResponse)> done) = 0;
};

// HTTP/1.1 over Beast: TLS 1.2+ with certificate and host-name verification and SNI; kept-alive
// connections reused per (scheme, host, port), a reused connection found closed retried once on
// a fresh one; CONNECT tunnelling through an HTTP proxy for https:// URLs (http:// URLs always
// go direct). Requests run concurrently: a slow server never holds up another request.
// Redirects are not followed (a 3xx comes back as it is); responses are HTTP/1.1 only.
class BeastHttpClient final : public HttpClient {
 public:
  // Starts the client's threads. Throws std::runtime_error when `ca_file` cannot be loaded or
  // the proxy setting is not a usable http:// proxy URL: configuration mistakes show at start.
  explicit BeastHttpClient(HttpClientOptions options = {});
  // Answers every request still in flight with status 0 "client stopped" and joins the threads.
  // Must not run on the client's own threads (from inside a `done` callback).
  ~BeastHttpClient() override;

  BeastHttpClient(const BeastHttpClient&) = delete;
  BeastHttpClient& operator=(const BeastHttpClient&) = delete;

  void send(OutboundRequest request, std::function<void(HttpResponse)> done) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The pure parts: URLs (parse_url, ParsedUrl) in domain/url.hpp, the proxy setting
// (parse_proxy_url, bypasses_proxy) in bot/http/proxy/proxy_url.hpp, both shared with
// check-config.

}  // namespace slabot
