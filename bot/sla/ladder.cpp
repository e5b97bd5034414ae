#include "bot/sla/ladder.hpp"

namespace slabot {
namespace {

std::vector<const StaffMember*> with_role(const Config& config, Role role, bool on_duty_only) {
  std::vector<const StaffMember*> people;
  for (const auto& member : config.staff) {
    if (member.role == role && (!on_duty_only || member.on_duty)) people.push_back(&member);
  }
  return people;
}

}  // namespace

std::vector<const StaffMember*> rung_people(const Config& config, const Ticket& ticket, int rung) {
  if (rung <= kEscalationEngineer) {
    if (!ticket.assignee_id.empty()) {
      if (const auto* assignee = config.find_staff(ticket.assignee_id)) return {assignee};
    }
    auto on_duty = with_role(config, Role::engineer, true);
    return on_duty.empty() ? with_role(config, Role::engineer, false) : on_duty;
  }
  if (rung == kEscalationTam) {
    const Tenant* tenant = config.find_tenant(ticket.tenant_id);
    if (tenant && tenant->package != Package::selected && !tenant->tam_id.empty()) {
      if (const auto* tam = config.find_staff(tenant->tam_id)) return {tam};
    }
    return with_role(config, Role::tam, false);  // the remote TAM pool
  }
  return with_role(config, Role::manager, false);
}

std::vector<Mention> mentions_on(const std::vector<const StaffMember*>& people, const std::string& platform) {
  std::vector<Mention> mentions;
  for (const auto* member : people) {
    const auto id = member->platform_ids.find(platform);
    if (id != member->platform_ids.end()) mentions.push_back({id->second, member->name});
  }
  return mentions;
}

std::string names_of(const std::vector<const StaffMember*>& people) {
  std::string out;
  for (const auto* member : people) out += (out.empty() ? "" : ", ") + member->name;
  return out.empty() ? "nobody configured" : out;
}

}  // namespace slabot
