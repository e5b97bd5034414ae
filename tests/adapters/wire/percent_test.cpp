#include "adapters/wire/percent.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("wire percent: decoding, with '+' a space in forms only", "[wire]") {
  CHECK(percent_decode("a%20b%2Bc+d", Plus::space) == std::optional<std::string>("a b+c d"));
  CHECK(percent_decode("a%20b%2Bc+d", Plus::literal) == std::optional<std::string>("a b+c+d"));
  CHECK(percent_decode("%e4%BD%A0", Plus::literal) == std::optional<std::string>("\u4f60"));
  CHECK(percent_decode("", Plus::space) == std::optional<std::string>(""));
}

TEST_CASE("wire percent: a malformed escape is refused", "[wire]") {
  for (const char* bad : {"%", "%4", "a%4", "%zz", "%4g", "100%"}) {
    INFO(bad);
    CHECK_FALSE(percent_decode(bad, Plus::space));
    CHECK_FALSE(percent_decode(bad, Plus::literal));
  }
}

TEST_CASE("wire percent: the lenient decoder keeps a malformed escape as written", "[wire]") {
  CHECK(percent_decode_lenient("acc%65ss_token") == "access_token");
  CHECK(percent_decode_lenient("a+b") == "a b");
  CHECK(percent_decode_lenient("100%") == "100%");
  CHECK(percent_decode_lenient("%zz%4") == "%zz%4");
}

TEST_CASE("wire percent: encoding keeps only the unreserved characters", "[wire]") {
  CHECK(percent_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(percent_encode("a+b/c=") == "a%2Bb%2Fc%3D");  // a base64 signature in a query
  CHECK(percent_encode(" \u4f60") == "%20%E4%BD%A0");
  CHECK(percent_decode(percent_encode("k=v&x+y%"), Plus::literal) == std::optional<std::string>("k=v&x+y%"));
}
