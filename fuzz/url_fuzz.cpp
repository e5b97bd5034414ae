// URL parsing (domain/url.hpp), shared by the HTTP client and check-config: the outbound URLs of
// the config and the reply URLs platforms put in their requests (Slack's response_url,
// DingTalk's sessionWebhook) are sent to after parse_url accepts them. split_authority is also
// the host part of the HTTPS proxy setting.
//
// Input: one URL (and, whole, one authority).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/url.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;

namespace {

bool has_upper_or_blank(std::string_view s) {
  for (const char c : s) {
    if ((c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

void check_url(std::string_view input) {
  std::string error;
  const auto url = FUZZ_NO_THROW(parse_url(input, error));
  if (!url) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  FUZZ_CHECK(url->scheme == "http" || url->scheme == "https");
  FUZZ_CHECK(!url->host.empty() && !has_upper_or_blank(url->host));
  FUZZ_CHECK(url->port != 0);
  // The request line's target: absolute path, never a fragment, nothing that ends the line.
  FUZZ_CHECK(!url->target.empty() && url->target.front() == '/');
  FUZZ_CHECK(url->target.find('#') == std::string::npos);
  for (const char c : url->target) FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7f);
  FUZZ_CHECK(url->host.find_first_of("/?#@") == std::string::npos);

  // What the client puts on the wire names the same place: written back out, it parses the same.
  const std::string again_text = url->scheme + "://" + url->authority() + url->target;
  std::string again_error;
  const auto again = parse_url(again_text, again_error);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->scheme == url->scheme && again->host == url->host && again->port == url->port &&
             again->target == url->target && again->ipv6_literal == url->ipv6_literal);
}

void check_authority(std::string_view input) {
  std::string host;
  std::string error;
  bool ipv6 = false;
  std::optional<unsigned short> port;
  if (!FUZZ_NO_THROW(split_authority(input, host, ipv6, port, error))) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  FUZZ_CHECK(!host.empty() && !has_upper_or_blank(host));
  FUZZ_CHECK(!port || *port != 0);
  // Written back as "host:port" / "[v6]:port", it splits the same.
  const std::string again_text = (ipv6 ? "[" + host + "]" : host) + (port ? ":" + std::to_string(*port) : "");
  std::string again_host;
  std::string again_error;
  bool again_ipv6 = false;
  std::optional<unsigned short> again_port;
  FUZZ_CHECK(split_authority(again_text, again_host, again_ipv6, again_port, again_error));
  FUZZ_CHECK(again_host == host && again_ipv6 == ipv6 && again_port == port);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_url(input);
  check_authority(input);
  return 0;
}
