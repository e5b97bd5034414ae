#include "report/services.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace slabot {
namespace {

constexpr std::array<std::pair<const char*, const char*>, 3> kServices{{
    {"healthcheck", "health check"},
    {"migration", "cloud migration consulting"},
    {"landing", "landing zone design"},
}};

}  // namespace

std::string service_title(const std::string& kind) {
  for (const auto& [name, title] : kServices) {
    if (kind == name) return title;
  }
  return kind;
}

ServiceFigures services_done(const std::vector<TenantActivityRow>& rows, Timestamp start, Timestamp end) {
  ServiceFigures figures;
  figures.recorded = true;
  for (const auto& row : rows) {
    if (row.action != "service_done" || row.at < start || row.at >= end) continue;
    const auto colon = row.detail.find(':');
    const std::string kind = row.detail.substr(0, colon);
    if (service_title(kind) == kind) continue;  // not a service this report knows
    std::string note = colon == std::string::npos ? "" : row.detail.substr(colon + 1);
    if (!note.empty() && note.front() == ' ') note.erase(0, 1);
    figures.done.push_back({kind, row.at, std::move(note)});
  }
  std::stable_sort(figures.done.begin(), figures.done.end(),
                   [](const ServiceDone& a, const ServiceDone& b) { return a.at < b.at; });
  return figures;
}

}  // namespace slabot
