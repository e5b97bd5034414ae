#include "config/holiday_coverage.hpp"

#include <map>
#include <utility>

namespace slabot {

std::vector<std::string> holiday_list_gaps(const Config& config, Date today) {
  std::vector<std::chrono::year> years{today.year()};
  if (today.month() == std::chrono::December) years.push_back(today.year() + std::chrono::years{1});
  // (year, country) -> the tenants whose calendar names no day of that year, in config order.
  std::map<std::pair<int, std::string>, std::vector<std::string>> gaps;
  for (const auto year : years) {
    for (const Tenant& tenant : config.tenants) {
      if (tenant.country.empty() || lists_year(tenant.calendar, year)) continue;
      gaps[{static_cast<int>(year), tenant.country}].push_back(tenant.id);
    }
  }
  std::vector<std::string> lines;
  for (const auto& [key, tenants] : gaps) {
    const auto& [year, country] = key;
    std::string names;
    for (const auto& id : tenants) names += (names.empty() ? "" : ", ") + id;
    const std::string y = std::to_string(year);
    lines.push_back("holidays: " + country + ".txt lists no day of " + y + " (" +
                    (tenants.size() == 1 ? "tenant " : "tenants ") + names + "): until it does, every Monday to " +
                    "Friday of " + y + " counts as a working day; add " + y + "'s holidays to " + config.holidays_dir +
                    "/" + country + ".txt");
  }
  return lines;
}

}  // namespace slabot
