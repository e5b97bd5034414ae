#pragma once
// A report as text: markdown (the chat message and `--format md`), CSV (one figure a row), and
// one self-contained HTML page (inline CSS and SVG charts; no script, nothing fetched).
#include <string>

#include "report/report.hpp"

namespace slabot {

std::string render_markdown(const Report& report);
std::string render_csv(const Report& report);
std::string render_html(const Report& report);

// The report's lines shared by every format, so they cannot drift apart.
std::string report_title(const Report& report);       // "Service report: Acme Ltd (Elite), 2026-11"
std::string report_scope_line(const Report& report);  // "times in Asia/Shanghai; 2026-11-01 00:00 +08:00 to ..."
std::string breach_outcome(const Breach& breach);     // "acknowledged after 22m", "closed without a response"
std::string ctg_outcome(const CtgUse& use, bool so_far,
                        const Zone& zone);  // "responded after 25m (limit 15m, missed); 1 escalation; closed ..."
std::string rating_average(const Report& report);
std::string health_check_line(const HealthCheckDue& due);  // "by 2026-12-31, done" / "by 2026-12-31, not done yet" //
                                                           // "4.3" (tenths, half up); "-" for none
std::string open_at_end_title(const Report& report);  // "Open at the period's end", or "Open now" for a month so far

}  // namespace slabot
