#include "domain/contract_year.hpp"

#include <catch2/catch.hpp>

#include "domain/entitlements.hpp"
#include "domain/tenant_log.hpp"

using namespace slabot;

namespace {

Date d(const char* text) { return parse_date(text).value(); }

TenantActivity change(const char* detail) {
  TenantActivity row;
  row.action = "package";
  row.detail = detail;
  return row;
}

}  // namespace

TEST_CASE("contract year: dates are read strictly and written as YYYY-MM-DD") {
  CHECK(format_date(d("2026-03-01")) == "2026-03-01");
  CHECK(parse_date("2028-02-29"));
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-3-1", "26-03-01", "2026/03/01", "", "2026-03-01x"}) {
    CHECK_FALSE(parse_date(bad));
  }
}

TEST_CASE("contract year: months are added from the start, clamped at short months' ends") {
  CHECK(add_months(d("2026-01-31"), 1) == d("2026-02-28"));
  CHECK(add_months(d("2026-01-31"), 2) == d("2026-03-31"));
  CHECK(add_months(d("2027-11-30"), 3) == d("2028-02-29"));
  CHECK(add_months(d("2026-03-01"), -12) == d("2025-03-01"));
  const DateRange month = period_holding(d("2026-01-31"), 1, d("2026-03-15"));
  CHECK(month.first == d("2026-02-28"));
  CHECK(month.end == d("2026-03-31"));
  CHECK(month.last() == d("2026-03-30"));
}

TEST_CASE("contract year: the year and the periods holding a day, before the start too") {
  const Date start = d("2026-03-01");
  CHECK(contract_year_holding(start, d("2027-02-28")).first == start);
  CHECK(contract_year_holding(start, d("2027-03-01")).first == d("2027-03-01"));
  CHECK(contract_year_holding(start, d("2026-02-28")).first == d("2025-03-01"));
  const DateRange quarter = period_holding(start, 3, d("2026-11-22"));
  CHECK(quarter.first == d("2026-09-01"));
  CHECK(quarter.last() == d("2026-11-30"));
  CHECK(default_contract_start(d("2026-11-22")) == d("2026-01-01"));
}

TEST_CASE("contract year: local dates and midnights follow the zone") {
  std::string error;
  const auto shanghai = Zone::find("Asia/Shanghai", error);
  REQUIRE(shanghai);
  const Timestamp midnight = start_of(d("2026-03-01"), *shanghai);
  CHECK(format_date(local_date(midnight, *shanghai)) == "2026-03-01");
  CHECK(format_date(local_date(midnight - std::chrono::milliseconds(1), *shanghai)) == "2026-02-28");
  CHECK(format_date(local_date(midnight, Zone{})) == "2026-02-28");  // 16:00 UTC the day before
}

TEST_CASE("entitlements: the packages' promises, one table") {
  CHECK(package_facts(Package::selected).ctg_per_year == 0);
  CHECK(package_facts(Package::premium).ctg_per_year == 1);
  CHECK(package_facts(Package::elite).ctg_per_year == 2);
  CHECK(package_facts(Package::flagship).ctg_per_year == 3);
  CHECK(quota_of(Package::selected, Service::healthcheck).months == 12);
  CHECK(quota_of(Package::premium, Service::healthcheck).months == 3);
  CHECK(quota_of(Package::flagship, Service::healthcheck).months == 1);
  CHECK(quota_of(Package::selected, Service::migration).count == 0);
  CHECK(quota_of(Package::flagship, Service::migration).count == 3);
  CHECK(quota_of(Package::elite, Service::landing).count == 1);
  CHECK(package_facts(Package::flagship).discounts[0].percent == 30);
  CHECK(parse_service("HealthCheck") == Service::healthcheck);
  CHECK_FALSE(parse_service("health"));
}

TEST_CASE("tenant log: the running package follows each change whose 'from' is in force; a config edited since wins") {
  const std::vector<TenantActivity> rows{change("Premium -> Elite"), change("Elite -> Flagship")};
  CHECK(running_package(Package::premium, rows) == Package::flagship);
  CHECK(running_package(Package::premium, {}) == Package::premium);
  // The operator set the file to Selected since: no change replaced Selected, so the file holds.
  CHECK(running_package(Package::selected, rows) == Package::selected);
  CHECK(running_package(Package::premium, {change("garbled")}) == Package::premium);
  CHECK(package_change_detail(Package::premium, Package::elite) == "Premium -> Elite");
  CHECK(service_detail(Service::landing, "") == "landing");
  CHECK(service_detail(Service::migration, "phase 1") == "migration: phase 1");
  CHECK(service_of("migration: phase 1: more") == Service::migration);
  CHECK_FALSE(service_of("coffee"));
}
