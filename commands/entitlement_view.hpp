#pragma once
// How /entitlements reads: the package, the contract year, each quota used and left with dates,
// the next health check due, and the discounts on paid services. Short lines, dates in the
// tenant's own calendar (its zone).
#include <string>
#include <vector>

#include "domain/tenant.hpp"
#include "domain/tenant_activity.hpp"
#include "domain/ticket.hpp"

namespace slabot {

struct EntitlementFacts {
  Tenant tenant;                         // its zone and contract start
  Package package;                       // the running one (tenant_log.hpp's running_package)
  std::vector<TenantActivity> services;  // the tenant's service_done rows since the contract year began
  std::vector<Activity> ctg_uses;        // its tickets' ctg rows since the contract year began
};

std::string entitlements_text(const EntitlementFacts& facts, Timestamp now);

// "#3 on 2026-04-02, #7 on 2026-05-10": CTG uses as a partner reads them.
std::string ctg_uses_text(const std::vector<Activity>& uses, const Zone& zone);

}  // namespace slabot
