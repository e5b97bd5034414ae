#include "domain/severity.hpp"
#include "domain/time_format.hpp"
#include "report/render.hpp"

namespace slabot {
namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A field
// starting with =, +, - or @ gets a leading apostrophe: spreadsheets would run it as a formula,
// and titles and comments are partner text.
std::string field(const std::string& text) {
  std::string value = text;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@'))
    value.insert(0, "'");
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

class Csv {
 public:
  void row(const std::string& section, const std::string& key, const std::string& metric, const std::string& value) {
    out_ += field(section) + "," + field(key) + "," + field(metric) + "," + field(value) + "\r\n";
  }
  void row(const std::string& section, const std::string& key, const std::string& metric, long long value) {
    row(section, key, metric, std::to_string(value));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_ = "section,key,metric,value\r\n";
};

std::string seconds(const std::optional<Duration>& d) {
  return d ? std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*d).count()) : "";
}

std::string ticket(TicketId id) { return "#" + std::to_string(id); }

}  // namespace

std::string render_csv(const Report& r) {
  const Zone& zone = r.period.zone;
  Csv csv;
  csv.row("report", r.tenant.id, "tenant", r.tenant.name);
  csv.row("report", r.tenant.id, "package", std::string(package_name(r.tenant.package)));
  csv.row("report", r.tenant.id, "period", r.period.name());
  csv.row("report", r.tenant.id, "zone", zone.name());
  csv.row("report", r.tenant.id, "from", format_time(r.period.start, zone));
  csv.row("report", r.tenant.id, "to", format_time(r.period.end, zone));
  for (int level = kMostSevere; level <= kLeastSevere; ++level) {
    const SeverityFigures& s = r.severities[level - 1];
    const std::string name(severity_name(level));
    csv.row("severity", name, "opened", s.opened);
    csv.row("severity", name, "responses", static_cast<long long>(s.ack_times.size()));
    csv.row("severity", name, "ack_median_seconds", seconds(s.median()));
    csv.row("severity", name, "ack_p90_seconds", seconds(s.p90()));
    csv.row("severity", name, "ack_worst_seconds", seconds(s.worst()));
    csv.row("severity", name, "limit_seconds", seconds(s.limit));
    csv.row("severity", name, "met", s.met);
    csv.row("severity", name, "missed", s.missed);
    csv.row("severity", name, "compliance", percent(s.met, s.met + s.missed));
  }
  csv.row("overall", "all", "opened", r.opened());
  csv.row("overall", "all", "met", r.met());
  csv.row("overall", "all", "missed", r.missed());
  csv.row("overall", "all", "compliance", percent(r.met(), r.met() + r.missed()));
  for (const Breach& b : r.breaches) {
    csv.row("breach", ticket(b.ticket), "severity", std::string(severity_name(b.severity)));
    csv.row("breach", ticket(b.ticket), "clock_started", format_time(b.clock_started, zone));
    csv.row("breach", ticket(b.ticket), "due", format_time(b.due, zone));
    csv.row("breach", ticket(b.ticket), "outcome", breach_outcome(b));
  }
  for (int rung = kEscalationTam; rung <= kEscalationManager; ++rung) {
    const std::string name(escalation_rung_name(rung));
    csv.row("escalation", name, "by_hand", r.escalations[rung].by_hand);
    csv.row("escalation", name, "automatic", r.escalations[rung].automatic);
  }
  for (const CtgUse& use : r.ctg) {
    csv.row("ctg", ticket(use.ticket), format_time(use.at, zone), use.reason);
    // What came of it, a figure a row (the Critical Time Guarantee report).
    const std::string key = ticket(use.ticket) + " " + format_time(use.at, zone);
    csv.row("ctg_outcome", key, "severity", std::string(severity_name(use.severity)));
    csv.row("ctg_outcome", key, "limit_seconds", std::chrono::duration_cast<std::chrono::seconds>(use.limit).count());
    csv.row("ctg_outcome", key, "responded_after_seconds",
            use.responded_after
                ? std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*use.responded_after).count())
                : std::string("-"));
    csv.row("ctg_outcome", key, "met", use.met() ? "yes" : "no");
    csv.row("ctg_outcome", key, "escalations", use.escalations);
    csv.row("ctg_outcome", key, use.closed ? "closed" : "resolved", use.ended ? format_time(*use.ended, zone) : "-");
  }
  for (const Rating& rating : r.ratings) {
    csv.row("rating", ticket(rating.ticket), format_time(rating.at, zone),
            std::to_string(rating.stars) + "/5" + (rating.comment.empty() ? "" : ": " + rating.comment));
  }
  csv.row("ratings", "all", "average", rating_average(r));
  if (r.services.recorded) {
    for (const ServiceDone& done : r.services.done)
      csv.row("service", done.kind, format_time(done.at, zone), done.note);
  }
  if (r.services.health_check) {
    csv.row("health_check_due", r.services.health_check->due_by, "done", r.services.health_check->done ? "yes" : "no");
  }
  for (const OpenTicket& t : r.open_at_end) {
    csv.row("open_at_end", ticket(t.ticket), "severity", std::string(severity_name(t.severity)));
    csv.row("open_at_end", ticket(t.ticket), "state", std::string(state_name(t.state)));
    csv.row("open_at_end", ticket(t.ticket), "opened", format_time(t.opened, zone));
    csv.row("open_at_end", ticket(t.ticket), "title", t.title);
    csv.row("open_at_end", ticket(t.ticket), "response_overdue", t.overdue ? "yes" : "no");
  }
  for (std::size_t day = 0; day < r.days.size(); ++day) {
    const std::string date = r.period.name() + "-" + (day < 9 ? "0" : "") + std::to_string(day + 1);
    csv.row("day", date, "opened", r.days[day].opened);
    csv.row("day", date, "acknowledged", r.days[day].acknowledged);
  }
  return csv.take();
}

}  // namespace slabot
