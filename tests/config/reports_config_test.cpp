// "reports": which packages' groups get the monthly service report, and when on the first.
#include <catch2/catch.hpp>

#include <algorithm>

#include "config/config_changes.hpp"
#include "config/loader.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

ConfigResult with_reports(const std::string& reports) {
  AdapterRules rules;
  rules.known = {"console"};
  rules.required_secrets = [](const std::string&) { return std::vector<std::string>{}; };
  std::string text = R"({"listen": "127.0.0.1:8080", "database": "r.db",
    "tenants": [{"id": "acme", "name": "Acme", "package": "elite"}], "staff": [],
    "connections": [{"name": "local", "adapter": "console"}],
    "channels": [{"connection": "local", "chat_id": "acme", "tenant": "acme"}])";
  if (!reports.empty()) text += R"(, "reports": )" + reports;
  return parse_config(text + "}", rules, [](const std::string&) { return std::nullopt; });
}

std::string problems_of(const std::string& reports) { return format_problems(with_reports(reports).problems); }

}  // namespace

TEST_CASE("reports: Elite and Flagship at midnight unless told") {
  const auto defaults = with_reports("");
  REQUIRE(defaults.config);
  CHECK(defaults.config->reports.monthly == std::vector<Package>{Package::elite, Package::flagship});
  CHECK(defaults.config->reports.post_after == Duration::zero());
  const auto told = with_reports(R"({"monthly": ["premium", "FLAGSHIP"], "post_after": "9h"})");
  REQUIRE(told.config);
  CHECK(told.config->reports.monthly == std::vector<Package>{Package::premium, Package::flagship});
  CHECK(told.config->reports.post_after == Duration{9h});
  const auto none = with_reports(R"({"monthly": []})");
  REQUIRE(none.config);
  CHECK(none.config->reports.monthly.empty());
}

TEST_CASE("reports: each mistake at its path") {
  CHECK(problems_of(R"({"monthly": "elite"})").find("/reports/monthly: must be a list of package names") !=
        std::string::npos);
  CHECK(problems_of(R"({"monthly": ["elite", "gold"]})").find("/reports/monthly/1: not a package") !=
        std::string::npos);
  CHECK(problems_of(R"({"post_after": "1d"})").find("/reports/post_after: must be less than a day") !=
        std::string::npos);
  CHECK(problems_of(R"({"post_after": "9"})").find("/reports/post_after") != std::string::npos);
  CHECK(problems_of(R"({"montly": []})").find("/reports/montly") != std::string::npos);
  CHECK(problems_of(R"([])").find("/reports") != std::string::npos);
}

TEST_CASE("reports: a reload names the change, applied at once") {
  const auto before = with_reports("");
  const auto after = with_reports(R"({"post_after": "8h"})");
  REQUIRE(before.config);
  REQUIRE(after.config);
  const ConfigChanges changes = compare_configs(*before.config, *after.config);
  CHECK(std::find(changes.applied.begin(), changes.applied.end(), "reports") != changes.applied.end());
}
