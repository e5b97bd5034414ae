// tenants[] and staff[].
#include "config/json_path.hpp"
#include "config/text_checks.hpp"
#include "config/validator.hpp"

namespace slabot::config_detail {

void Validator::read_tenant(const json& item, const std::string& path, Config& config) {
  check_keys(item, path, {"id", "name", "package"});
  Tenant tenant;
  if (auto id = text(item, path, "id", Need::required)) {
    std::string id_path = child_path(path, "id");
    if (valid_id(*id, id_path)) {
      auto [first, inserted] = tenant_ids_.emplace(*id, id_path);
      if (!inserted) report(id_path, "duplicate tenant id " + json_quoted(*id) + " (first at " + first->second + ")");
    }
    tenant.id = *id;
  }
  if (auto name = text(item, path, "name", Need::required)) {
    if (not_blank(*name, child_path(path, "name"))) tenant.name = *name;
  }
  if (auto package = text(item, path, "package", Need::required)) {
    if (auto parsed = parse_package(*package)) {
      tenant.package = *parsed;
    } else {
      report(child_path(path, "package"),
             "unknown package " + json_quoted(*package) + " (one of: selected, premium, elite, flagship)");
    }
  }
  // Kept even when faulty, so channels naming it are not reported a second time.
  config.tenants.push_back(std::move(tenant));
}

void Validator::read_staff(const json& item, const std::string& path, Config& config) {
  check_keys(item, path, {"id", "name", "role", "ids"});
  StaffMember member;
  if (auto id = text(item, path, "id", Need::required)) {
    std::string id_path = child_path(path, "id");
    // Ignoring case, because find_staff does: "Alice" and "alice" could not be told apart.
    if (valid_id(*id, id_path)) {
      auto [first, inserted] = staff_ids_.emplace(ascii_lower(*id), id_path);
      if (!inserted) report(id_path, "duplicate staff id " + json_quoted(*id) + " (first at " + first->second + ")");
    }
    member.id = *id;
  }
  if (auto name = text(item, path, "name", Need::required)) {
    if (not_blank(*name, child_path(path, "name"))) member.name = *name;
  }
  if (auto role = text(item, path, "role", Need::required)) {
    auto parsed = parse_role(*role);
    if (parsed && is_staff(*parsed)) {
      member.role = *parsed;
    } else if (parsed) {
      report(child_path(path, "role"),
             "partner is not a staff role: partners are whoever writes in their tenant's channel");
    } else {
      report(child_path(path, "role"), "unknown role " + json_quoted(*role) + " (one of: engineer, tam, manager, admin)");
    }
  }
  for_each_string_entry(item, path, "ids", [&](const std::string& platform, const std::string& user_id,
                                               const std::string& entry_path) {
    if (platform.empty()) report(entry_path, "platform name must not be empty");
    if (!not_blank(user_id, entry_path)) return;
    auto [first, inserted] = platform_ids_.emplace(std::pair{platform, user_id}, entry_path);
    if (!inserted) {
      report(entry_path, platform + " user id " + json_quoted(user_id) + " is already given to another staff member (" +
                             first->second + ")");
    }
    member.platform_ids[platform] = user_id;
  });
  config.staff.push_back(std::move(member));
}

}  // namespace slabot::config_detail
