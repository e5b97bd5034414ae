#include "report/html_page.hpp"

#include "report/svg_charts.hpp"

namespace slabot {
namespace {

// Print-friendly: dark text on white, tables that do not break across pages mid-row, charts
// kept whole on a page.
constexpr const char* kStyle = R"css(
body { font-family: sans-serif; color: #111; background: #fff; max-width: 60em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }
td.n { text-align: right; }
tr { break-inside: avoid; }
.muted { color: #555; }
svg.chart { max-width: 100%; height: auto; break-inside: avoid; }
svg text { font: 12px sans-serif; fill: #111; }
.met { fill: #2e7d32; } .missed { fill: #c62828; } .none { fill: #eee; }
.opened { fill: #1565c0; } .acked { fill: #9e9e9e; } .axis { stroke: #555; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
)css";

}  // namespace

std::string html_page_start(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
         "<title>" +
         html_escape(title) + "</title><style>" + kStyle + "</style></head><body>\n";
}

std::string html_page_end() { return "</body></html>\n"; }

std::string html_cell(const std::string& text, bool number) {
  return std::string(number ? "<td class=\"n\">" : "<td>") + html_escape(text) + "</td>";
}

}  // namespace slabot
