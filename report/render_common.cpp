#include "domain/plural.hpp"
#include "domain/time_format.hpp"
#include "report/render.hpp"

namespace slabot {

std::string report_title(const Report& r) {
  return "Service report: " + r.tenant.name + " (" + std::string(package_name(r.tenant.package)) + "), " +
         r.period.name();
}

std::string report_scope_line(const Report& r) {
  return "Times in " + r.period.zone.name() + "; the month " + (r.period.so_far ? "so far, " : "") + "from " +
         format_time(r.period.start, r.period.zone) + " to " + format_time(r.period.end, r.period.zone) + ".";
}

std::string breach_outcome(const Breach& b) {
  if (b.took) return "acknowledged after " + format_duration(*b.took);
  if (b.closed_unanswered) return "closed without a response";
  return b.so_far ? "no response yet" : "no response by the period's end";
}

std::string ctg_outcome(const CtgUse& use, bool so_far, const Zone& zone) {
  std::string out;
  if (use.responded_after) {
    out = "responded after " + format_duration(*use.responded_after) + " (limit " + format_duration(use.limit) + ", " +
          (use.met() ? "met" : "missed") + ")";
  } else {
    out = so_far ? "no response yet" : "no response by the period's end";
  }
  out += "; " + count_of(static_cast<std::size_t>(use.escalations), "escalation");
  if (use.ended) {
    out += std::string("; ") + (use.closed ? "closed " : "resolved ") + format_time(*use.ended, zone);
  } else {
    out += so_far ? "; still active" : "; active at the period's end";
  }
  return out;
}

std::string health_check_line(const HealthCheckDue& due) {
  return "by " + due.due_by + (due.done ? ", done" : ", not done yet");
}

std::string open_at_end_title(const Report& r) { return r.period.so_far ? "Open now" : "Open at the period's end"; }

std::string rating_average(const Report& r) {
  if (r.ratings.empty()) return "-";
  long long sum = 0;
  for (const auto& rating : r.ratings) sum += rating.stars;
  const long long n = static_cast<long long>(r.ratings.size());
  const long long tenths = (20 * sum + n) / (2 * n);  // tenths, half up, in integers
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

}  // namespace slabot
