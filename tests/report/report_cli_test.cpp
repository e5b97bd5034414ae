// `slabot report`: the report of one tenant and month in each format, to stdout or a file, and a
// clear line and exit code 2 for every mistake on the command line.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <tuple>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/report_cli.hpp"
#include "domain/contract_year.hpp"
#include "tests/report/report_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace slabot::testing;

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result report(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run_report(args, out, err);
  return {code, out.str(), err.str()};
}

// A config on the fixture's database.
std::string prepare(TempDir& dir) {
  write_fixture(dir.file("bot.db"));
  const std::string path = dir.file("slabot.json");
  std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << dir.file("bot.db") << R"(",
    "staff": [{"id": "erin", "name": "Erin", "role": "engineer", "ids": {"generic": "u-erin"}}],
    "tenants": [{"id": "acme", "name": "Acme Ltd", "package": "premium"},
                {"id": "globex", "name": "Globex", "package": "elite"}],
    "connections": [{"name": "hooks", "adapter": "generic", "secrets": {"secret": "s"}}],
    "channels": [{"connection": "hooks", "chat_id": "acme-7x24", "tenant": "acme"}]})";
  return path;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("report cli: md on stdout by default, csv and html when asked, --out writes a file") {
  TempDir dir;
  const auto config = prepare(dir);
  const auto md = report({"--config", config, "--tenant", "acme", "--period", "2026-11"});
  CHECK(md.code == 0);
  CHECK(md.err.empty());
  CHECK(first_line(md.out) == "**Service report: Acme Ltd (Premium), 2026-11**");
  CHECK(report({"--config", config, "--tenant", "acme", "--period", "2026-11", "--format", "md"}).out == md.out);
  const auto csv = report({"--config", config, "--tenant", "acme", "--period", "2026-11", "--format", "csv"});
  CHECK(csv.code == 0);
  CHECK(csv.out.starts_with("section,key,metric,value\r\n"));
  const auto html = report(
      {"--config", config, "--tenant", "acme", "--period", "2026-11", "--format", "html", "--out", dir.file("r.html")});
  CHECK(html.code == 0);
  CHECK(html.out.empty());
  std::ifstream file(dir.file("r.html"));
  const std::string page((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(page.starts_with("<!DOCTYPE html>"));
}

TEST_CASE("report cli: each mistake is one line naming it, the usage, and exit code 2") {
  TempDir dir;
  const auto config = prepare(dir);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--tenant", "acme", "--period", "2026-11"}, "slabot report: missing --config FILE"},
      {{"--config", config, "--period", "2026-11"}, "slabot report: missing --tenant ID"},
      {{"--config", config, "--tenant", "acme"}, "slabot report: missing --period YYYY-MM"},
      {{"--config", config, "--tenant", "acme", "--period", "2026-13"},
       "slabot report: --period is a month like 2026-11, not '2026-13'"},
      {{"--config", config, "--tenant", "acme", "--period", "2026-11", "--format", "pdf"},
       "slabot report: --format is md, csv or html, not 'pdf'"},
      {{"--config", config, "--tenant", "acme", "--period"}, "slabot report: --period needs a value"},
      {{"--config", config, "--tenant", "acme", "--period", "2026-11", "--month", "x"},
       "slabot report: unknown option '--month'"},
      {{"--config", config, "--tenant", "acme", "--period", "2026-11", "extra"},
       "slabot report: unexpected argument 'extra'"},
      {{"--config", config, "--tenant", "initech", "--period", "2026-11"},
       "slabot report: no tenant 'initech' in " + config + " (tenants: acme, globex)"},
      {{"--config", config, "--tenant", "acme", "--period", "2999-01"}, "slabot report: 2999-01 has not begun"},
  };
  for (const auto& [args, line] : cases) {
    INFO(line);
    const auto r = report(args);
    CHECK(r.code == 2);
    CHECK(first_line(r.err) == line);
    CHECK(r.out.empty());
  }
}

TEST_CASE("report cli: --help prints the usage; a missing database or a bad config is exit 2; an unwritable --out 1") {
  TempDir dir;
  const auto config = prepare(dir);
  const auto help = report({"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.starts_with("usage: slabot report --config FILE --tenant ID --period YYYY-MM"));
  std::filesystem::remove(dir.file("bot.db"));
  const auto missing = report({"--config", config, "--tenant", "acme", "--period", "2026-11"});
  CHECK(missing.code == 2);
  CHECK(first_line(missing.err).starts_with("slabot report: no database at "));
  CHECK_FALSE(std::filesystem::exists(dir.file("bot.db")));  // nothing created
  std::ofstream(dir.file("bad.json")) << "{";
  CHECK(report({"--config", dir.file("bad.json"), "--tenant", "acme", "--period", "2026-11"}).code == 2);
  write_fixture(dir.file("bot.db"));
  const auto unwritable =
      report({"--config", config, "--tenant", "acme", "--period", "2026-11", "--out", dir.file("no/such/dir/r.md")});
  CHECK(unwritable.code == 1);
  CHECK(first_line(unwritable.err) == "slabot report: cannot write " + dir.file("no/such/dir/r.md"));
}

namespace {

// An engagement in acme's log, as the commands write it: started, a deliverable objected to and
// resubmitted (then confirmed by the five-day rule, nobody objecting), supplement units used.
std::int64_t write_engagement(const std::string& database) {
  SQLite::Database db(database, SQLite::OPEN_READWRITE);
  const std::vector<std::tuple<const char*, const char*, const char*>> rows{
      {"2026-01-05T10:00:00", "Erin", "start standard 2026-01-31 digital marketing"},
      {"2026-01-06T10:00:00", "Pat", "csm Wei Zhang"},
      {"2026-02-04T10:00:00", "Erin", "done 1.1 kick-off held"},
      {"2026-02-06T16:00:00", "Erin", "submit 1.2 Research report"},
      {"2026-02-09T10:00:00", "Wei Zhang", "object 1.2 missing the CRM"},
      {"2026-02-10T10:00:00", "Erin", "submit 1.2 Research report v2"},
      {"2026-02-11T10:00:00", "Erin", "units add 1"},
      {"2026-02-12T10:00:00", "Erin", "units use 12 workshop prep"},
  };
  std::int64_t first = 0;
  for (const auto& [when, who, detail] : rows) {
    SQLite::Statement insert(
        db,
        "INSERT INTO tenant_activity (tenant_id, at, actor_id, actor_name, action, detail, channel) "
        "VALUES ('acme', ?, ?, ?, 'engagement', ?, 'hooks:acme-7x24')");
    const auto day = parse_date(std::string(when).substr(0, 10)).value();
    insert.bind(1, to_unix_ms(start_of(day, Zone{}) + std::chrono::hours(std::stoi(std::string(when).substr(11, 2)))));
    insert.bind(2, who);
    insert.bind(3, who);
    insert.bind(4, detail);
    insert.exec();
    if (first == 0) first = db.getLastInsertRowid();
  }
  return first;
}

}  // namespace

TEST_CASE("report cli: an engagement's report by tenant or number, md and html") {
  TempDir dir;
  const auto config = prepare(dir);
  const std::int64_t id = write_engagement(dir.file("bot.db"));
  const auto md = report({"--config", config, "--engagement", "acme"});
  CHECK(md.code == 0);
  CHECK(first_line(md.out) == "# Engagement: Acme Ltd, standard edition (digital marketing), 2026-01-31 to 2026-07-31");
  CHECK(
      md.out.find(
          "| 1.1 | project preparation | Project Consulting Plan | due 2026-02-05 | done 2026-02-04 by Erin: kick-off "
          "held |") != std::string::npos);
  CHECK(md.out.find(
            "| 1.5 | knowledge transfer and empowerment promotion | Digital Transformation Training/Workshop | within "
            "2026-03-31 to 2026-07-31 |") != std::string::npos);
  CHECK(md.out.find("| 1.2 | Research report | by Erin 2026-02-06 16:00 UTC | objected by Wei Zhang 2026-02-09 10:00 "
                    "UTC: missing the CRM; to be resubmitted |") != std::string::npos);
  CHECK(md.out.find("| 1.2 | Research report v2 | by Erin 2026-02-10 10:00 UTC | confirmed by the five-day rule "
                    "2026-02-18 00:00 UTC |") != std::string::npos);
  CHECK(md.out.find("Engagement " + std::to_string(id) + " (slabot report --engagement " + std::to_string(id) + ").") !=
        std::string::npos);
  CHECK(md.out.find("50 person-days bought (1 unit of 50), 12 used, 38 left.") != std::string::npos);
  CHECK(report({"--config", config, "--engagement", std::to_string(id)}).out == md.out);
  const auto html = report({"--config", config, "--engagement", "acme", "--format", "html"});
  CHECK(html.code == 0);
  CHECK(html.out.starts_with("<!DOCTYPE html>"));
  CHECK(html.out.find("<td>confirmed by the five-day rule 2026-02-18 00:00 UTC</td>") != std::string::npos);
  // Another tenant's, an unknown one, and what an engagement report does not take.
  const auto globex = report({"--config", config, "--engagement", "globex"});
  CHECK(globex.code == 2);
  CHECK(globex.err == "slabot report: globex has no engagement\n");
  CHECK(report({"--config", config, "--engagement", "nobody"})
            .err.starts_with("slabot report: no tenant or engagement 'nobody'"));
  CHECK(first_line(report({"--config", config, "--engagement", "acme", "--format", "csv"}).err) ==
        "slabot report: an engagement report's --format is md or html, not 'csv'");
  CHECK(report({"--config", config, "--engagement", "acme", "--period", "2026-11"}).code == 2);
}
