#include <catch2/catch.hpp>

#include "domain/severity.hpp"

using namespace slabot;
using namespace std::chrono_literals;

TEST_CASE("severity levels carry the seed's names and response limits") {
  CHECK(severity_name(1) == "Critical");
  CHECK(severity_name(5) == "Low");
  CHECK(default_response_limit(1) == 15min);
  CHECK(default_response_limit(2) == 40min);
  CHECK(default_response_limit(3) == 4h);
  CHECK(default_response_limit(4) == 8h);
  CHECK(default_response_limit(5) == 18h);
}

TEST_CASE("severity parses numbers, sevN and names in any case") {
  CHECK(parse_severity("1") == 1);
  CHECK(parse_severity("sev3") == 3);
  CHECK(parse_severity("SEV2") == 2);
  CHECK(parse_severity("critical") == 1);
  CHECK(parse_severity("Medium") == 4);
  CHECK(parse_severity("low") == 5);
}

TEST_CASE("severity refuses what is not a level") {
  CHECK_FALSE(parse_severity("0").has_value());
  CHECK_FALSE(parse_severity("6").has_value());
  CHECK_FALSE(parse_severity("sev").has_value());
  CHECK_FALSE(parse_severity("sevcritical").has_value());
  CHECK_FALSE(parse_severity("12").has_value());
  CHECK_FALSE(parse_severity("").has_value());
}
