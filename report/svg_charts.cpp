#include "report/svg_charts.hpp"

#include <algorithm>

#include "domain/severity.hpp"

namespace slabot {
namespace {

std::string num(long long n) { return std::to_string(n); }

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// One horizontal bar a severity: the met share green, the missed share red, the figure beside.
std::string compliance_chart(const Report& r) {
  constexpr int kLabel = 90, kBar = 400, kRow = 34, kTop = 10;
  const int height = kTop * 2 + kRow * 5;
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + num(kLabel + kBar + 160) + " " + num(height) +
                    "\" width=\"" + num(kLabel + kBar + 160) + "\" height=\"" + num(height) +
                    "\"><title>Response SLA met, per severity</title>";
  for (int level = kMostSevere; level <= kLeastSevere; ++level) {
    const SeverityFigures& s = r.severities[level - 1];
    const int judged = s.met + s.missed;
    const int y = kTop + (level - 1) * kRow;
    svg += "<text x=\"0\" y=\"" + num(y + 17) + "\">" + std::string(severity_name(level)) + "</text>";
    svg += "<rect x=\"" + num(kLabel) + "\" y=\"" + num(y) + "\" width=\"" + num(kBar) +
           "\" height=\"24\" class=\"none\"/>";
    if (judged) {
      const int met_width = static_cast<int>(static_cast<long long>(kBar) * s.met / judged);
      svg += "<rect x=\"" + num(kLabel) + "\" y=\"" + num(y) + "\" width=\"" + num(met_width) +
             "\" height=\"24\" class=\"met\"/>";
      svg += "<rect x=\"" + num(kLabel + met_width) + "\" y=\"" + num(y) + "\" width=\"" + num(kBar - met_width) +
             "\" height=\"24\" class=\"missed\"/>";
    }
    const std::string figure =
        judged ? percent(s.met, judged) + " (" + num(s.met) + " of " + num(judged) + ")" : std::string("none judged");
    svg += "<text x=\"" + num(kLabel + kBar + 8) + "\" y=\"" + num(y + 17) + "\">" + figure + "</text>";
  }
  return svg + "</svg>";
}

// Two bars a day (opened, acknowledged), on a scale from 0 to the busiest day's count.
std::string daily_chart(const Report& r) {
  constexpr int kLeft = 40, kDay = 22, kPlot = 160, kTop = 10, kBottom = 40;
  const int days = static_cast<int>(r.days.size());
  const int width = kLeft + kDay * days + 10;
  const int height = kTop + kPlot + kBottom;
  int most = 1;
  for (const auto& d : r.days) most = std::max({most, d.opened, d.acknowledged});
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                    "\" width=\"" + num(width) + "\" height=\"" + num(height) +
                    "\"><title>Tickets opened and acknowledged per day</title>";
  const int base = kTop + kPlot;
  svg += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(base) + "\" x2=\"" + num(width - 10) + "\" y2=\"" + num(base) +
         "\" class=\"axis\"/>";
  svg += "<text x=\"0\" y=\"" + num(kTop + 10) + "\">" + num(most) + "</text>";
  svg += "<text x=\"0\" y=\"" + num(base) + "\">0</text>";
  for (int i = 0; i < days; ++i) {
    const int x = kLeft + i * kDay;
    const auto bar = [&](int count, int offset, const char* cls) {
      const int h = static_cast<int>(static_cast<long long>(kPlot) * count / most);
      return "<rect x=\"" + num(x + offset) + "\" y=\"" + num(base - h) + "\" width=\"9\" height=\"" + num(h) +
             "\" class=\"" + cls + "\"><title>" + num(count) + "</title></rect>";
    };
    svg += bar(r.days[i].opened, 1, "opened");
    svg += bar(r.days[i].acknowledged, 11, "acked");
    if (i % 5 == 0 || i == days - 1) {
      svg += "<text x=\"" + num(x + 2) + "\" y=\"" + num(base + 16) + "\">" + num(i + 1) + "</text>";
    }
  }
  svg += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(base + 26) + "\" width=\"10\" height=\"10\" class=\"opened\"/>";
  svg += "<text x=\"" + num(kLeft + 14) + "\" y=\"" + num(base + 35) + "\">opened</text>";
  svg +=
      "<rect x=\"" + num(kLeft + 90) + "\" y=\"" + num(base + 26) + "\" width=\"10\" height=\"10\" class=\"acked\"/>";
  svg += "<text x=\"" + num(kLeft + 104) + "\" y=\"" + num(base + 35) + "\">acknowledged</text>";
  return svg + "</svg>";
}

}  // namespace slabot
