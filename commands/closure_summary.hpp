#pragma once
// The closure summary /close posts to the ticket's group: what happened, in three short lines.
#include <string>
#include <vector>

#include "domain/ticket.hpp"
#include "domain/zone.hpp"

namespace slabot {

// "closure summary: #12 Critical "DB down" for BigCo"
// "opened 2026-11-22 06:45 UTC by Pat; acknowledged after 5m by Erin (15m limit, met); resolved ..."
// "acted: Erin, Tom; 1 escalation; CTG: no; 2 notes"
// `timeline`: every row, internal ones too (their actors acted, their escalations count; only the
// notes the group can read are counted); `closer`: who closes it (acted too).
std::string closure_summary(const Ticket& ticket, const std::vector<Activity>& timeline, const std::string& closer,
                            const Zone& zone, const std::string& owner = "");

}  // namespace slabot
