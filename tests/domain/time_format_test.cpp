#include <catch2/catch.hpp>

#include "domain/time_format.hpp"

using namespace slabot;
using namespace std::chrono_literals;

TEST_CASE("times are shown with their zone") {
  // 2026-11-22 06:45:30 UTC
  CHECK(format_time(from_unix_ms(1795329930000)) == "2026-11-22 06:45 UTC");
  CHECK(format_time(from_unix_ms(0)) == "1970-01-01 00:00 UTC");
}

TEST_CASE("durations are short and human") {
  CHECK(format_duration(15min) == "15m");
  CHECK(format_duration(4h) == "4h");
  CHECK(format_duration(80min) == "1h 20m");
  CHECK(format_duration(45s) == "45s");
  CHECK(format_duration(26h) == "1d 2h");
  CHECK(format_duration(-5min) == "-5m");
  CHECK(format_duration(0s) == "0s");
}
