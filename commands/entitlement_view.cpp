#include "commands/entitlement_view.hpp"

#include "commands/ticket_view.hpp"
#include "domain/entitlements.hpp"
#include "domain/plural.hpp"
#include "domain/tenant_log.hpp"

namespace slabot {
namespace {

std::string used_and_left(int used, int quota) {
  const int left = quota > used ? quota - used : 0;
  return std::to_string(used) + " of " + std::to_string(quota) + " used" +
         (left == 0 ? ", none left" : ", " + std::to_string(left) + " left");
}

std::string dates_of(const std::vector<TenantActivity>& rows, const Zone& zone) {
  std::string out;
  for (const auto& row : rows) out += (out.empty() ? "" : ", ") + format_date(local_date(row.at, zone));
  return out;
}

std::string period_name(int months) {
  switch (months) {
    case 1: return "this month's";
    case 3: return "this quarter's";
    default: return "this year's";
  }
}

std::string health_line(const EntitlementFacts& f, Date today) {
  const Quota quota = quota_of(f.package, Service::healthcheck);
  const DateRange period = quota_period(f.tenant, quota, today);
  const auto done = services_within(f.services, Service::healthcheck, period, f.tenant.zone);
  std::string out = "health checks (" + std::to_string(quota.count) + " " + std::string(cadence_words(quota.months)) +
                    "): " + period_name(quota.months) + " (" + format_date(period.first) + " to " +
                    format_date(period.last()) + ") ";
  if (!done.empty()) {
    const DateRange next = quota_period(f.tenant, quota, period.end);
    return out + "done " + dates_of(done, f.tenant.zone) + "; next due by " + format_date(next.last());
  }
  return out + "not done yet; due by " + format_date(period.last());
}

std::string service_line(const EntitlementFacts& f, Service service, const DateRange& year) {
  const Quota quota = quota_of(f.package, service);
  std::string out(service_title(service));
  if (quota.count == 0) return out + ": not included";
  const auto done = services_within(f.services, service, year, f.tenant.zone);
  out += " (" + std::to_string(quota.count) + " " + std::string(cadence_words(quota.months)) +
         "): " + used_and_left(static_cast<int>(done.size()), quota.count);
  if (!done.empty()) out += " (" + dates_of(done, f.tenant.zone) + ")";
  return out;
}

}  // namespace

std::string ctg_uses_text(const std::vector<Activity>& uses, const Zone& zone) {
  std::string out;
  for (const auto& use : uses) {
    out += (out.empty() ? "" : ", ") + ticket_ref(use.ticket_id) + " on " + format_date(local_date(use.at, zone));
  }
  return out;
}

std::string entitlements_text(const EntitlementFacts& f, Timestamp now) {
  const Zone& zone = f.tenant.zone;
  const Date today = local_date(now, zone);
  const DateRange year = contract_year_holding(contract_start_of(f.tenant, today), today);
  const PackageFacts& facts = package_facts(f.package);
  std::string out = f.tenant.name + ": " + std::string(package_name(f.package)) + " package, contract year " +
                    format_date(year.first) + " to " + format_date(year.last());
  out += "\nCritical Time Guarantee";
  if (facts.ctg_per_year == 0) {
    out += ": not included";
  } else {
    std::vector<Activity> uses;
    for (const auto& use : f.ctg_uses) {
      if (year.contains(local_date(use.at, zone))) uses.push_back(use);
    }
    out += " (" + std::to_string(facts.ctg_per_year) +
           " a year): " + used_and_left(static_cast<int>(uses.size()), facts.ctg_per_year);
    if (!uses.empty()) out += " (" + ctg_uses_text(uses, zone) + ")";
  }
  out += "\n" + health_line(f, today);
  out += "\n" + service_line(f, Service::migration, year);
  out += "\n" + service_line(f, Service::landing, year);
  std::string discounts;
  for (const auto& discount : facts.discounts) {
    if (discount.percent == 0) continue;
    discounts +=
        (discounts.empty() ? "" : ", ") + std::string(discount.what) + " " + std::to_string(discount.percent) + "% off";
  }
  out += "\ndiscounts on paid services: " + (discounts.empty() ? std::string("none") : discounts);
  return out;
}

}  // namespace slabot
