#pragma once
// The HTTPS proxy setting, read without Beast or a network: the HTTP client tunnels through it,
// check-config and the fuzz target (fuzz/proxy_fuzz.cpp) can read it the same way.
#include <optional>
#include <string>
#include <string_view>

namespace slabot {

// An HTTP proxy for CONNECT tunnels: "http://[user:pass@]host[:port]" or "host:port" (as the
// environment variables are often written); the port defaults to 80.
struct ProxyEndpoint {
  std::string host;
  unsigned short port = 0;
  std::string authorization;  // "Basic ..." when the URL carries credentials, else empty
};
std::optional<ProxyEndpoint> parse_proxy_url(std::string_view url, std::string& error);

// The proxy settings the process environment gives: https_proxy, else HTTPS_PROXY; no_proxy, else
// NO_PROXY (an empty variable counts as unset). Read by the HTTP client when its options name
// none, and by check-config, so a malformed one is reported before serve is started.
struct ProxyEnvironment {
  std::string https_proxy;
  std::string no_proxy;
};
ProxyEnvironment proxy_environment();

// What check-config says of the environment's proxy: "https via proxy host:port[, except no_proxy
// LIST]", "" when none is set, or the problem ("https_proxy (environment): ..."), never the
// credentials. `ok` is false for a problem.
std::string describe_proxy_environment(const ProxyEnvironment& environment, bool& ok);

// True when `host` must be reached directly under a no_proxy list: comma-separated entries,
// "*" matches every host, "example.com" and ".example.com" match it and its subdomains, IP
// literals match exactly; ports in entries are ignored. Case-insensitive.
bool bypasses_proxy(std::string_view host, std::string_view no_proxy);

// An IPv4 or IPv6 address as text (an IPv6 one may carry a "%zone"), not a name.
bool is_ip_literal(const std::string& host);

}  // namespace slabot
