#include "commands/ticket_view.hpp"

#include "domain/plural.hpp"
#include "domain/severity.hpp"
#include "domain/sla_clock.hpp"
#include "domain/time_format.hpp"

namespace slabot {

std::string ticket_ref(TicketId id) { return "#" + std::to_string(id); }

std::string whose(const Ticket& t, const std::string& owner) {
  if (owner.empty()) return "";
  return "[" + owner + (t.sub_customer.empty() ? "" : " / " + t.sub_customer) + "]";
}

namespace {

// "#12 [Acme / Big Co] Critical <state >"DB down"" for the support side, "... for Big Co" for a
// partner: the one place the owner and sub-customer rule is written.
std::string ticket_text(const Ticket& t, const std::string& owner, const std::string& state) {
  std::string line = ticket_ref(t.id) + " ";
  if (!owner.empty()) line += whose(t, owner) + " ";
  line += std::string(severity_name(t.severity)) + " " + (state.empty() ? "" : state + " ") + "\"" + t.title + "\"";
  if (owner.empty() && !t.sub_customer.empty()) line += " for " + t.sub_customer;
  return line;
}

}  // namespace

std::string ticket_headline(const Ticket& t, const std::string& owner) { return ticket_text(t, owner, ""); }

std::string ticket_line(const Ticket& t, const std::string& owner) {
  std::string line = ticket_text(t, owner, std::string(state_name(t.state)));
  if (!t.assignee_name.empty()) line += ", " + t.assignee_name;
  return line;
}

std::string due_phrase(const Ticket& t, Timestamp now, const Zone& zone) {
  const auto left = t.response_due_at - now;
  if (left < Duration::zero()) {
    return "overdue by " + format_duration(-left) + " (was due " + format_time(t.response_due_at, zone) + ")";
  }
  return "due " + format_time(t.response_due_at, zone) + " (in " + format_duration(left) + ")";
}

Duration response_limit_of(const Ticket& t) { return t.response_due_at - t.clock_started_at; }

std::string action_words(const std::string& action) {
  constexpr std::string_view sla_prefix = "sla ";
  if (action == "ctg") return "put it under the Critical Time Guarantee";
  if (!action.starts_with(sla_prefix)) return action;
  const auto code = parse_stage_name(action.substr(sla_prefix.size()));
  return code ? stage_words(*code) : action;
}

std::string ticket_details(const Ticket& t, const std::vector<Activity>& timeline, std::size_t earlier, Timestamp now,
                           const Zone& zone, const std::string& owner) {
  std::string out = ticket_line(t, owner) + "\n";
  out += "Opened " + format_time(t.opened_at, zone) + " by " + t.opened_by_name;
  if (t.acked_at) {
    out += "; acknowledged " + format_time(*t.acked_at, zone) + " by " + t.acked_by_name + " after " +
           format_duration(*t.acked_at - t.clock_started_at);
  } else if (t.is_active()) {
    out += "; response " + due_phrase(t, now, zone);
  }
  if (t.escalation_level > kEscalationEngineer) {
    out += "; escalated to " + std::string(escalation_rung_name(t.escalation_level));
  }
  if (t.ctg) out += "; under the Critical Time Guarantee";
  if (t.rating) out += "; rated " + std::to_string(t.rating) + "/5";
  if (earlier) out += "\n  (" + count_of(earlier, "earlier entry", "earlier entries") + ")";
  for (const auto& row : timeline) {
    out += "\n  " + format_time(row.at, zone) + " " + row.actor_name + " " + action_words(row.action);
    if (!row.detail.empty()) out += ": " + row.detail;
  }
  return out;
}

}  // namespace slabot
