#pragma once
// How the bot's outbound connections are set up, shared by the HTTP client (client/) and the
// WebSocket client of stream connections (bot/stream/websocket_client): one TLS context policy
// (TLS 1.2+, peer verification against ca_file or the system store), one reading of the proxy
// setting (options, else the environment), host-name verification and SNI, and the CONNECT
// tunnel through the proxy. Beast and Asio: include only from .cpp files.
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <string_view>

#include "bot/http/proxy/proxy_url.hpp"

namespace slabot {

// A client context: TLS 1.2 or later, the peer's certificate verified against `ca_file` (PEM),
// or the system trust store when it is empty. Throws std::runtime_error naming what failed.
boost::asio::ssl::context make_client_tls_context(const std::string& ca_file);

// Where https:// connections go: through `proxy` unless the host is in `no_proxy`.
struct ProxySetting {
  std::optional<ProxyEndpoint> proxy;
  std::string no_proxy;
  // The proxy to tunnel through to `host`, or nullopt to go direct.
  std::optional<ProxyEndpoint> for_host(const std::string& host) const;
};

// The setting from a client's options, each falling back to the environment (https_proxy,
// no_proxy) when empty. Throws std::runtime_error when the proxy URL is unusable. `client`
// names the client in the log line that says where https goes (host and port, never the
// credentials).
ProxySetting read_proxy_setting(const std::string& https_proxy, const std::string& no_proxy, std::string_view client);

// Asks OpenSSL to verify the certificate names `host` (an IP literal as an address) and sends
// SNI for names. False when OpenSSL refuses the name.
bool expect_peer_name(SSL* ssl, const std::string& host);

// The CONNECT exchange on a connected stream to the proxy: "CONNECT authority", a 2xx answer,
// nothing after it. The stream's own expiry bounds it (set it first).
struct TunnelOutcome {
  boost::beast::error_code ec;  // an I/O failure, in the step `doing` names
  std::string doing;
  std::string refused;  // otherwise, the proxy's refusal in words ("" when open)
  bool open() const { return !ec && refused.empty(); }
};
boost::asio::awaitable<TunnelOutcome> open_tunnel(boost::beast::tcp_stream& stream, boost::beast::flat_buffer& buffer,
                                                  const ProxyEndpoint& proxy, const std::string& authority,
                                                  const std::string& user_agent);

}  // namespace slabot
