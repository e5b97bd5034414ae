#pragma once
// The Critical Time Guarantee's reach: every notice about a CTG ticket also goes, at once, to the
// tenant's TAM and the service managers, whatever rung the ticket is on.
#include <string>
#include <vector>

#include "config/config.hpp"
#include "domain/outbox_item.hpp"
#include "domain/ticket.hpp"

namespace slabot {

// The tenant's TAM (designated, else the pool) and the service managers.
std::vector<const StaffMember*> ctg_watchers(const Config& config, const Ticket& ticket);

// "TAM: Tom; service manager: Maria".
std::string ctg_watchers_phrase(const Config& config, const Ticket& ticket);

// Adds their @-mentions (on each message's platform, none twice), and with `name_them` names them
// at the end of the text: " (Critical Time Guarantee: TAM: Tom; service manager: Maria)".
void add_ctg_watchers(const Config& config, const Ticket& ticket, std::vector<OutboxItem>& items,
                      bool name_them = true);

}  // namespace slabot
