#pragma once
// The report computed from a tenant's activity rows: a pure function of its input, so a past
// period always gives the same report.
#include <string>
#include <vector>

#include "domain/sla_policy.hpp"
#include "domain/tenant.hpp"
#include "report/period.hpp"
#include "report/report.hpp"

namespace slabot {

// One activity row as the report reads it.
struct ReportRow {
  TicketId ticket = 0;
  Timestamp at{};
  std::string action;  // "opened", "acknowledged", "severity", "escalated", "sla breach", "ctg", "rated", ...
  std::string detail;
};

// `rows`: every row written before `period.end` of the tenant's tickets that could matter (at
// least: those with a row in the period, and those active at its end), ordered by ticket, then
// as written. Rows at or after the period's end are ignored. `policy` gives the response limits.
Report compute_report(const Tenant& tenant, const SlaPolicy& policy, const Period& period,
                      const std::vector<ReportRow>& rows, ServiceFigures services = {});

}  // namespace slabot
