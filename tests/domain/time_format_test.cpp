#include <catch2/catch.hpp>

#include "domain/time_format.hpp"

using namespace slabot;
using namespace std::chrono_literals;

TEST_CASE("times are shown with their zone: UTC by default") {
  // 2026-11-22 06:45:30 UTC
  CHECK(format_time(from_unix_ms(1795329930000), Zone{}) == "2026-11-22 06:45 UTC");
  CHECK(format_time(from_unix_ms(0), Zone{}) == "1970-01-01 00:00 UTC");
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

namespace {

// A UTC wall-clock time, spelled out so each case says which instant it is.
Timestamp utc(std::chrono::year_month_day day, std::chrono::minutes time_of_day) {
  return std::chrono::sys_days{day} + time_of_day;
}

Zone zone(const std::string& name) {
  std::string error;
  auto found = Zone::find(name, error);
  INFO(error);
  REQUIRE(found.has_value());
  return *found;
}

}  // namespace

TEST_CASE("a time in a zone shows the zone's wall clock and its offset; UTC stays UTC") {
  using namespace std::chrono;
  const auto t = utc(2026y / November / 22, 6h + 47min);
  CHECK(format_time(t, Zone{}) == "2026-11-22 06:47 UTC");
  CHECK(format_time(t, zone("UTC")) == "2026-11-22 06:47 UTC");
  CHECK(format_time(t, zone("Asia/Shanghai")) == "2026-11-22 14:47 +08:00");
  CHECK(format_time(t, zone("Europe/Berlin")) == "2026-11-22 07:47 +01:00");
  // The local date, not UTC's, where the two differ.
  CHECK(format_time(utc(2026y / November / 22, 16h + 30min), zone("Asia/Shanghai")) == "2026-11-23 00:30 +08:00");
  // West of Greenwich, and offsets of half an hour.
  CHECK(format_time(t, zone("America/St_Johns")) == "2026-11-22 03:17 -03:30");
  CHECK(format_time(t, zone("Asia/Kolkata")) == "2026-11-22 12:17 +05:30");
}

TEST_CASE("Berlin's clocks across its daylight saving changes; Shanghai's do not move") {
  using namespace std::chrono;
  const Zone berlin = zone("Europe/Berlin");
  const Zone shanghai = zone("Asia/Shanghai");
  // Spring forward: 2026-03-29 at 01:00 UTC, 02:00 CET becomes 03:00 CEST.
  const auto spring = utc(2026y / March / 29, 1h);
  CHECK(format_time(spring - 1min, berlin) == "2026-03-29 01:59 +01:00");
  CHECK(format_time(spring, berlin) == "2026-03-29 03:00 +02:00");
  CHECK(format_time(spring - 1min, shanghai) == "2026-03-29 08:59 +08:00");
  CHECK(format_time(spring, shanghai) == "2026-03-29 09:00 +08:00");
  CHECK(format_time(spring, Zone{}) == "2026-03-29 01:00 UTC");
  // Fall back: 2026-10-25 at 01:00 UTC, 03:00 CEST becomes 02:00 CET; 02:30 happens twice, and
  // the offset tells the two apart.
  const auto autumn = utc(2026y / October / 25, 1h);
  CHECK(format_time(autumn - 30min, berlin) == "2026-10-25 02:30 +02:00");
  CHECK(format_time(autumn + 30min, berlin) == "2026-10-25 02:30 +01:00");
  CHECK(format_time(autumn, shanghai) == "2026-10-25 09:00 +08:00");
  CHECK(format_time(autumn, Zone{}) == "2026-10-25 01:00 UTC");
}

TEST_CASE("zones are found by their IANA names in the system's tz database") {
  std::string error;
  CHECK(Zone::find("UTC", error)->is_utc());
  CHECK(Zone{}.name() == "UTC");
  const auto berlin = Zone::find("Europe/Berlin", error);
  REQUIRE(berlin.has_value());
  CHECK(berlin->name() == "Europe/Berlin");
  CHECK_FALSE(berlin->is_utc());
  CHECK(berlin->offset_at(utc(std::chrono::year{2026} / 7 / 1, std::chrono::minutes{0})) == std::chrono::hours{2});

  CHECK_FALSE(Zone::find("Mars/Olympus_Mons", error));
  CHECK(error ==
        "unknown timezone \"Mars/Olympus_Mons\" (an IANA name from the tz database, such as "
        "\"Europe/Berlin\" or \"Asia/Shanghai\")");
  CHECK_FALSE(Zone::find("asia/shanghai", error));  // the database's names are case-sensitive
  CHECK(error == "unknown timezone \"asia/shanghai\" (did you mean \"Asia/Shanghai\"?)");
  CHECK_FALSE(Zone::find("localtime", error));  // the server's own setting, whatever it is
  CHECK(error.find("the server's own setting") != std::string::npos);
  CHECK_FALSE(Zone::find("", error));
  CHECK_FALSE(Zone::find("../../etc/passwd", error));  // names, never paths
}
