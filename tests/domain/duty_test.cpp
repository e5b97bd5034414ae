#include "domain/duty.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("duty roster: the config decides until a hand-over; the later hand-over stands") {
  DutyRoster roster;
  const Timestamp t0 = from_unix_ms(1795329900000);
  CHECK(roster.on_duty("erin", true));
  CHECK_FALSE(roster.on_duty("bob", false));
  roster.apply({"erin", false, t0 + std::chrono::minutes(5), "Erin"});
  CHECK_FALSE(roster.on_duty("erin", true));
  roster.apply({"erin", true, t0, "Maria"});  // older, arriving late: ignored
  CHECK_FALSE(roster.on_duty("erin", true));
  REQUIRE(roster.latest("erin"));
  CHECK(roster.latest("erin")->by_name == "Erin");
  CHECK_FALSE(roster.latest("bob"));
}
