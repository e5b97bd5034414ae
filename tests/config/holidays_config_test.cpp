// Each tenant's working calendar: "country" names a holiday list in "holidays_dir", "holidays" adds
// the tenant's own days off; the lists shipped in config/holidays/ read cleanly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "config/holiday_coverage.hpp"
#include "config/loader.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

Date d(const char* text) { return parse_date(text).value(); }

ConfigResult with_tenant(const std::string& dir, const std::string& tenant_extra, const std::string& top_extra = "") {
  AdapterRules rules;
  rules.known = {"console"};
  rules.required_secrets = [](const std::string&) { return std::vector<std::string>{}; };
  const std::string text = R"({"listen": "127.0.0.1:8080", "database": "r.db", "holidays_dir": ")" + dir + "\"" +
                           top_extra + R"(,
    "tenants": [{"id": "acme", "name": "Acme", "package": "elite")" +
                           tenant_extra + R"(}], "staff": [],
    "connections": [{"name": "local", "adapter": "console"}],
    "channels": [{"connection": "local", "chat_id": "acme", "tenant": "acme"}]})";
  return parse_config(text, rules, [](const std::string&) { return std::nullopt; });
}

std::string root(const testing::TempDir& dir) { return std::filesystem::path(dir.file("x")).parent_path().string(); }

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("holidays: the country's list and the tenant's own days") {
  testing::TempDir dir;
  write(dir.file("CN.txt"), "# test\n2026-10-01\n2026-10-02  # National Day\n2026-10-10 work\n");
  const auto result = with_tenant(root(dir), R"(, "country": "CN", "holidays": ["2026-12-24"])");
  REQUIRE(result.config);
  const Tenant& t = result.config->tenants[0];
  CHECK(t.country == "CN");
  CHECK(t.calendar.holidays == std::set<Date>{d("2026-10-01"), d("2026-10-02"), d("2026-12-24")});
  CHECK(t.calendar.working_days == std::set<Date>{d("2026-10-10")});
  CHECK(result.config->holidays_dir == root(dir));
  // Without a country: weekends and the tenant's own only.
  const auto plain = with_tenant(root(dir), "");
  REQUIRE(plain.config);
  CHECK(plain.config->tenants[0].calendar == HolidayCalendar{});
  CHECK(plain.config->reminders.milestone_before == std::chrono::days(2));
}

TEST_CASE("holidays: each mistake at its path, with the file and line") {
  testing::TempDir dir;
  write(dir.file("US.txt"), "2026-01-01\n2026-13-01\n");
  auto problems = [&](const std::string& extra) { return format_problems(with_tenant(root(dir), extra).problems); };
  CHECK(problems(R"(, "country": "US")").find("/tenants/0/country: " + root(dir) + "/US.txt line 2: not a date") !=
        std::string::npos);
  CHECK(problems(R"(, "country": "DE")")
            .find("/tenants/0/country: no holiday list for DE: cannot read " + root(dir) + "/DE.txt") !=
        std::string::npos);
  CHECK(problems(R"(, "country": "cn")").find("/tenants/0/country: not a country code \"cn\"") != std::string::npos);
  CHECK(problems(R"(, "holidays": ["2026-02-30"])").find("/tenants/0/holidays/0: not a date \"2026-02-30\"") !=
        std::string::npos);
  CHECK(problems(R"(, "holidays": "2026-01-01")").find("/tenants/0/holidays: must be an array of dates") !=
        std::string::npos);
  CHECK(format_problems(with_tenant(root(dir), "", R"(, "reminders": {"milestone_before": "soon"})").problems)
            .find("/reminders/milestone_before") != std::string::npos);
}

TEST_CASE("holidays: the shipped lists read cleanly") {
  for (const char* country : {"CN", "US"}) {
    INFO(country);
    const auto result = with_tenant(std::string(SLABOT_SOURCE_DIR) + "/config/holidays",
                                    std::string(R"(, "country": ")") + country + "\"");
    REQUIRE(result.config);
    CHECK(result.config->tenants[0].calendar.holidays.size() > 10);
  }
}

TEST_CASE("holidays: a country's list that names no day of this year, or in December of the next, is said") {
  testing::TempDir dir;
  write(dir.file("CN.txt"), "2026-10-01\n2026-10-10 work\n");
  auto result = with_tenant(root(dir), R"(, "country": "CN")");
  REQUIRE(result.config);
  Config config = *result.config;
  Tenant plain = config.tenants[0];  // another tenant, without a country: nothing to say of it
  plain.id = "globex";
  plain.country.clear();
  plain.calendar = {};
  config.tenants.push_back(plain);
  Tenant second = config.tenants[0];
  second.id = "initech";
  config.tenants.push_back(second);

  CHECK(holiday_list_gaps(config, d("2026-06-30")).empty());  // 2026 is listed
  const auto december = holiday_list_gaps(config, d("2026-12-04"));
  REQUIRE(december.size() == 1);  // 2026 is listed, 2027 is not, and 2027 is near
  CHECK(december[0] ==
        "holidays: CN.txt lists no day of 2027 (tenants acme, initech): until it does, every Monday to "
        "Friday of 2027 counts as a working day; add 2027's holidays to " +
            root(dir) + "/CN.txt");
  const auto next_year = holiday_list_gaps(config, d("2027-01-04"));
  REQUIRE(next_year.size() == 1);
  CHECK(next_year[0].starts_with("holidays: CN.txt lists no day of 2027 (tenants acme, initech)"));

  // A tenant naming its own day of 2027 has a calendar for it; a worked weekend day counts too.
  config.tenants[2].calendar.holidays.insert(d("2027-02-01"));
  CHECK(holiday_list_gaps(config, d("2027-01-04"))[0].find("(tenant acme)") != std::string::npos);
  config.tenants[0].calendar.working_days.insert(d("2027-02-07"));
  CHECK(holiday_list_gaps(config, d("2027-01-04")).empty());
  CHECK(lists_year(config.tenants[0].calendar, std::chrono::year{2027}));
  CHECK_FALSE(lists_year(config.tenants[0].calendar, std::chrono::year{2028}));
  CHECK_FALSE(lists_year(HolidayCalendar{}, std::chrono::year{2026}));
}
