#include "bot/entitlements/running_packages.hpp"

#include <map>

#include "domain/tenant_log.hpp"

namespace slabot {

Config with_running_packages(Config config, Store& store) {
  std::map<std::string, std::vector<TenantActivity>> changes;
  for (auto& row : store.tenant_log("", std::string(kPackageAction), Timestamp{})) {
    changes[row.tenant_id].push_back(std::move(row));
  }
  for (auto& tenant : config.tenants) {
    const auto found = changes.find(tenant.id);
    if (found == changes.end()) continue;
    tenant.configured_package = tenant.package;
    tenant.package = running_package(tenant.package, found->second);
  }
  return config;
}

}  // namespace slabot
