#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/working_days.hpp"
#include "domain/zone.hpp"

namespace slabot {

// Support packages of seed 000, section 3.2.
enum class Package { selected, premium, elite, flagship };

std::string_view package_name(Package package);               // "Selected", "Premium", ...
std::optional<Package> parse_package(std::string_view text);  // lower-case names

// One partner (reseller). Sub-customers are labels on tickets, not tenants.
struct Tenant {
  std::string id;
  std::string name;
  Package package = Package::selected;
  // The designated TAM's staff id (Premium and up); empty: the remote TAM pool (Selected).
  std::string tam_id;
  // The zone the tenant's groups read times in (config "timezone"; UTC when not given).
  Zone zone;
  // The first day of the contract (config "contract_start"): its anniversaries start each
  // contract year, which the package's quotas count in. Unset: the calendar year.
  std::optional<std::chrono::year_month_day> contract_start;
  // The config file's package, when `package` is the one `/package` changed it to (set by the
  // runtime, bot/entitlements/running_packages.hpp): what the logged changes apply to.
  std::optional<Package> configured_package;
  // The country whose public holidays the tenant keeps (config "country", "CN"), and its working
  // calendar: that country's list from the holidays directory plus the tenant's own "holidays".
  std::string country;
  HolidayCalendar calendar;

  bool operator==(const Tenant&) const = default;
};

}  // namespace slabot
