#pragma once
// How tickets read in the chat: short, consistent, ids as #N, times with their zone.
#include <string>
#include <vector>

#include "domain/ticket.hpp"

namespace slabot {

std::string ticket_ref(TicketId id);  // "#12"

// "#12 Critical acknowledged "DB down" for Big Co, Bob"
std::string ticket_line(const Ticket& ticket);

// The response deadline relative to now: "due 2026-11-22 06:47 UTC (in 14m)" or
// "overdue by 3m (was due 2026-11-22 06:47 UTC)".
std::string due_phrase(const Ticket& ticket, Timestamp now);

// Several lines: the summary, who and when, and the timeline.
// `earlier`: how many older rows the timeline leaves out (shown as one line, so nobody mistakes
// the newest rows for the whole story).
std::string ticket_details(const Ticket& ticket, const std::vector<Activity>& timeline, std::size_t earlier,
                           Timestamp now);

}  // namespace slabot
