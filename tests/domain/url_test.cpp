// domain/url.hpp cases found by fuzzing (fuzz/url_fuzz.cpp); the URL grammar's own tests are in
// tests/bot/http_client/url_test.cpp, beside the client that sends to them.
#include "domain/url.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using namespace slabot;

TEST_CASE("split_authority refuses a NUL inside an IPv6 literal", "[url]") {
  // Found by fuzz_url: inet_pton read "[::\0...\0 1]" only up to the NUL, accepted "::", and the
  // host kept the NULs and what followed them.
  const std::string authority = std::string("[::") + std::string(23, '\0') + "1]:65535";
  std::string host;
  std::string error;
  bool ipv6 = false;
  std::optional<unsigned short> port;
  CHECK_FALSE(split_authority(authority, host, ipv6, port, error));
  CHECK(error == "bad IPv6 address");

  // Still accepted: the address alone, and with a port.
  error.clear();
  REQUIRE(split_authority("[::1]:65535", host, ipv6, port, error));
  CHECK(host == "::1");
  CHECK(ipv6);
  CHECK(port == 65535);
  REQUIRE(split_authority("[2001:DB8::a]", host, ipv6, port, error));
  CHECK(host == "2001:db8::a");
  CHECK_FALSE(port.has_value());
}
