#include "commands/closure_summary.hpp"

#include <algorithm>

#include "commands/ticket_view.hpp"
#include "domain/plural.hpp"
#include "domain/time_format.hpp"

namespace slabot {
namespace {

// The SLA clock's rows are the bot's own, not a person's action.
bool by_the_bot(const Activity& row) { return row.actor_id == "slabot"; }

bool is_escalation(const Activity& row) {
  return row.action == "escalated" || (by_the_bot(row) && row.detail.find("escalated to") != std::string::npos);
}

}  // namespace

std::string closure_summary(const Ticket& t, const std::vector<Activity>& timeline, const std::string& closer,
                            const Zone& zone, const std::string& owner) {
  std::string out = "closure summary: " + ticket_headline(t, owner);
  out += "\nopened " + format_time(t.opened_at, zone) + " by " + t.opened_by_name + "; ";
  const Duration limit = response_limit_of(t);
  if (t.acked_at) {
    const Duration took = *t.acked_at - t.clock_started_at;
    out += "acknowledged after " + format_duration(took) + " by " + t.acked_by_name + " (" + format_duration(limit) +
           " limit, " + (took <= limit ? "met" : "missed") + ")";
  } else {
    out += "never acknowledged (" + format_duration(limit) + " limit, missed)";
  }
  out += t.resolved_at ? "; resolved " + format_time(*t.resolved_at, zone) : "; closed unresolved";

  std::vector<std::string> acted;
  std::size_t escalations = 0;
  std::size_t notes = 0;
  auto add = [&acted](const std::string& name) {
    if (!name.empty() && std::find(acted.begin(), acted.end(), name) == acted.end()) acted.push_back(name);
  };
  for (const auto& row : timeline) {
    if (is_escalation(row)) ++escalations;
    if (row.action == "noted" && !row.internal) ++notes;  // the group's own count: internal notes stay so
    if (!by_the_bot(row) && row.action != "opened") add(row.actor_name);
  }
  add(closer);
  std::string names;
  for (const auto& name : acted) names += (names.empty() ? "" : ", ") + name;
  out += "\nacted: " + names + "; " + count_of(escalations, "escalation") + "; CTG: " + (t.ctg ? "yes" : "no") + "; " +
         count_of(notes, "note");
  return out;
}

}  // namespace slabot
