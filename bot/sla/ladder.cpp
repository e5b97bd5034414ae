#include "bot/sla/ladder.hpp"

namespace slabot {
namespace {

std::vector<const StaffMember*> with_role(const Config& config, Role role) {
  std::vector<const StaffMember*> people;
  for (const auto& member : config.staff) {
    if (member.role == role) people.push_back(&member);
  }
  return people;
}

}  // namespace

std::vector<const StaffMember*> staff_on_rung(const Config& config, const DutyRoster& duty,
                                              const std::string& tenant_id, int rung) {
  if (rung <= kEscalationEngineer) {
    std::vector<const StaffMember*> people;
    for (const auto* member : with_role(config, Role::engineer)) {
      if (duty.on_duty(member->id, member->on_duty)) people.push_back(member);
    }
    return people;
  }
  return rung == kEscalationTam ? tams_for(config, tenant_id) : service_managers(config);
}

std::vector<const StaffMember*> tams_for(const Config& config, const std::string& tenant_id) {
  const Tenant* tenant = config.find_tenant(tenant_id);
  if (tenant && tenant->package != Package::selected && !tenant->tam_id.empty()) {
    if (const auto* tam = config.find_staff(tenant->tam_id)) return {tam};
  }
  return with_role(config, Role::tam);  // the remote TAM pool
}

std::vector<const StaffMember*> service_managers(const Config& config) { return with_role(config, Role::manager); }

Responders responders(const Config& config, const DutyRoster& duty, const Ticket& ticket) {
  if (ticket.escalation_level <= kEscalationEngineer) {
    if (!ticket.assignee_id.empty()) {
      if (const auto* assignee = config.find_staff(ticket.assignee_id)) {
        return {kEscalationEngineer, {assignee}, false};
      }
    }
    auto on_duty = staff_on_rung(config, duty, ticket.tenant_id, kEscalationEngineer);
    if (!on_duty.empty()) return {kEscalationEngineer, std::move(on_duty), false};
    return {kEscalationTam, staff_on_rung(config, duty, ticket.tenant_id, kEscalationTam), true};
  }
  return {ticket.escalation_level, staff_on_rung(config, duty, ticket.tenant_id, ticket.escalation_level), false};
}

std::string responders_phrase(const Responders& responders) {
  const std::string rung = std::string(escalation_rung_name(responders.rung)) + ": " + names_of(responders.people);
  return responders.nobody_on_duty ? "nobody on duty, so " + rung : rung;
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
