#include "domain/severity.hpp"
#include "domain/time_format.hpp"
#include "report/html_page.hpp"
#include "report/render.hpp"
#include "report/svg_charts.hpp"

namespace slabot {
namespace {

std::string cell(const std::string& text, bool number = false) { return html_cell(text, number); }

std::string optional_duration(const std::optional<Duration>& d) { return d ? format_duration(*d) : "-"; }

std::string ticket(TicketId id) { return "#" + std::to_string(id); }

}  // namespace

std::string render_html(const Report& r) {
  const Zone& zone = r.period.zone;
  std::string h = html_page_start(report_title(r));
  h +=
      "<h1>" + html_escape(report_title(r)) + "</h1><p class=\"muted\">" + html_escape(report_scope_line(r)) + "</p>\n";
  const int judged = r.met() + r.missed();
  h += "<p>Opened: " + std::to_string(r.opened()) + ". Response SLA met: " + percent(r.met(), judged) + " (" +
       std::to_string(r.met()) + " of " + std::to_string(judged) + ").</p>\n";

  h += "<h2>Response SLA per severity</h2>\n" + compliance_chart(r) + "\n";
  h += "<table><tr><th>severity</th><th>opened</th><th>responses</th><th>median</th><th>p90</th><th>worst</th>"
       "<th>limit</th><th>met</th><th>missed</th><th>compliance</th></tr>\n";
  for (int level = kMostSevere; level <= kLeastSevere; ++level) {
    const SeverityFigures& s = r.severities[level - 1];
    h += "<tr>" + cell(std::string(severity_name(level))) + cell(std::to_string(s.opened), true) +
         cell(std::to_string(s.ack_times.size()), true) + cell(optional_duration(s.median()), true) +
         cell(optional_duration(s.p90()), true) + cell(optional_duration(s.worst()), true) +
         cell(format_duration(s.limit), true) + cell(std::to_string(s.met), true) +
         cell(std::to_string(s.missed), true) + cell(percent(s.met, s.met + s.missed), true) + "</tr>\n";
  }
  h += "</table>\n";

  h += "<h2>Tickets per day</h2>\n" + daily_chart(r) + "\n";

  h += "<h2>Breaches (" + std::to_string(r.breaches.size()) + ")</h2>\n";
  if (!r.breaches.empty()) {
    h += "<table><tr><th>ticket</th><th>severity</th><th>clock started</th><th>due</th><th>outcome</th></tr>\n";
    for (const Breach& b : r.breaches) {
      h += "<tr>" + cell(ticket(b.ticket)) + cell(std::string(severity_name(b.severity))) +
           cell(format_time(b.clock_started, zone)) + cell(format_time(b.due, zone)) + cell(breach_outcome(b)) +
           "</tr>\n";
    }
    h += "</table>\n";
  }

  h += "<h2>Escalations</h2>\n<table><tr><th>to</th><th>by hand</th><th>by the SLA clock</th></tr>\n";
  for (int rung = kEscalationTam; rung <= kEscalationManager; ++rung) {
    h += "<tr>" + cell(std::string(escalation_rung_name(rung))) +
         cell(std::to_string(r.escalations[rung].by_hand), true) +
         cell(std::to_string(r.escalations[rung].automatic), true) + "</tr>\n";
  }
  h += "</table>\n";

  h += "<h2>Critical Time Guarantee (" + std::to_string(r.ctg.size()) + ")</h2>\n";
  if (!r.ctg.empty()) {
    h += "<table><tr><th>ticket</th><th>severity</th><th>from</th><th>reason</th><th>what came of it</th></tr>\n";
    for (const CtgUse& use : r.ctg) {
      h += "<tr>" + cell(ticket(use.ticket)) + cell(std::string(severity_name(use.severity))) +
           cell(format_time(use.at, zone)) + cell(use.reason) + cell(ctg_outcome(use, r.period.so_far, zone)) +
           "</tr>\n";
    }
    h += "</table>\n";
  }

  h += "<h2>Ratings (" + std::to_string(r.ratings.size()) + ", average " + rating_average(r) + ")</h2>\n";
  if (!r.ratings.empty()) {
    h += "<table><tr><th>ticket</th><th>stars</th><th>comment</th></tr>\n";
    for (const Rating& rating : r.ratings) {
      h += "<tr>" + cell(ticket(rating.ticket)) + cell(std::to_string(rating.stars) + "/5", true) +
           cell(rating.comment) + "</tr>\n";
    }
    h += "</table>\n";
  }

  h += "<h2>Health checks and consulting</h2>\n";
  if (!r.services.recorded) {
    h += "<p class=\"muted\">Not recorded yet.</p>\n";
  } else if (r.services.done.empty()) {
    h += "<p>None done.</p>\n";
  } else {
    h += "<table><tr><th>service</th><th>done</th><th>note</th></tr>\n";
    for (const ServiceDone& done : r.services.done) {
      h += "<tr>" + cell(service_title(done.kind)) + cell(format_time(done.at, zone)) + cell(done.note) + "</tr>\n";
    }
    h += "</table>\n";
  }
  if (r.services.health_check)
    h += "<p>Health check due " + html_escape(health_check_line(*r.services.health_check)) + ".</p>\n";

  h += "<h2>" + open_at_end_title(r) + " (" + std::to_string(r.open_at_end.size()) + ")</h2>\n";
  if (!r.open_at_end.empty()) {
    h += "<table><tr><th>ticket</th><th>severity</th><th>state</th><th>opened</th><th>title</th><th>response</th></"
         "tr>\n";
    for (const OpenTicket& t : r.open_at_end) {
      h += "<tr>" + cell(ticket(t.ticket)) + cell(std::string(severity_name(t.severity))) +
           cell(std::string(state_name(t.state))) + cell(format_time(t.opened, zone)) + cell(t.title) +
           cell(t.overdue ? "overdue" : "") + "</tr>\n";
    }
    h += "</table>\n";
  }
  return h + html_page_end();
}

}  // namespace slabot
