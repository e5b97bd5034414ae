#pragma once
// How tickets read in the chat: short, consistent, ids as #N, times with their zone.
//
// Partners read their own tickets only, so a line need not say whose it is. The support side
// serves every partner: its lines name the tenant (and the sub-customer) right after the id,
// "#3 [Globex / shop-42] Critical open ...". `owner` is that tenant's name for a support-side
// reader, and empty for a partner.
#include <string>
#include <vector>

#include "domain/ticket.hpp"
#include "domain/zone.hpp"

namespace slabot {

std::string ticket_ref(TicketId id);  // "#12"

// "[Globex / shop-42]", "[Globex]"; empty when `owner` is.
std::string whose(const Ticket& ticket, const std::string& owner);

// What a notice leads with, no state: partner "#12 Critical "DB down" for Big Co", support
// "#12 [Acme / Big Co] Critical "DB down"".
std::string ticket_headline(const Ticket& ticket, const std::string& owner = "");

// Partner: "#12 Critical acknowledged "DB down" for Big Co, Bob"
// Support: "#12 [Acme / Big Co] Critical acknowledged "DB down", Bob"
std::string ticket_line(const Ticket& ticket, const std::string& owner = "");

// The response deadline relative to now, in the reader's zone: "due 2026-11-22 14:47 +08:00 (in
// 14m)" or "overdue by 3m (was due 2026-11-22 06:47 UTC)".
std::string due_phrase(const Ticket& ticket, Timestamp now, const Zone& zone);

// The ticket's own response limit (its package's, for its severity, when its clock started).
Duration response_limit_of(const Ticket& ticket);

// An activity row's action as a group reads it: the SLA clock's stages in words ("response SLA
// breached"), anything else as recorded ("acknowledged").
std::string action_words(const std::string& action);

// Several lines: the summary, who and when, and the timeline, every time in `zone`.
// `earlier`: how many older rows the timeline leaves out (shown as one line, so nobody mistakes
// the newest rows for the whole story).
std::string ticket_details(const Ticket& ticket, const std::vector<Activity>& timeline, std::size_t earlier,
                           Timestamp now, const Zone& zone, const std::string& owner = "");

}  // namespace slabot
