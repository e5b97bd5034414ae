#pragma once
// The buttons under the SLA's notices (warnings, breach pings, escalations): one tap to act on
// the ticket they are about, running the same command as typing it.
#include <vector>

#include "config/config.hpp"
#include "domain/message_action.hpp"
#include "domain/outbox_item.hpp"
#include "domain/ticket.hpp"

namespace slabot {

// Acknowledge and Escalate; on the support side also Assign to me (a partner's group has no one
// to assign: its staff members are reached on the support side too).
std::vector<MessageAction> notice_buttons(TicketId ticket, bool support_side);

// Puts notice_buttons under each of `items` (notices about `ticket`), as each destination's
// channel is: a chat the config does not know as the support side's gets the group's buttons.
void attach_notice_buttons(const Config& config, TicketId ticket, std::vector<OutboxItem>& items);

}  // namespace slabot
