#pragma once
// What the tenant activity log's rows say, written and read in one place: a package change
// ("Premium -> Elite") and a service done ("healthcheck: note").
#include <optional>
#include <string>
#include <vector>

#include "domain/contract_year.hpp"
#include "domain/entitlements.hpp"
#include "domain/tenant_activity.hpp"

namespace slabot {

inline constexpr std::string_view kPackageAction = "package";
inline constexpr std::string_view kServiceDoneAction = "service_done";
inline constexpr std::string_view kCtgExceptionAction = "ctg_exception";
inline constexpr std::string_view kRemindedAction = "reminded";

// "Premium -> Elite".
std::string package_change_detail(Package from, Package to);

// The package a tenant runs on: the config's, changed by each `/package` row (oldest first)
// whose "from" is the package then in force. A config edited since a change names another
// package than the one the change replaced: the file's word is then the newer, and wins.
Package running_package(Package configured, const std::vector<TenantActivity>& package_rows);
// The same from a tenant as the running config has it: from its file's package.
inline Package running_package(const Tenant& tenant, const std::vector<TenantActivity>& package_rows) {
  return running_package(tenant.configured_package.value_or(tenant.package), package_rows);
}

// "healthcheck", "migration: phase 1 plan"; and back (nullopt for a row of no known service).
std::string service_detail(Service service, const std::string& note);
std::optional<Service> service_of(const std::string& detail);

// The tenant's contract start (the config's, or January 1: the calendar year).
Date contract_start_of(const Tenant& tenant, Date today);

// The period of `quota`'s cadence holding `day`, counted from the tenant's contract start.
DateRange quota_period(const Tenant& tenant, const Quota& quota, Date day);

// The `service_done` rows of `service` whose date (in `zone`) lies in `range`.
std::vector<TenantActivity> services_within(const std::vector<TenantActivity>& rows, Service service,
                                            const DateRange& range, const Zone& zone);

}  // namespace slabot
