#include "bot/http/proxy/proxy_url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "adapters/crypto.hpp"
#include "adapters/wire/percent.hpp"
#include "domain/ascii.hpp"
#include "domain/url.hpp"

namespace slabot {

namespace {

std::string environment(const char* lower_name, const char* upper_name) {
  for (const char* name : {lower_name, upper_name}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
}

}  // namespace

ProxyEnvironment proxy_environment() {
  return ProxyEnvironment{environment("https_proxy", "HTTPS_PROXY"), environment("no_proxy", "NO_PROXY")};
}

std::string describe_proxy_environment(const ProxyEnvironment& environment, bool& ok) {
  ok = true;
  if (environment.https_proxy.empty()) return "";
  std::string error;
  const auto proxy = parse_proxy_url(environment.https_proxy, error);
  if (!proxy) {
    ok = false;
    return "https_proxy (environment): " + error;
  }
  return "https via proxy " + proxy->host + ":" + std::to_string(proxy->port) +
         (environment.no_proxy.empty() ? "" : ", except no_proxy " + environment.no_proxy);
}

bool is_ip_literal(const std::string& host) {
  // As Asio's make_address reads it (inet_pton, the IPv6 zone after '%' not checked), without
  // Asio: this file has no network library.
  unsigned char address[16];
  if (inet_pton(AF_INET, host.c_str(), address) == 1) return true;
  const std::string without_zone = host.substr(0, host.find('%'));
  return inet_pton(AF_INET6, without_zone.c_str(), address) == 1;
}

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
    if (!is_ip_literal(name) && name.size() > pattern.size() &&
        name.compare(name.size() - pattern.size(), pattern.size(), pattern) == 0 &&
        name[name.size() - pattern.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace slabot
