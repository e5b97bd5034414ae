#include "domain/entitlements.hpp"

#include <algorithm>

namespace slabot {
namespace {

constexpr std::string_view kAppMigration = "application migration";
constexpr std::string_view kLandingDetail = "landing zone detailed design";
constexpr std::string_view kSecurity = "security management";

// Indexed by Package. The one place the packages' promises are written down.
constexpr std::array<PackageFacts, 4> kFacts{{
    // Selected: no CTG, a yearly health check, no consulting, no discounts.
    {0, {1, 12}, {0, 12}, {0, 12}, {{{kAppMigration, 0}, {kLandingDetail, 0}, {kSecurity, 0}}}},
    // Premium
    {1, {1, 3}, {1, 12}, {1, 12}, {{{kAppMigration, 10}, {kLandingDetail, 10}, {kSecurity, 10}}}},
    // Elite
    {2, {1, 1}, {2, 12}, {1, 12}, {{{kAppMigration, 20}, {kLandingDetail, 20}, {kSecurity, 20}}}},
    // Flagship
    {3, {1, 1}, {3, 12}, {1, 12}, {{{kAppMigration, 30}, {kLandingDetail, 30}, {kSecurity, 30}}}},
}};

struct ServiceRow {
  Service service;
  std::string_view name;
  std::string_view title;
};
constexpr std::array<ServiceRow, 3> kServices{{
    {Service::healthcheck, "healthcheck", "health check"},
    {Service::migration, "migration", "cloud migration consulting"},
    {Service::landing, "landing", "landing zone design"},
}};

const ServiceRow& row_of(Service service) {
  return *std::find_if(kServices.begin(), kServices.end(), [&](const ServiceRow& r) { return r.service == service; });
}

}  // namespace

std::string_view service_name(Service service) { return row_of(service).name; }
std::string_view service_title(Service service) { return row_of(service).title; }

std::optional<Service> parse_service(std::string_view text) {
  for (const auto& row : kServices) {
    if (row.name.size() == text.size() &&
        std::equal(row.name.begin(), row.name.end(), text.begin(),
                   [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b | 0x20) : b); })) {
      return row.service;
    }
  }
  return std::nullopt;
}

const PackageFacts& package_facts(Package package) { return kFacts[static_cast<std::size_t>(package)]; }

Quota quota_of(Package package, Service service) {
  const PackageFacts& facts = package_facts(package);
  switch (service) {
    case Service::healthcheck: return facts.health_check;
    case Service::migration: return facts.migration;
    case Service::landing: return facts.landing;
  }
  return {};
}

std::string_view cadence_words(int months) {
  switch (months) {
    case 1: return "a month";
    case 3: return "a quarter";
    case 12: return "a year";
    default: return "a period";
  }
}

}  // namespace slabot
