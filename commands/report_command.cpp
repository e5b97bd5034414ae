#include "commands/report_command.hpp"

#include "commands/usage.hpp"
#include "commands/utf8.hpp"
#include "domain/plural.hpp"
#include "report/render.hpp"

namespace slabot {
namespace {

std::string with_usage(const std::string& what) { return what + "; usage: " + std::string(usage_of(Verb::report)); }

// One tenant's month in a line, for `/report all`.
std::string summary_line(const Report& r) {
  const int judged = r.met() + r.missed();
  return r.tenant.name + " (" + std::string(package_name(r.tenant.package)) +
         "): " + count_of(static_cast<std::size_t>(r.opened()), "ticket") + " opened, response SLA " +
         (judged ? percent(r.met(), judged) + " met (" + std::to_string(r.met()) + " of " + std::to_string(judged) + ")"
                 : std::string("not yet judged")) +
         ", " + count_of(r.breaches.size(), "breach", "breaches") + ", " + std::to_string(r.open_at_end.size()) +
         " open at the end";
}

}  // namespace

std::string report_answer(const ChatContext& context, const Command& command, const std::vector<Tenant>& tenants,
                          const std::string& scope_error, const ReportSource& source, Timestamp now) {
  if (!scope_error.empty()) return with_usage(scope_error);
  if (tenants.empty()) return with_usage("name a tenant, or all");
  if (!source) return "reports are not kept here";
  const bool all = !context.tenant && utf8::iequals(command.tenant, "all");
  std::string out;
  for (const Tenant& tenant : tenants) {
    // This month unless told, in the tenant's own calendar.
    std::optional<Period> period =
        command.text.empty() ? month_of(now, tenant.zone) : parse_period(command.text, tenant.zone);
    if (!period) return with_usage("a month is written like 2026-11, not " + command.text);
    if (period->start > now) return period->name() + " has not begun";
    period = up_to(*period, now);
    Report report;
    try {
      report = source(tenant, *period);
    } catch (const std::exception&) {
      return "could not read the report now; please try again";
    }
    if (!all) return render_markdown(report);
    if (out.empty()) out = "Service reports, " + period->name() + ":";
    out += "\n" + summary_line(report);
  }
  return out;
}

}  // namespace slabot
