#include "bot/config_directory.hpp"

#include "bot/sla/ladder.hpp"

namespace slabot {
namespace {

std::vector<Actor> actors(const std::vector<const StaffMember*>& people) {
  std::vector<Actor> out;
  for (const auto* member : people) out.push_back(staff_actor(*member));
  return out;
}

}  // namespace

Actor staff_actor(const StaffMember& member) { return Actor{member.id, member.name, member.role}; }

std::optional<Actor> ConfigDirectory::find_staff(const std::string& id_or_name) const {
  const auto* member = config_.find_staff(id_or_name);
  if (!member) return std::nullopt;
  return staff_actor(*member);
}

std::optional<Tenant> ConfigDirectory::find_tenant(const std::string& tenant_id) const {
  const auto* tenant = config_.find_tenant(tenant_id);
  if (!tenant) return std::nullopt;
  return *tenant;
}

OnCall ConfigDirectory::on_call(const std::string& tenant_id) const {
  return OnCall{actors(staff_on_rung(config_, duty_, tenant_id, kEscalationEngineer)),
                actors(staff_on_rung(config_, duty_, tenant_id, kEscalationTam)),
                actors(staff_on_rung(config_, duty_, tenant_id, kEscalationManager))};
}

}  // namespace slabot
