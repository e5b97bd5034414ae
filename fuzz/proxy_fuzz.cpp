// The HTTPS proxy setting (bot/http/proxy/proxy_url.hpp): https_proxy and no_proxy come from the
// config or the environment, and the client tunnels every https:// request through what
// parse_proxy_url accepts, sending its credentials in Proxy-Authorization.
//
// Input: one proxy URL, and, whole, a no_proxy list asked about the host it names.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/crypto.hpp"
#include "bot/http/proxy/proxy_url.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return s;
}

void check_proxy_url(std::string_view input) {
  std::string error;
  const auto proxy = FUZZ_NO_THROW(parse_proxy_url(input, error));
  if (!proxy) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  FUZZ_CHECK(!proxy->host.empty() && proxy->port != 0);
  FUZZ_CHECK(proxy->host.find_first_of("/?#@ \r\n") == std::string::npos);
  // Credentials go only as Basic user:password, never raw.
  if (!proxy->authorization.empty()) {
    FUZZ_CHECK(proxy->authorization.starts_with("Basic "));
    const auto decoded = base64_decode(std::string_view(proxy->authorization).substr(6));
    FUZZ_CHECK(decoded.has_value() && decoded->find(':') != std::string::npos);
  }
  // Written back as host and port, it names the same proxy, without credentials.
  const bool ipv6 = proxy->host.find(':') != std::string::npos;
  const std::string again_text =
      "http://" + (ipv6 ? "[" + proxy->host + "]" : proxy->host) + ":" + std::to_string(proxy->port);
  std::string again_error;
  const auto again = parse_proxy_url(again_text, again_error);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->host == proxy->host && again->port == proxy->port && again->authorization.empty());
  // Its own host is never proxied under a no_proxy that names it, and always under "*".
  FUZZ_CHECK(bypasses_proxy(proxy->host, "*"));
  FUZZ_CHECK(!bypasses_proxy(proxy->host, ""));
}

void check_no_proxy(std::string_view input) {
  // The first line is the host, the rest the no_proxy list.
  const auto newline = input.find('\n');
  const std::string host(input.substr(0, newline));
  const std::string_view list = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  const bool bypassed = FUZZ_NO_THROW(bypasses_proxy(host, list));
  // Case does not matter, nor an empty entry more.
  FUZZ_CHECK(bypasses_proxy(upper(host), list) == bypassed);
  FUZZ_CHECK(bypasses_proxy(host, std::string(list) + ",") == bypassed);
  FUZZ_CHECK(bypasses_proxy(host, std::string(list) + ",*"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_proxy_url(input);
  check_no_proxy(input);
  return 0;
}
