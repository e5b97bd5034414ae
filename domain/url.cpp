#include "domain/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "domain/ascii.hpp"

namespace slabot {
namespace {

bool parse_port(std::string_view text, unsigned short& port) {
  if (text.empty() || text.size() > 5) return false;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  port = static_cast<unsigned short>(value);
  return true;
}

bool is_host_name(std::string_view host) {
  return !host.empty() && host.size() <= 254 && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

// Splits "host[:port]" or "[v6][:port]"; false when malformed.
}  // namespace

bool split_authority(std::string_view authority, std::string& host, bool& ipv6, std::optional<unsigned short>& port,
                     std::string& error) {
  std::string_view port_text;
  bool has_port = false;
  ipv6 = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "unterminated IPv6 address";
      return false;
    }
    const auto literal = authority.substr(1, close - 1);
    if (literal.find('%') != std::string_view::npos) {
      error = "IPv6 zone identifiers are not supported";
      return false;
    }
    // inet_pton reads a C string: a NUL inside the brackets would end it early, so that "[::\0x]"
    // passed as "::" and kept "\0x" in the host. Only an address's characters go to it.
    in6_addr address{};
    if (literal.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos ||
        inet_pton(AF_INET6, std::string(literal).c_str(), &address) != 1) {
      error = "bad IPv6 address";
      return false;
    }
    host = ascii_lower(literal);
    ipv6 = true;
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "unexpected text after the IPv6 address";
        return false;
      }
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    const auto name = authority.substr(0, colon);
    if (!is_host_name(name)) {
      error = name.empty() ? "missing host" : "bad host name";
      return false;
    }
    host = ascii_lower(name);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
  }
  port.reset();
  if (has_port && !port_text.empty()) {
    unsigned short value = 0;
    if (!parse_port(port_text, value)) {
      error = "bad port";
      return false;
    }
    port = value;
  }
  return true;
}

std::string ParsedUrl::authority() const {
  return (ipv6_literal ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<ParsedUrl> parse_url(std::string_view url, std::string& error) {
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) {
    error = "the URL contains spaces or control characters";
    return std::nullopt;
  }
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    error = "not an absolute URL (no scheme)";
    return std::nullopt;
  }
  ParsedUrl parsed;
  parsed.scheme = ascii_lower(url.substr(0, scheme_end));
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    // Quoted only when it is a scheme (RFC 3986: a letter, then letters, digits, + - .): text
    // before a "://" further on may be a host and a query with a token in it.
    const bool a_scheme = !parsed.scheme.empty() && parsed.scheme.size() <= 16 &&
                          std::isalpha(static_cast<unsigned char>(parsed.scheme[0])) &&
                          std::all_of(parsed.scheme.begin(), parsed.scheme.end(), [](unsigned char c) {
                            return std::isalnum(c) || c == '+' || c == '-' || c == '.';
                          });
    error = a_scheme ? "unsupported scheme '" + parsed.scheme + "' (only http and https)"
                     : std::string("not an absolute http(s) URL");
    return std::nullopt;
  }
  auto rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    error = "credentials in the URL are not supported (send an Authorization header)";
    return std::nullopt;
  }
  std::optional<unsigned short> port;
  if (!split_authority(authority, parsed.host, parsed.ipv6_literal, port, error)) {
    return std::nullopt;
  }
  parsed.port = port.value_or(parsed.scheme == "https" ? 443 : 80);
  const auto fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  parsed.target = (rest.empty() || rest.front() != '/') ? "/" + std::string(rest) : std::string(rest);
  return parsed;
}

}  // namespace slabot
