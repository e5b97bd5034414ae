#pragma once
// Reads what a report needs from the database on a connection of its own, opened read-only: a
// report never waits on, or holds up, the store's writer, and cannot change anything.
#include <memory>
#include <string>
#include <vector>

#include "domain/sla_policy.hpp"
#include "domain/tenant_activity.hpp"
#include "report/compute.hpp"

namespace SQLite {
class Database;
}

namespace slabot {

class ReportReader {
 public:
  // Throws SQLite::Exception when the file cannot be opened.
  explicit ReportReader(const std::string& database_path);
  ~ReportReader();
  ReportReader(const ReportReader&) = delete;
  ReportReader& operator=(const ReportReader&) = delete;

  // The activity rows compute_report needs for `tenant_id` in `period`, ordered by ticket then seq.
  std::vector<ReportRow> rows(const std::string& tenant_id, const Period& period);

  // The health checks and consulting services /done recorded for `tenant_id` in `period`.
  std::vector<TenantActivityRow> services(const std::string& tenant_id, const Period& period);

  // The package `tenant` ran on at the period's end: its config file's, changed by each
  // `/package` written before then (tenant_activity), so a past month keeps its package however
  // it changes later. Tickets opened earlier in the month are judged against it too.
  Package package_at(const Tenant& tenant, const Period& period);

  // The health check due in the cadence period (month, quarter or contract year, by the
  // package) holding the period's last day, and whether one was done in it by the period's end.
  std::optional<HealthCheckDue> health_check_due(const Tenant& tenant, const Period& period);

  // The report itself, judged against the limits of the package at the period's end.
  Report report(const Tenant& tenant, const SlaPolicies& policies, const Period& period);

  // Every "engagement" row of `tenant_id` (engagements and their milestones), oldest first.
  std::vector<TenantActivity> engagement_rows(const std::string& tenant_id);
  // The tenant whose engagement started with log row `id`; empty when no engagement did.
  std::string engagement_tenant(std::int64_t id);

  // Whether the monthly report of `period` ("2026-11") was posted to `tenant_id`'s group.
  bool posted(const std::string& tenant_id, const std::string& period);

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace slabot
