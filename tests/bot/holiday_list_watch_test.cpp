// A holiday list missing the year in hand is said at start and once a day while the gap lasts,
// and no more once a reload brings the year.
#include <catch2/catch.hpp>

#include "bot/holiday_list_watch.hpp"
#include "tests/support/log_capture.hpp"

using namespace slabot;

namespace {

Timestamp at(const char* date, int hour) {
  return start_of(parse_date(date).value(), Zone{}) + std::chrono::hours(hour);
}

Config with_country_tenant() {
  Config config;
  Tenant tenant;
  tenant.id = "acme";
  tenant.country = "CN";
  tenant.calendar.holidays.insert(parse_date("2026-10-01").value());  // the list knows 2026 only
  config.tenants.push_back(tenant);
  config.holidays_dir = "/etc/slabot/holidays";
  return config;
}

}  // namespace

TEST_CASE("holiday list watch: a missing year is said at its first check of each day, and not again that day") {
  testing::LogCapture log;
  LiveConfig config(with_country_tenant());
  ManualClock clock(at("2026-11-30", 9));
  HolidayListWatch watch(config, clock);

  CHECK(watch.check(at("2026-11-30", 9)).empty());      // November: 2026 is the year in hand, and listed
  const auto first = watch.check(at("2026-12-01", 0));  // December: 2027 is near and not listed
  REQUIRE(first.size() == 1);
  CHECK(first[0].starts_with("holidays: CN.txt lists no day of 2027 (tenant acme)"));
  CHECK(watch.check(at("2026-12-01", 1)).empty());  // said today already
  CHECK(watch.check(at("2026-12-01", 23)).empty());
  CHECK(watch.check(at("2026-12-02", 0)).size() == 1);  // a new day: said again
  CHECK(log.count("lists no day of 2027") == 2);

  // The operator adds 2027 and reloads: nothing more to say.
  Config fixed = with_country_tenant();
  fixed.tenants[0].calendar.holidays.insert(parse_date("2027-01-01").value());
  config.replace(fixed);
  CHECK(watch.check(at("2026-12-03", 0)).empty());
  CHECK(log.count("lists no day of 2027") == 2);
}

TEST_CASE("holiday list watch: its thread checks at start") {
  testing::LogCapture log;
  LiveConfig config(with_country_tenant());
  ManualClock clock(at("2026-12-04", 8));
  {
    HolidayListWatch watch(config, clock);
    watch.start();
    watch.stop();  // waits for the round in progress, which runs first thing
  }
  CHECK(log.count("holidays: CN.txt lists no day of 2027 (tenant acme)") == 1);
}
