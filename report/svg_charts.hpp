#pragma once
// The HTML report's two charts as inline SVG (no script, no font or file fetched): response SLA
// compliance per severity, and tickets opened and acknowledged per day.
#include <string>

#include "report/report.hpp"

namespace slabot {

std::string compliance_chart(const Report& report);
std::string daily_chart(const Report& report);

// Text made safe for HTML and SVG: & < > " ' escaped.
std::string html_escape(const std::string& text);

}  // namespace slabot
