#pragma once
// The outbound HTTP client: how the bot reaches IM platforms, over TLS (or plain HTTP for local
// fakes and internal endpoints). Beast, Asio and OpenSSL stay in the .cpp (pimpl), so the outbox
// and its tests only see the small HttpClient interface.
//
// Failures are values, never exceptions: an HttpResponse with status 0 means "no answer" (the
// connection, TLS, proxy, deadline or URL failed) and its body says why. Any status the platform
// sent, 4xx and 5xx included, comes back as it is, headers lower-cased.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http_types.hpp"

namespace slabot {

struct HttpClientOptions {
  // Resolving, connecting, the proxy's CONNECT and the TLS handshake share connect_timeout.
  // read_timeout bounds each step of one exchange (sending the request, the response's header,
  // its body); total_timeout bounds the whole request, retry included.
  std::chrono::milliseconds connect_timeout{5000}, read_timeout{10000}, total_timeout{15000};
  std::size_t max_response_bytes = 1 << 20;  // body; beyond: status 0 "response too large"
  std::string ca_file;      // PEM trust anchors; empty: the system trust store
  std::string https_proxy;  // http://[user:pass@]host[:port]; empty: https_proxy / HTTPS_PROXY
  std::string no_proxy;     // "a.com,.b.org,*"; empty: no_proxy / NO_PROXY. "*": never proxy
  int threads = 1;
  // Kept-alive connections: at most this many idle ones per (scheme, host, port), each closed
  // after idling this long (servers drop idle connections after some seconds anyway).
  std::size_t max_idle_per_host = 4;
  std::chrono::milliseconds idle_timeout{30000};
  std::string user_agent = "slabot";  // sent unless the request has its own User-Agent
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

// ---- The pure parts, exposed for their unit tests. ----

// An absolute http:// or https:// URL, split. `host` is lower-case and, for an IPv6 literal,
// without its brackets; `target` is the path and query sent on the request line (never empty,
// the fragment dropped).
struct ParsedUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  unsigned short port = 0;  // the scheme's default when the URL names none
  std::string target;
  bool ipv6_literal = false;

  // "host:port" / "[v6]:port", as the Host header and CONNECT want it (port always present).
  std::string authority() const;
};

// nullopt with `error` set when `url` is not an absolute http(s) URL this client can send to:
// another scheme, credentials in the URL, a bad host or port, spaces or control characters.
std::optional<ParsedUrl> parse_url(std::string_view url, std::string& error);

// An HTTP proxy for CONNECT tunnels: "http://[user:pass@]host[:port]" or "host:port" (as the
// environment variables are often written); the port defaults to 80.
struct ProxyEndpoint {
  std::string host;
  unsigned short port = 0;
  std::string authorization;  // "Basic ..." when the URL carries credentials, else empty
};
std::optional<ProxyEndpoint> parse_proxy_url(std::string_view url, std::string& error);

// True when `host` must be reached directly under a no_proxy list: comma-separated entries,
// "*" matches every host, "example.com" and ".example.com" match it and its subdomains, IP
// literals match exactly; ports in entries are ignored. Case-insensitive.
bool bypasses_proxy(std::string_view host, std::string_view no_proxy);

}  // namespace slabot
