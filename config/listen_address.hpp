#pragma once
// The "listen" value: "host:port" with an IPv4 address or a bracketed IPv6 one.
#include <optional>
#include <string>

namespace slabot {

struct ListenAddress {
  std::string host;  // without brackets, as address parsers expect ("::1")
  unsigned short port = 0;
};

struct ListenAddressResult {
  std::optional<ListenAddress> address;
  std::string error;  // why it is not one, when address is unset; never quotes the input
};

// "127.0.0.1:8080", "0.0.0.0:1", "[::1]:8080". No host names; port 1..65535, at most 5 digits.
ListenAddressResult parse_listen_address(const std::string& text);

}  // namespace slabot
