// Each tenant's working calendar: "country" names a holiday list in the top-level "holidays_dir"
// (<dir>/<country>.txt, one date a line, read by domain/working_days.hpp), and "holidays" adds the
// tenant's own days off. Read once the tenants are: one file per country, whoever names it.
#include <fstream>
#include <map>

#include "config/json_path.hpp"
#include "config/validator.hpp"
#include "domain/contract_year.hpp"

namespace slabot::config_detail {
namespace {

bool valid_country(const std::string& code) {
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

}  // namespace

void Validator::read_tenant_calendar(const json& item, const std::string& path, Tenant& tenant) {
  if (auto country = text(item, path, "country", Need::optional)) {
    if (valid_country(*country)) {
      tenant.country = *country;
    } else {
      report(child_path(path, "country"),
             "not a country code " + json_quoted(*country) +
                 " (two capital letters naming a file in holidays_dir, such as \"CN\" or \"US\")");
    }
  }
  const json* holidays = member(item, path, "holidays", Need::optional);
  if (holidays == nullptr) return;
  const std::string list_path = child_path(path, "holidays");
  if (!holidays->is_array()) {
    report(list_path, "must be an array of dates, not " + a_type(*holidays));
    return;
  }
  for (std::size_t i = 0; i < holidays->size(); ++i) {
    const std::string day_path = child_path(list_path, i);
    const auto written = text_value((*holidays)[i], day_path);
    if (!written) continue;
    const auto day = parse_date(*written);
    if (!day) {
      report(day_path, "not a date " + json_quoted(*written) + " (write it as 2026-10-01)");
      continue;
    }
    tenant.calendar.holidays.insert(*day);
  }
}

void Validator::read_country_holidays(const std::string& holidays_dir, Config& config) {
  std::map<std::string, std::optional<HolidayCalendar>> lists;  // nullopt: reported already
  for (std::size_t i = 0; i < config.tenants.size(); ++i) {
    Tenant& tenant = config.tenants[i];
    if (tenant.country.empty()) continue;
    const std::string path = child_path(child_path("/tenants", i), "country");
    auto [found, fresh] = lists.try_emplace(tenant.country);
    if (fresh) {
      const std::string file = holidays_dir + "/" + tenant.country + ".txt";
      std::ifstream in(file);
      if (!in) {
        report(path, "no holiday list for " + tenant.country + ": cannot read " + file +
                         " (set holidays_dir, or drop country and list the tenant's holidays)");
        continue;
      }
      HolidayCalendar calendar;
      std::string line, error;
      bool good = true;
      for (int number = 1; std::getline(in, line); ++number) {
        if (!read_holiday_line(line, calendar, error)) {
          report(path, file + " line " + std::to_string(number) + ": " + error);
          good = false;
          break;
        }
      }
      if (good) found->second = std::move(calendar);
    }
    if (!found->second) continue;
    tenant.calendar.holidays.insert(found->second->holidays.begin(), found->second->holidays.end());
    tenant.calendar.working_days.insert(found->second->working_days.begin(), found->second->working_days.end());
  }
}

}  // namespace slabot::config_detail
