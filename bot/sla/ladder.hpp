#pragma once
// Who stands on each rung of a ticket's escalation ladder: the assignee or the on-duty engineers,
// then the tenant's TAM (designated for Premium and up, the pool for Selected), then the service
// managers.
#include <vector>

#include "config/config.hpp"
#include "domain/message.hpp"
#include "domain/ticket.hpp"

namespace slabot {

std::vector<const StaffMember*> rung_people(const Config& config, const Ticket& ticket, int rung);

// The people as @-mentions on one platform; those without an id there are left out (the text
// names the rung anyway).
std::vector<Mention> mentions_on(const std::vector<const StaffMember*>& people, const std::string& platform);

// "Tom, Tina": for the message text.
std::string names_of(const std::vector<const StaffMember*>& people);

}  // namespace slabot
