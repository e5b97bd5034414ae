#include <cstddef>

#include "domain/plural.hpp"
#include "domain/severity.hpp"
#include "domain/time_format.hpp"
#include "report/render.hpp"

namespace slabot {
namespace {

// A chat message has room for so many lines of a list; CSV and HTML list them all.
constexpr std::size_t kListed = 20;

std::string optional_duration(const std::optional<Duration>& d) { return d ? format_duration(*d) : "-"; }

std::string severity_line(const SeverityFigures& s, int level) {
  std::string line = "- " + std::string(severity_name(level)) + ": ";
  const int judged = s.met + s.missed;
  if (s.opened == 0 && s.ack_times.empty() && judged == 0) return line + "none";
  line += std::to_string(s.opened) + " opened";
  if (!s.ack_times.empty()) {
    line += "; acknowledged in " + optional_duration(s.median()) + " median, " + optional_duration(s.p90()) + " p90, " +
            optional_duration(s.worst()) + " worst";
  }
  line += "; limit " + format_duration(s.limit);
  if (judged)
    line += "; met " + std::to_string(s.met) + " of " + std::to_string(judged) + " (" + percent(s.met, judged) + ")";
  return line;
}

template <typename List>
std::string more_line(const List& list) {
  return list.size() > kListed ? "- ... and " + std::to_string(list.size() - kListed) + " more\n" : "";
}

}  // namespace

std::string render_markdown(const Report& r) {
  const Zone& zone = r.period.zone;
  std::string out = "**" + report_title(r) + "**\n" + report_scope_line(r) + "\n";
  out += "Opened: " + count_of(static_cast<std::size_t>(r.opened()), "ticket");
  const int judged = r.met() + r.missed();
  out += "; response SLA " +
         (judged ? percent(r.met(), judged) + " met (" + std::to_string(r.met()) + " of " +
                       count_of(static_cast<std::size_t>(judged), "response") + ")"
                 : std::string("not yet judged this period")) +
         "\n";
  out += "\n**By severity**\n";
  for (int level = kMostSevere; level <= kLeastSevere; ++level) {
    out += severity_line(r.severities[level - 1], level) + "\n";
  }

  out += "\n**Breaches: " + std::to_string(r.breaches.size()) + "**\n";
  for (std::size_t i = 0; i < r.breaches.size() && i < kListed; ++i) {
    const Breach& b = r.breaches[i];
    out += "- #" + std::to_string(b.ticket) + " " + std::string(severity_name(b.severity)) + ", due " +
           format_time(b.due, zone) + ": " + breach_outcome(b) + "\n";
  }
  out += more_line(r.breaches);

  out += "\n**Escalations**: to TAM " +
         std::to_string(r.escalations[kEscalationTam].by_hand + r.escalations[kEscalationTam].automatic) + " (" +
         std::to_string(r.escalations[kEscalationTam].automatic) + " by the SLA clock), to service manager " +
         std::to_string(r.escalations[kEscalationManager].by_hand + r.escalations[kEscalationManager].automatic) +
         " (" + std::to_string(r.escalations[kEscalationManager].automatic) + " by the SLA clock)\n";

  // One line a use and what came of it: the Critical Time Guarantee report (Flagship's promise).
  out += "**Critical Time Guarantee**: " + count_of(r.ctg.size(), "use") + "\n";
  for (std::size_t i = 0; i < r.ctg.size() && i < kListed; ++i) {
    const CtgUse& use = r.ctg[i];
    out += "- #" + std::to_string(use.ticket) + " " + std::string(severity_name(use.severity)) + ", from " +
           format_time(use.at, zone) + (use.reason.empty() ? "" : " (" + use.reason + ")") + ": " +
           ctg_outcome(use, r.period.so_far, zone) + "\n";
  }
  out += more_line(r.ctg);

  out += "**Ratings**: ";
  if (r.ratings.empty()) {
    out += "none\n";
  } else {
    std::array<int, 5> stars{};
    for (const auto& rating : r.ratings) ++stars[rating.stars - 1];
    out += std::to_string(r.ratings.size()) + ", average " + rating_average(r) + "/5 (";
    for (int s = 5; s >= 1; --s)
      out += std::to_string(s) + ": " + std::to_string(stars[s - 1]) + (s > 1 ? ", " : ")\n");
  }

  out += "**Health checks and consulting**: ";
  if (!r.services.recorded) {
    out += "not recorded yet\n";
  } else if (r.services.done.empty()) {
    out += "none done\n";
  } else {
    for (std::size_t i = 0; i < r.services.done.size(); ++i) {
      out += std::string(i ? ", " : "") + service_title(r.services.done[i].kind) + " " +
             format_time(r.services.done[i].at, zone);
    }
    out += "\n";
  }
  if (r.services.health_check) out += "**Health check due**: " + health_check_line(*r.services.health_check) + "\n";

  out += "\n**" + open_at_end_title(r) + ": " + std::to_string(r.open_at_end.size()) + "**\n";
  for (std::size_t i = 0; i < r.open_at_end.size() && i < kListed; ++i) {
    const OpenTicket& t = r.open_at_end[i];
    out += "- #" + std::to_string(t.ticket) + " " + std::string(severity_name(t.severity)) + " " +
           std::string(state_name(t.state)) + " \"" + t.title + "\", opened " + format_time(t.opened, zone) +
           (t.overdue ? ", response overdue" : "") + "\n";
  }
  out += more_line(r.open_at_end);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace slabot
