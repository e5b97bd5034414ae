#include "bot/http/client/outbound_setup.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/x509v3.h>

#include <stdexcept>

#include <spdlog/spdlog.h>

namespace slabot {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

namespace {
constexpr std::size_t connect_answer_header_limit = 64 * 1024;
}

ssl::context make_client_tls_context(const std::string& ca_file) {
  ssl::context context(ssl::context::tls_client);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    throw std::runtime_error("cannot require TLS 1.2 or later");
  }
  context.set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (ca_file.empty()) {
    context.set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("cannot load the system trust store: " + ec.message());
  } else {
    context.load_verify_file(ca_file, ec);
    if (ec) throw std::runtime_error("cannot load ca_file " + ca_file + ": " + ec.message());
  }
  return context;
}

std::optional<ProxyEndpoint> ProxySetting::for_host(const std::string& host) const {
  if (!proxy || bypasses_proxy(host, no_proxy)) return std::nullopt;
  return proxy;
}

ProxySetting read_proxy_setting(const std::string& https_proxy, const std::string& no_proxy, std::string_view client) {
  const ProxyEnvironment environment = proxy_environment();
  ProxySetting setting;
  std::string proxy_url = https_proxy;
  const bool from_environment = proxy_url.empty();
  if (from_environment) proxy_url = environment.https_proxy;
  setting.no_proxy = no_proxy.empty() ? environment.no_proxy : no_proxy;
  if (proxy_url.empty()) return setting;
  std::string error;
  setting.proxy = parse_proxy_url(proxy_url, error);
  if (!setting.proxy) {
    throw std::runtime_error(
        fmt::format("{}: {}", from_environment ? "https_proxy (environment)" : "https_proxy", error));
  }
  // Host and port only: the credentials stay out of the log.
  spdlog::info("{}: https via proxy {}:{}{}", client, setting.proxy->host, setting.proxy->port,
               setting.no_proxy.empty() ? "" : ", except no_proxy " + setting.no_proxy);
  return setting;
}

bool expect_peer_name(SSL* ssl, const std::string& host) {
  // Host-name (or IP address) verification by OpenSSL itself, which also names a mismatch in
  // its verify result; SNI only for names (RFC 6066 forbids literals there).
  if (is_ip_literal(host)) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  SSL_set_tlsext_host_name(ssl, host.c_str());
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set1_host(ssl, host.c_str()) == 1;
}

asio::awaitable<TunnelOutcome> open_tunnel(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                           const ProxyEndpoint& proxy, const std::string& authority,
                                           const std::string& user_agent) {
  TunnelOutcome out;
  const std::string peer = fmt::format("proxy {}:{}", proxy.host, proxy.port);
  http::request<http::empty_body> tunnel{http::verb::connect, authority, 11};
  tunnel.set(http::field::host, authority);
  if (!proxy.authorization.empty()) tunnel.set(http::field::proxy_authorization, proxy.authorization);
  if (!user_agent.empty()) tunnel.set(http::field::user_agent, user_agent);
  co_await http::async_write(stream, tunnel, asio::redirect_error(asio::use_awaitable, out.ec));
  if (out.ec) {
    out.doing = "sending CONNECT to " + peer;
    co_return out;
  }
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a 2xx answer to CONNECT has no body, whatever its headers say
  parser.header_limit(connect_answer_header_limit);
  co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, out.ec));
  if (out.ec) {
    out.doing = "reading the CONNECT answer from " + peer;
    co_return out;
  }
  const auto& answer = parser.get();
  if (answer.result_int() / 100 != 2) {
    out.refused = fmt::format("{} refused CONNECT to {}: {} {}", peer, authority, answer.result_int(),
                              std::string(answer.reason()));
  } else if (buffer.size() != 0) {
    out.refused = fmt::format("{} sent unexpected bytes after its CONNECT answer", peer);
  }
  co_return out;
}

}  // namespace slabot
