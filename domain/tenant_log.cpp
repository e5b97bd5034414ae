#include "domain/tenant_log.hpp"

namespace slabot {

namespace {
constexpr std::string_view kArrow = " -> ";
}  // namespace

std::string package_change_detail(Package from, Package to) {
  return std::string(package_name(from)) + std::string(kArrow) + std::string(package_name(to));
}

Package running_package(Package configured, const std::vector<TenantActivity>& package_rows) {
  Package current = configured;
  for (const auto& row : package_rows) {
    const auto arrow = row.detail.find(kArrow);
    if (arrow == std::string::npos) continue;
    const auto from = parse_package(std::string_view(row.detail).substr(0, arrow));
    const auto to = parse_package(std::string_view(row.detail).substr(arrow + kArrow.size()));
    if (from && to && *from == current) current = *to;
  }
  return current;
}

std::string service_detail(Service service, const std::string& note) {
  std::string detail(service_name(service));
  if (!note.empty()) detail += ": " + note;
  return detail;
}

std::optional<Service> service_of(const std::string& detail) {
  return parse_service(std::string_view(detail).substr(0, detail.find(':')));
}

Date contract_start_of(const Tenant& tenant, Date today) {
  return tenant.contract_start.value_or(default_contract_start(today));
}

DateRange quota_period(const Tenant& tenant, const Quota& quota, Date day) {
  return period_holding(contract_start_of(tenant, day), quota.months, day);
}

std::vector<TenantActivity> services_within(const std::vector<TenantActivity>& rows, Service service,
                                            const DateRange& range, const Zone& zone) {
  std::vector<TenantActivity> within;
  for (const auto& row : rows) {
    if (row.action == kServiceDoneAction && service_of(row.detail) == service &&
        range.contains(local_date(row.at, zone))) {
      within.push_back(row);
    }
  }
  return within;
}

}  // namespace slabot
