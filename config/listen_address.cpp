#include "config/listen_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

namespace slabot {

ListenAddressResult parse_listen_address(const std::string& listen) {
  auto bad = [](std::string why) { return ListenAddressResult{std::nullopt, std::move(why)}; };
  std::string host;
  std::string port;
  int family = AF_INET;
  if (!listen.empty() && listen.front() == '[') {
    std::size_t close = listen.find(']');
    if (close == std::string::npos) return bad("missing ']'");
    if (listen.compare(close + 1, 1, ":") != 0) return bad("missing :port");
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
    family = AF_INET6;
  } else {
    std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return bad("missing :port");
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
    if (host.find(':') != std::string::npos) return bad("an IPv6 address goes in brackets");
  }
  unsigned char address[sizeof(in6_addr)];
  if (inet_pton(family, host.c_str(), address) != 1) {
    return bad(family == AF_INET6 ? "not an IPv6 address" : "host must be an IPv4 address (no host names)");
  }
  bool digits = !port.empty() && port.size() <= 5 &&
                std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  unsigned long number = digits ? std::stoul(port) : 0;
  if (number < 1 || number > 65535) return bad("port must be 1..65535");
  return {ListenAddress{host, static_cast<unsigned short>(number)}, {}};
}

}  // namespace slabot
