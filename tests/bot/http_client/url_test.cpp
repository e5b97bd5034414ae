#include "bot/http/http_client.hpp"

#include <catch2/catch.hpp>

#include "adapters/crypto.hpp"

using namespace slabot;

namespace {

ParsedUrl parse_ok(const std::string& text) {
  std::string error;
  const auto url = parse_url(text, error);
  INFO(text << ": " << error);
  REQUIRE(url);
  return *url;
}

std::string parse_error(const std::string& text) {
  std::string error;
  const auto url = parse_url(text, error);
  INFO(text);
  REQUIRE_FALSE(url);
  REQUIRE_FALSE(error.empty());
  return error;
}

}  // namespace

TEST_CASE("parse_url splits absolute http and https URLs", "[url]") {
  auto url = parse_ok("https://API.Example.com/v1/send?x=1&y=2#top");
  CHECK(url.scheme == "https");
  CHECK(url.host == "api.example.com");
  CHECK(url.port == 443);
  CHECK(url.target == "/v1/send?x=1&y=2");
  CHECK_FALSE(url.ipv6_literal);
  CHECK(url.authority() == "api.example.com:443");

  url = parse_ok("HTTP://localhost:8080");
  CHECK(url.scheme == "http");
  CHECK(url.port == 8080);
  CHECK(url.target == "/");

  url = parse_ok("http://h?q=1");
  CHECK(url.port == 80);
  CHECK(url.target == "/?q=1");

  url = parse_ok("https://[::1]:8443/a");
  CHECK(url.host == "::1");
  CHECK(url.ipv6_literal);
  CHECK(url.port == 8443);
  CHECK(url.authority() == "[::1]:8443");

  url = parse_ok("https://[2001:DB8::1]/");
  CHECK(url.host == "2001:db8::1");
  CHECK(url.port == 443);

  url = parse_ok("https://127.0.0.1:/x");  // an empty port is the default one
  CHECK(url.port == 443);
}

TEST_CASE("parse_url rejects what it cannot send", "[url]") {
  CHECK(parse_error("ftp://example.com/").find("scheme") != std::string::npos);
  CHECK(parse_error("example.com/path").find("scheme") != std::string::npos);
  CHECK(parse_error("https://").find("host") != std::string::npos);
  CHECK(parse_error("https:///path").find("host") != std::string::npos);
  CHECK(parse_error("https://user:pw@example.com/").find("credentials") != std::string::npos);
  CHECK(parse_error("https://example.com:0/").find("port") != std::string::npos);
  CHECK(parse_error("https://example.com:65536/").find("port") != std::string::npos);
  CHECK(parse_error("https://example.com:80a/").find("port") != std::string::npos);
  CHECK(parse_error("https://[::1/").find("IPv6") != std::string::npos);
  CHECK(parse_error("https://[not:an:address]/").find("IPv6") != std::string::npos);
  CHECK(parse_error("https://[fe80::1%25eth0]/").find("zone") != std::string::npos);
  CHECK(parse_error("https://[::1]x/").size() > 0);
  CHECK(parse_error("https://exa mple.com/").find("spaces") != std::string::npos);
  CHECK(parse_error("https://example.com/a\r\nX-Evil: 1").find("control") != std::string::npos);
  CHECK(parse_error("https://exa$mple.com/").find("host") != std::string::npos);
  CHECK(parse_error("").size() > 0);
}

TEST_CASE("parse_proxy_url reads proxy settings as the environment writes them", "[url]") {
  std::string error;
  auto proxy = parse_proxy_url("http://proxy.corp:3128", error);
  REQUIRE(proxy);
  CHECK(proxy->host == "proxy.corp");
  CHECK(proxy->port == 3128);
  CHECK(proxy->authorization.empty());

  proxy = parse_proxy_url("http://us%40er:p%3Ass@10.0.0.1:8080/", error);
  REQUIRE(proxy);
  CHECK(proxy->host == "10.0.0.1");
  CHECK(proxy->authorization == "Basic " + base64_encode("us@er:p:ss"));

  proxy = parse_proxy_url("proxy.corp:8080", error);
  REQUIRE(proxy);
  CHECK(proxy->port == 8080);

  proxy = parse_proxy_url("http://proxy.corp", error);
  REQUIRE(proxy);
  CHECK(proxy->port == 80);

  proxy = parse_proxy_url("http://[::1]:3128", error);
  REQUIRE(proxy);
  CHECK(proxy->host == "::1");

  CHECK_FALSE(parse_proxy_url("https://proxy.corp:443", error));
  CHECK(error.find("scheme") != std::string::npos);
  CHECK_FALSE(parse_proxy_url("socks5://proxy.corp:1080", error));
  CHECK_FALSE(parse_proxy_url("http://proxy.corp:99999", error));
  CHECK_FALSE(parse_proxy_url("http://proxy.corp:3128/path", error));
  CHECK_FALSE(parse_proxy_url("http://u:%zz@proxy.corp", error));
}

TEST_CASE("bypasses_proxy follows no_proxy conventions", "[url]") {
  CHECK(bypasses_proxy("anything.example", "*"));
  CHECK(bypasses_proxy("example.com", "example.com"));
  CHECK(bypasses_proxy("api.example.com", "example.com"));
  CHECK(bypasses_proxy("api.example.com", ".example.com"));
  CHECK(bypasses_proxy("example.com", ".example.com"));
  CHECK_FALSE(bypasses_proxy("badexample.com", "example.com"));
  CHECK_FALSE(bypasses_proxy("example.org", "example.com"));
  CHECK(bypasses_proxy("API.Example.COM", "example.com"));
  CHECK(bypasses_proxy("internal.corp", "localhost, 127.0.0.1 ,internal.corp:8443"));
  CHECK(bypasses_proxy("127.0.0.1", "localhost,127.0.0.1"));
  CHECK_FALSE(bypasses_proxy("127.0.0.2", "127.0.0.1"));
  CHECK_FALSE(bypasses_proxy("10.0.0.1", "0.0.1"));
  CHECK(bypasses_proxy("::1", "[::1]:443"));
  CHECK(bypasses_proxy("::1", "::1"));
  CHECK(bypasses_proxy("example.com", ",,example.com,"));
  CHECK_FALSE(bypasses_proxy("example.com", ""));
  CHECK_FALSE(bypasses_proxy("example.com", " , "));
}

TEST_CASE("is_ip_literal tells addresses from names, without a network library", "[url]") {
  CHECK(is_ip_literal("127.0.0.1"));
  CHECK(is_ip_literal("::1"));
  CHECK(is_ip_literal("2001:db8::8a2e:370:7334"));
  CHECK(is_ip_literal("fe80::1%eth0"));  // a zone is allowed on IPv6, as Asio reads it
  CHECK_FALSE(is_ip_literal("example.com"));
  CHECK_FALSE(is_ip_literal("10.0.0"));
  CHECK_FALSE(is_ip_literal("256.0.0.1"));
  CHECK_FALSE(is_ip_literal("[::1]"));
  CHECK_FALSE(is_ip_literal("127.0.0.1%eth0"));
  CHECK_FALSE(is_ip_literal(""));
}
