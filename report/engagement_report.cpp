#include "report/engagement_report.hpp"

#include <algorithm>

#include "domain/time_format.hpp"
#include "report/html_page.hpp"
#include "report/svg_charts.hpp"

namespace slabot {
namespace {

using namespace std::chrono;

std::string who_and_when(const std::string& who, Timestamp at, const Zone& zone) {
  return (who.empty() ? "" : "by " + who + " ") + format_time(at, zone);
}

std::string scope_line(const Tenant& tenant, const Engagement& e, Timestamp now) {
  const std::string cancelled = cancelled_phrase(e, tenant.zone);
  return "Engagement " + std::to_string(e.id) + " (slabot report --engagement " + std::to_string(e.id) + ")" +
         (cancelled.empty() ? "" : ", " + cancelled) + ". Times in " + tenant.zone.name() + "; as of " +
         format_time(now, tenant.zone) + ". Acceptance by " +
         (e.csm_name.empty() ? std::string("the tenant's partners (no customer success manager named)")
                             : "the customer success manager, " + e.csm_shown()) +
         "; " + std::to_string(kAcceptanceWorkingDays) + " working days to answer, " +
         (tenant.country.empty() ? std::string("weekends") : tenant.country + " holidays and weekends") + " excepted.";
}

// Every deliverable ever submitted, with its milestone, oldest first within each milestone.
struct Row {
  const MilestoneState* milestone;
  const Submission* submission;
};
std::vector<Row> deliverable_rows(const Engagement& e) {
  std::vector<Row> rows;
  for (const auto& m : e.milestones) {
    for (const auto& s : m.submissions) rows.push_back({&m, &s});
  }
  return rows;
}

}  // namespace

std::string milestone_label(const MilestonePlan& plan) { return plan.id + " (" + std::string(plan.work) + ")"; }

std::string milestone_due_phrase(const MilestonePlan& plan) {
  if (plan.from) return "within " + format_date(*plan.from) + " to " + format_date(plan.due);
  return "due " + format_date(plan.due);
}

std::string milestone_state_phrase(const Engagement& e, const MilestoneState& m, Timestamp now, const Zone& zone) {
  if (m.done_at)
    return "done " + format_date(local_date(*m.done_at, zone)) + (m.done_by.empty() ? "" : " by " + m.done_by);
  // Nothing is due of a cancelled engagement: "overdue" would read as a debt still owed.
  if (e.cancelled_at) return "not done (engagement cancelled)";
  if (local_date(now, zone) > m.plan.due) return "overdue since " + format_date(Date{sys_days{m.plan.due} + days{1}});
  return "open";
}

int acceptance_days_left(const Submission& s, Timestamp now, const HolidayCalendar& calendar, const Zone& zone) {
  const Date submitted = local_date(s.at, zone);
  const Date yesterday{sys_days{local_date(now, zone)} - days{1}};
  return working_days_between(std::max(submitted, yesterday), s.window_last, calendar);
}

std::string acceptance_phrase(const Engagement& e, const Submission& s, Timestamp now, const HolidayCalendar& calendar,
                              const Zone& zone) {
  switch (s.state) {
    case Acceptance::pending: {
      // The five-day rule stopped with the engagement: no days are left, and none will run out.
      if (e.cancelled_at) return "undecided (engagement cancelled)";
      const int left = acceptance_days_left(s, now, calendar, zone);
      return "awaiting acceptance, " + std::to_string(left) + (left == 1 ? " working day" : " working days") +
             " left (until " + format_date(s.window_last) + ")";
    }
    case Acceptance::confirmed:
      if (s.by_rule) return "confirmed by the five-day rule " + format_time(s.decided_at, zone);
      return "confirmed " + who_and_when(s.decided_by, s.decided_at, zone);
    case Acceptance::objected:
      return "objected " + who_and_when(s.decided_by, s.decided_at, zone) + (s.reason.empty() ? "" : ": " + s.reason) +
             "; to be resubmitted";
  }
  return "";
}

std::string units_phrase(const Engagement& e) {
  const int units = e.person_days_bought / kPersonDaysPerUnit;
  return std::to_string(e.person_days_bought) + " person-days bought (" + std::to_string(units) +
         (units == 1 ? " unit" : " units") + " of " + std::to_string(kPersonDaysPerUnit) + "), " +
         std::to_string(e.person_days_used()) + " used, " +
         std::to_string(e.person_days_bought - e.person_days_used()) + " left";
}

std::string cancelled_phrase(const Engagement& e, const Zone& zone) {
  if (!e.cancelled_at) return "";
  return "cancelled " + who_and_when(e.cancelled_by, *e.cancelled_at, zone) +
         (e.cancel_reason.empty() ? "" : ": " + e.cancel_reason);
}

std::string engagement_title(const Tenant& tenant, const Engagement& e) {
  return "Engagement: " + (tenant.name.empty() ? tenant.id : tenant.name) + ", " +
         std::string(edition_name(e.edition)) + " edition (" + e.scenario + "), " + format_date(e.start) + " to " +
         format_date(engagement_end(e.edition, e.start)) + (e.cancelled_at ? ", cancelled" : "");
}

std::string render_engagement_markdown(const Tenant& tenant, const Engagement& e, Timestamp now) {
  const Zone& zone = tenant.zone;
  std::string md = "# " + engagement_title(tenant, e) + "\n\n" + scope_line(tenant, e, now) + "\n\n## Milestones\n\n";
  md += "| milestone | work | deliverable | due | state |\n|---|---|---|---|---|\n";
  for (const auto& m : e.milestones) {
    md += "| " + m.plan.id + " | " + std::string(m.plan.work) + " | " + std::string(m.plan.deliverable) + " | " +
          milestone_due_phrase(m.plan) + " | " + milestone_state_phrase(e, m, now, zone) +
          (m.note.empty() ? "" : ": " + m.note) + " |\n";
  }
  md += "\n## Deliverables\n\n";
  const auto rows = deliverable_rows(e);
  if (rows.empty()) {
    md += "None submitted yet.\n";
  } else {
    md += "| milestone | deliverable | submitted | acceptance |\n|---|---|---|---|\n";
    for (const auto& [m, s] : rows) {
      md += "| " + m->plan.id + " | " + s->title + " | " + who_and_when(s->by, s->at, zone) + " | " +
            acceptance_phrase(e, *s, now, tenant.calendar, zone) + " |\n";
    }
  }
  md += "\n## Supplement units\n\n" + units_phrase(e) + ".\n";
  if (!e.uses.empty()) {
    md += "\n| used | person-days | by | note |\n|---|---|---|---|\n";
    for (const auto& use : e.uses) {
      md += "| " + format_time(use.at, zone) + " | " + std::to_string(use.person_days) + " | " + use.by + " | " +
            use.note + " |\n";
    }
  }
  return md;
}

std::string render_engagement_html(const Tenant& tenant, const Engagement& e, Timestamp now) {
  const Zone& zone = tenant.zone;
  const std::string title = engagement_title(tenant, e);
  std::string h = html_page_start(title);
  h += "<h1>" + html_escape(title) + "</h1><p class=\"muted\">" + html_escape(scope_line(tenant, e, now)) + "</p>\n";
  h += "<h2>Milestones</h2>\n<table><tr><th>milestone</th><th>work</th><th>deliverable</th><th>due</th><th>state</th></"
       "tr>\n";
  for (const auto& m : e.milestones) {
    h += "<tr>" + html_cell(m.plan.id) + html_cell(std::string(m.plan.work)) +
         html_cell(std::string(m.plan.deliverable)) + html_cell(milestone_due_phrase(m.plan)) +
         html_cell(milestone_state_phrase(e, m, now, zone) + (m.note.empty() ? "" : ": " + m.note)) + "</tr>\n";
  }
  h += "</table>\n<h2>Deliverables</h2>\n";
  const auto rows = deliverable_rows(e);
  if (rows.empty()) {
    h += "<p>None submitted yet.</p>\n";
  } else {
    h += "<table><tr><th>milestone</th><th>deliverable</th><th>submitted</th><th>acceptance</th></tr>\n";
    for (const auto& [m, s] : rows) {
      h += "<tr>" + html_cell(m->plan.id) + html_cell(s->title) + html_cell(who_and_when(s->by, s->at, zone)) +
           html_cell(acceptance_phrase(e, *s, now, tenant.calendar, zone)) + "</tr>\n";
    }
    h += "</table>\n";
  }
  h += "<h2>Supplement units</h2>\n<p>" + html_escape(units_phrase(e)) + ".</p>\n";
  if (!e.uses.empty()) {
    h += "<table><tr><th>used</th><th>person-days</th><th>by</th><th>note</th></tr>\n";
    for (const auto& use : e.uses) {
      h += "<tr>" + html_cell(format_time(use.at, zone)) + html_cell(std::to_string(use.person_days), true) +
           html_cell(use.by) + html_cell(use.note) + "</tr>\n";
    }
    h += "</table>\n";
  }
  return h + html_page_end();
}

}  // namespace slabot
