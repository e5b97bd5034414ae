#include <catch2/catch.hpp>

#include <string>

#include "config/duration.hpp"

using namespace slabot;
using namespace std::chrono_literals;

TEST_CASE("parse_duration reads whole numbers with units, largest unit first") {
  CHECK(parse_duration("30s") == Duration(30s));
  CHECK(parse_duration("15m") == Duration(15min));
  CHECK(parse_duration("4h") == Duration(4h));
  CHECK(parse_duration("1d") == Duration(24h));
  CHECK(parse_duration("1h30m") == Duration(90min));
  CHECK(parse_duration("90m") == Duration(90min));
  CHECK(parse_duration("1d2h3m4s") == Duration(24h + 2h + 3min + 4s));
  CHECK(parse_duration("1h0m") == Duration(1h));  // a zero part is fine when the total is not
  CHECK(parse_duration("365d") == Duration(kMaxConfigDuration));
  CHECK(parse_duration("364d23h59m59s") == Duration(kMaxConfigDuration - 1s));
}

TEST_CASE("parse_duration refuses zero, malformed and overlong durations") {
  for (const char* bad : {"",
                          "0m",
                          "0s",
                          "0d0h",
                          "15",
                          "m",
                          "h1",
                          "1.5h",
                          "15M",
                          "1H",
                          "15 m",
                          " 15m",
                          "15m ",
                          "1h 30m",
                          "30m1h",
                          "1h1h",
                          "1m1m",
                          "-5m",
                          "+5m",
                          "5min",
                          "5ms",
                          "1w",
                          "1y",
                          "1h30",
                          "366d",
                          "365d1s",
                          "8761h",
                          "99999999999999999999s",
                          "1d99999999999d"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
}

TEST_CASE("format_config_duration writes the shortest form parse_duration reads back") {
  CHECK(format_config_duration(30s) == "30s");
  CHECK(format_config_duration(90min) == "1h30m");
  CHECK(format_config_duration(24h) == "1d");
  CHECK(format_config_duration(36h + 1s) == "1d12h1s");
  CHECK(format_config_duration(kMaxConfigDuration) == "365d");
  CHECK(format_config_duration(Duration(1500)) == "1s");  // whole seconds
  CHECK(format_config_duration(Duration::zero()) == "0s");
  CHECK(format_config_duration(-90s) == "-1m30s");
  CHECK(format_config_duration(Duration::min()).starts_with("-"));
  for (const char* text : {"30s", "15m", "4h", "1d", "1h30m", "90m", "1d2h3m4s", "1h0m", "86400s"}) {
    INFO(text);
    auto parsed = parse_duration(text);
    REQUIRE(parsed.has_value());
    CHECK(parse_duration(format_config_duration(*parsed)) == parsed);
  }
  for (Duration d = 1s; d <= 3h; d += 7s) CHECK(parse_duration(format_config_duration(d)) == d);
}
