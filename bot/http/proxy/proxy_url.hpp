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

// True when `host` must be reached directly under a no_proxy list: comma-separated entries,
// "*" matches every host, "example.com" and ".example.com" match it and its subdomains, IP
// literals match exactly; ports in entries are ignored. Case-insensitive.
bool bypasses_proxy(std::string_view host, std::string_view no_proxy);

// An IPv4 or IPv6 address as text (an IPv6 one may carry a "%zone"), not a name.
bool is_ip_literal(const std::string& host);

}  // namespace slabot
