#pragma once
// The customer success engagement report (`slabot report --engagement`, `/report engagement`):
// milestones and their dates, each deliverable and how and when it was accepted (explicitly, or
// by the five-day rule), supplement units used and left. Markdown and one self-contained HTML
// page (report/html_page.hpp). The phrases are shared with the chat's `/engagement` view.
#include <string>

#include "domain/engagement.hpp"
#include "domain/tenant.hpp"

namespace slabot {

// "1.2 (current situation investigation and demand analysis)".
std::string milestone_label(const MilestonePlan& plan);
// "due 2026-02-05", or for a window "within 2026-03-31 to 2026-07-31".
std::string milestone_due_phrase(const MilestonePlan& plan);
// "done 2026-02-04 by Alice", "overdue since 2026-02-06", "open"; of a cancelled engagement, one
// not done reads "not done (engagement cancelled)".
std::string milestone_state_phrase(const Engagement& engagement, const MilestoneState& milestone, Timestamp now,
                                   const Zone& zone);
// "awaiting acceptance, 3 working days left (until 2026-02-27)", "confirmed by Wei 2026-02-24 10:00 +08:00",
// "confirmed by the five-day rule 2026-03-03 00:00 +08:00", "objected by Wei 2026-...: reason; to be resubmitted".
// Of a cancelled engagement, a pending one reads "undecided (engagement cancelled)".
std::string acceptance_phrase(const Engagement& engagement, const Submission& submission, Timestamp now,
                              const HolidayCalendar& calendar, const Zone& zone);
// Working days left to answer a pending deliverable at `now`, today included when it is one.
int acceptance_days_left(const Submission& submission, Timestamp now, const HolidayCalendar& calendar,
                         const Zone& zone);
// "100 person-days bought (2 units of 50), 12 used, 88 left".
std::string units_phrase(const Engagement& engagement);
// "cancelled 2026-02-10 10:00 UTC by Erin: the customer withdrew" (empty when it was not).
std::string cancelled_phrase(const Engagement& engagement, const Zone& zone);
// "Engagement: Acme Ltd, standard edition (digital marketing), 2026-01-31 to 2026-07-31", and
// ", cancelled" when it was.
std::string engagement_title(const Tenant& tenant, const Engagement& engagement);

std::string render_engagement_markdown(const Tenant& tenant, const Engagement& engagement, Timestamp now);
std::string render_engagement_html(const Tenant& tenant, const Engagement& engagement, Timestamp now);

}  // namespace slabot
