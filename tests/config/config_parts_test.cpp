// The pieces loader.cpp was split into, on their own (the loader's tests cover them in context).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "config/env_substitution.hpp"
#include "config/json_path.hpp"
#include "config/listen_address.hpp"

using namespace slabot;
using namespace slabot::config_detail;

TEST_CASE("child_path escapes '~' and '/' as RFC 6901 says") {
  CHECK(child_path("", "tenants") == "/tenants");
  CHECK(child_path("/tenants", std::size_t{3}) == "/tenants/3");
  CHECK(child_path("/ids", "a/b~c") == "/ids/a~1b~0c");
  CHECK(child_path("", "") == "/");
}

TEST_CASE("closest_key suggests a key at most two edits away, never a complete rewrite") {
  CHECK(closest_key("chanels", {"tenants", "channels"}) == "channels");
  CHECK(closest_key("tam", {"id", "name", "package", "tam"}) == "tam");
  CHECK(closest_key("email", {"id", "name", "role", "ids"}).empty());
  CHECK(closest_key("xy", {"id"}).empty());  // two edits, but "id" has only two letters
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("substitute_env replaces each reference once and names problems without values") {
  EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    static const std::map<std::string, std::string> vars{{"A", "1"}, {"LOOP", "${A}"}};
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  CHECK(substitute_env("x${A}y$z", env).text == "x1y$z");
  CHECK(substitute_env("${LOOP}", env).text == "${A}");
  Substitution result = substitute_env("${MISSING}-${9X}", env);
  CHECK_FALSE(result.text.has_value());
  REQUIRE(result.problems.size() == 2);
  CHECK(result.problems[0] == "environment variable MISSING is not set");
  CHECK(result.problems[1].starts_with("malformed ${...} reference"));
  CHECK(substitute_env("${A", env).problems == std::vector<std::string>{"unterminated ${ (expected ${NAME})"});
  CHECK(substitute_env("${A}", EnvLookup{}).problems == std::vector<std::string>{"environment variable A is not set"});
}

TEST_CASE("parse_listen_address takes IPv4 or bracketed IPv6 and a port") {
  ListenAddressResult v6 = parse_listen_address("[::1]:8080");
  REQUIRE(v6.address.has_value());
  CHECK(v6.address->host == "::1");
  CHECK(v6.address->port == 8080);
  ListenAddressResult named = parse_listen_address("localhost:80");
  CHECK_FALSE(named.address.has_value());
  CHECK(named.error == "host must be an IPv4 address (no host names)");
  CHECK(parse_listen_address("127.0.0.1:65536").error == "port must be 1..65535");
}
