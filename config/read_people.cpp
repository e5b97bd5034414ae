// tenants[] and staff[], and each tenant's designated TAM once both are read.
#include "config/json_path.hpp"
#include "config/text_checks.hpp"
#include "config/validator.hpp"
#include "domain/contract_year.hpp"

namespace slabot::config_detail {
namespace {

std::string with_article(std::string_view role) {
  bool vowel = !role.empty() && std::string_view("aeiou").find(role.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(role);
}

}  // namespace

void Validator::read_tenant(const json& item, const std::string& path, Config& config) {
  check_keys(item, path, {"id", "name", "package", "tam", "timezone", "contract_start", "country", "holidays"});
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
  std::optional<Package> package;
  if (auto written = text(item, path, "package", Need::required)) {
    package = parse_package(*written);
    if (package) {
      tenant.package = *package;
    } else {
      report(child_path(path, "package"),
             "unknown package " + json_quoted(*written) + " (one of: selected, premium, elite, flagship)");
    }
  }
  if (auto tam = text(item, path, "tam", Need::optional)) {
    std::string tam_path = child_path(path, "tam");
    if (not_blank(*tam, tam_path)) tam_references_.push_back({config.tenants.size(), package, *tam, tam_path});
  }
  if (auto zone_found = zone(item, path)) tenant.zone = *zone_found;
  if (auto start = text(item, path, "contract_start", Need::optional)) {
    tenant.contract_start = parse_date(*start);
    if (!tenant.contract_start) {
      report(child_path(path, "contract_start"), "not a date " + json_quoted(*start) + " (write it as 2026-03-01)");
    }
  }
  read_tenant_calendar(item, path, tenant);
  // Kept even when faulty, so channels naming it are not reported a second time.
  config.tenants.push_back(std::move(tenant));
}

void Validator::read_staff(const json& item, const std::string& path, Config& config) {
  check_keys(item, path, {"id", "name", "role", "ids", "on_duty", "timezone"});
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
  bool role_known = false;
  if (auto role = text(item, path, "role", Need::required)) {
    auto parsed = parse_role(*role);
    if (parsed && is_staff(*parsed)) {
      member.role = *parsed;
      role_known = true;
    } else if (parsed) {
      report(child_path(path, "role"),
             "partner is not a staff role: partners are whoever writes in their tenant's channel");
    } else {
      report(child_path(path, "role"),
             "unknown role " + json_quoted(*role) + " (one of: engineer, tam, manager, admin)");
    }
  }
  for_each_string_entry(item, path, "ids",
                        [&](const std::string& platform, const std::string& user_id, const std::string& entry_path) {
                          if (platform.empty()) report(entry_path, "platform name must not be empty");
                          if (!not_blank(user_id, entry_path)) return;
                          auto [first, inserted] = platform_ids_.emplace(std::pair{platform, user_id}, entry_path);
                          if (!inserted) {
                            report(entry_path, platform + " user id " + json_quoted(user_id) +
                                                   " is already given to another staff member (" + first->second + ")");
                          }
                          member.platform_ids[platform] = user_id;
                        });
  if (auto on_duty = boolean(item, path, "on_duty", Need::optional)) {
    // The ladder's first rung is the on-duty engineers; anyone else's flag would be ignored.
    if (*on_duty && role_known && member.role != Role::engineer) {
      report(child_path(path, "on_duty"), "only engineers go on duty (the first rung of the escalation ladder), not " +
                                              with_article(role_name(member.role)));
    }
    member.on_duty = *on_duty;
  }
  if (auto zone_found = zone(item, path)) member.zone = *zone_found;
  config.staff.push_back(std::move(member));
  staff_role_known_.push_back(role_known);
}

void Validator::resolve_tams(Config& config) {
  for (const auto& reference : tam_references_) {
    // Seed 000, 3.2: Selected is served by the remote TAM pool; Premium and up by a designated TAM.
    if (reference.package == Package::selected) {
      report(reference.path,
             "selected tenants are served by the TAM pool (every staff member with role tam); a "
             "designated TAM comes with premium, elite and flagship");
      continue;
    }
    // By id ignoring case, as staff ids are unique that way; find_staff would also match names.
    std::size_t found = config.staff.size();
    for (std::size_t i = 0; i < config.staff.size(); ++i) {
      if (ascii_lower(config.staff[i].id) == ascii_lower(reference.staff_id)) {
        found = i;
        break;
      }
    }
    if (found == config.staff.size()) {
      report(reference.path, "no staff member with id " + json_quoted(reference.staff_id));
      continue;
    }
    const StaffMember& tam = config.staff[found];
    if (!staff_role_known_[found]) continue;  // its role is reported already
    if (tam.role != Role::tam) {
      report(reference.path, json_quoted(tam.id) + " is " + with_article(role_name(tam.role)) + ", not a tam");
      continue;
    }
    config.tenants[reference.tenant].tam_id = tam.id;  // the id as the staff list spells it
  }
}

}  // namespace slabot::config_detail
