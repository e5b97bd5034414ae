#pragma once
// Absolute http(s) URLs, parsed one way for the HTTP client that sends to them and for
// check-config that vets them, so a URL the config accepts is one the client can send to.
#include <optional>
#include <string>
#include <string_view>

namespace slabot {

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

// nullopt with `error` set when `url` is not an absolute http(s) URL the client can send to:
// another scheme, credentials in the URL, a bad host or port, spaces or control characters.
std::optional<ParsedUrl> parse_url(std::string_view url, std::string& error);

// Splits "host[:port]" or "[v6][:port]"; false with `error` set when malformed. The port is
// unset when the authority names none.
bool split_authority(std::string_view authority, std::string& host, bool& ipv6, std::optional<unsigned short>& port,
                     std::string& error);

}  // namespace slabot
