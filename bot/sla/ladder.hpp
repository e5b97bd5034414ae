#pragma once
// Who stands on each rung of a ticket's escalation ladder: the assignee or the engineers on duty,
// then the tenant's TAM (designated for Premium and up, the pool for Selected), then the service
// managers. When no engineer is on duty and none is assigned, the first rung is skipped: its
// pings go to the TAM, and the text says why.
#include <string>
#include <vector>

#include "config/config.hpp"
#include "domain/duty.hpp"
#include "domain/message.hpp"
#include "domain/ticket.hpp"

namespace slabot {

// The people answering for a ticket now.
struct Responders {
  int rung = kEscalationEngineer;  // where they stand: the TAM's rung when the first was skipped
  std::vector<const StaffMember*> people;
  bool nobody_on_duty = false;  // the first rung was skipped
};

Responders responders(const Config& config, const DutyRoster& duty, const Ticket& ticket);

// The people on `rung` of `tenant_id`'s ladder, ignoring any assignee (rung 0: the engineers on
// duty now, possibly none).
std::vector<const StaffMember*> staff_on_rung(const Config& config, const DutyRoster& duty,
                                              const std::string& tenant_id, int rung);

// The tenant's TAM (designated for Premium and up, else the pool), and the service managers:
// the rungs above the first, which duty does not change.
std::vector<const StaffMember*> tams_for(const Config& config, const std::string& tenant_id);
std::vector<const StaffMember*> service_managers(const Config& config);

// "engineer: Erin", "TAM: Tom", "nobody on duty, so TAM: Tom": for the message text.
std::string responders_phrase(const Responders& responders);

// The people as @-mentions on one platform; those without an id there are left out (the text
// names the rung anyway).
std::vector<Mention> mentions_on(const std::vector<const StaffMember*>& people, const std::string& platform);

// "Tom, Tina": for the message text.
std::string names_of(const std::vector<const StaffMember*>& people);

}  // namespace slabot
