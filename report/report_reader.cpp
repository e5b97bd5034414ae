#include "report/report_reader.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "domain/engagement.hpp"
#include "domain/entitlements.hpp"
#include "domain/tenant_log.hpp"

namespace slabot {

ReportReader::ReportReader(const std::string& database_path)
    : db_(std::make_unique<SQLite::Database>(database_path, SQLite::OPEN_READONLY)) {
  db_->setBusyTimeout(5000);
}

ReportReader::~ReportReader() = default;

std::vector<ReportRow> ReportReader::rows(const std::string& tenant_id, const Period& period) {
  // The tickets that can matter: opened before the period's end, and either still active or
  // changed since the period began (a ticket with a row in the period, or active at its end, is
  // one of them: updated_at is its latest row's time). Their rows up to the period's end say
  // the rest; the columns are only a filter, so the answer stays the log's.
  SQLite::Statement query(*db_,
                          "SELECT a.ticket_id, a.at, a.action, a.detail FROM tickets t "
                          "JOIN activity a ON a.ticket_id = t.id "
                          "WHERE t.tenant_id = ? AND t.opened_at < ? "
                          "AND (t.state IN ('open', 'acknowledged') OR t.updated_at >= ?) AND a.at < ? "
                          "ORDER BY a.ticket_id, a.seq");
  query.bind(1, tenant_id);
  query.bind(2, to_unix_ms(period.end));
  query.bind(3, to_unix_ms(period.start));
  query.bind(4, to_unix_ms(period.end));
  std::vector<ReportRow> rows;
  while (query.executeStep()) {
    rows.push_back(ReportRow{query.getColumn(0).getInt64(), from_unix_ms(query.getColumn(1).getInt64()),
                             query.getColumn(2).getString(), query.getColumn(3).getString()});
  }
  return rows;
}

std::vector<TenantActivityRow> ReportReader::services(const std::string& tenant_id, const Period& period) {
  // The tenant's own log (written by /done), the period's rows only: written before its end, so
  // a past month reads the same every time.
  SQLite::Statement query(*db_,
                          "SELECT at, action, detail FROM tenant_activity "
                          "WHERE tenant_id = ? AND action = 'service_done' AND at >= ? AND at < ? ORDER BY seq");
  query.bind(1, tenant_id);
  query.bind(2, to_unix_ms(period.start));
  query.bind(3, to_unix_ms(period.end));
  std::vector<TenantActivityRow> rows;
  while (query.executeStep()) {
    rows.push_back(TenantActivityRow{from_unix_ms(query.getColumn(0).getInt64()), query.getColumn(1).getString(),
                                     query.getColumn(2).getString()});
  }
  return rows;
}

Package ReportReader::package_at(const Tenant& tenant, const Period& period) {
  SQLite::Statement query(*db_,
                          "SELECT seq, at, detail FROM tenant_activity "
                          "WHERE tenant_id = ? AND action = 'package' AND at < ? ORDER BY seq");
  query.bind(1, tenant.id);
  query.bind(2, to_unix_ms(period.end));
  std::vector<TenantActivity> changes;
  while (query.executeStep()) {
    TenantActivity row;
    row.seq = query.getColumn(0).getInt64();
    row.tenant_id = tenant.id;
    row.at = from_unix_ms(query.getColumn(1).getInt64());
    row.action = std::string(kPackageAction);
    row.detail = query.getColumn(2).getString();
    changes.push_back(std::move(row));
  }
  return running_package(tenant.configured_package.value_or(tenant.package), changes);
}

std::optional<HealthCheckDue> ReportReader::health_check_due(const Tenant& tenant, const Period& period) {
  const Quota quota = quota_of(tenant.package, Service::healthcheck);
  if (quota.count == 0) return std::nullopt;
  const Date last_day = local_date(period.end - Duration{1}, tenant.zone);
  const DateRange cadence = quota_period(tenant, quota, last_day);
  // A check done in the cadence period, up to the report period's end (never after: a past
  // month reads the same whenever it is run).
  SQLite::Statement query(*db_,
                          "SELECT 1 FROM tenant_activity WHERE tenant_id = ? AND action = 'service_done' "
                          "AND (detail = 'healthcheck' OR detail LIKE 'healthcheck:%') AND at >= ? AND at < ? LIMIT 1");
  query.bind(1, tenant.id);
  query.bind(2, to_unix_ms(start_of(cadence.first, tenant.zone)));
  query.bind(3, to_unix_ms(std::min(start_of(cadence.end, tenant.zone), period.end)));
  return HealthCheckDue{format_date(cadence.last()), query.executeStep()};
}

Report ReportReader::report(const Tenant& tenant, const SlaPolicies& policies, const Period& period) {
  Tenant then = tenant;
  then.package = package_at(tenant, period);
  ServiceFigures services_figures = services_done(services(tenant.id, period), period.start, period.end);
  services_figures.health_check = health_check_due(then, period);
  return compute_report(then, policies.for_package(then.package), period, rows(tenant.id, period),
                        std::move(services_figures));
}

std::vector<TenantActivity> ReportReader::engagement_rows(const std::string& tenant_id) {
  SQLite::Statement query(*db_,
                          "SELECT seq, at, actor_id, actor_name, detail FROM tenant_activity "
                          "WHERE tenant_id = ? AND action = ? ORDER BY seq");
  query.bind(1, tenant_id);
  query.bind(2, std::string(kEngagementAction));
  std::vector<TenantActivity> rows;
  while (query.executeStep()) {
    TenantActivity row;
    row.seq = query.getColumn(0).getInt64();
    row.tenant_id = tenant_id;
    row.at = from_unix_ms(query.getColumn(1).getInt64());
    row.actor_id = query.getColumn(2).getString();
    row.actor_name = query.getColumn(3).getString();
    row.action = std::string(kEngagementAction);
    row.detail = query.getColumn(4).getString();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string ReportReader::engagement_tenant(std::int64_t id) {
  SQLite::Statement query(
      *db_, "SELECT tenant_id FROM tenant_activity WHERE seq = ? AND action = ? AND detail LIKE 'start %'");
  query.bind(1, id);
  query.bind(2, std::string(kEngagementAction));
  return query.executeStep() ? query.getColumn(0).getString() : std::string();
}

bool ReportReader::posted(const std::string& tenant_id, const std::string& period) {
  SQLite::Statement query(*db_, "SELECT 1 FROM report_posts WHERE tenant_id = ? AND period = ?");
  query.bind(1, tenant_id);
  query.bind(2, period);
  return query.executeStep();
}

}  // namespace slabot
