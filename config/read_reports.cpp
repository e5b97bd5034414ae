// "reports": which packages get the monthly service report in their groups, and when on the
// month's first day (local time).
#include "config/json_path.hpp"
#include "config/validator.hpp"

namespace slabot::config_detail {

void Validator::read_reports(const json& root, Config& config) {
  const json* reports = member(root, "", "reports", Need::optional);
  if (reports == nullptr) return;
  const std::string path = "/reports";
  if (!is_object(*reports, path)) return;
  check_keys(*reports, path, {"monthly", "post_after"});
  if (const json* monthly = member(*reports, path, "monthly", Need::optional)) {
    const std::string list_path = child_path(path, "monthly");
    if (!monthly->is_array()) {
      report(list_path, "must be a list of package names, not " + a_type(*monthly));
    } else {
      config.reports.monthly.clear();
      for (std::size_t i = 0; i < monthly->size(); ++i) {
        const json& name = (*monthly)[i];
        const auto package = name.is_string() ? parse_package(name.get<std::string>()) : std::nullopt;
        if (!package) {
          report(list_path + "/" + std::to_string(i), "not a package (one of: selected, premium, elite, flagship)");
          continue;
        }
        config.reports.monthly.push_back(*package);
      }
    }
  }
  if (auto after = duration(*reports, path, "post_after", Need::optional)) {
    if (*after >= std::chrono::hours(24)) {
      report(child_path(path, "post_after"), "must be less than a day: the report goes on the month's first day");
    } else {
      config.reports.post_after = *after;
    }
  }
}

}  // namespace slabot::config_detail
