// The report read from a database file on a read-only connection: the fixture's figures, the same
// bytes on every run (and after later months are written), and never another tenant's numbers.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Exception.h>

#include "report/render.hpp"
#include "report/report_reader.hpp"
#include "tests/report/report_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace slabot::testing;

namespace {

Report read(const std::string& path, const Tenant& tenant = acme()) {
  ReportReader reader(path);
  return reader.report(tenant, SlaPolicies{}, *parse_period("2026-11", tenant.zone));
}

}  // namespace

TEST_CASE("the report from the database is the one computed from the fixture's rows") {
  TempDir dir;
  write_fixture(dir.file("r.db"));
  const Report from_db = read(dir.file("r.db"));
  const Period november = *parse_period("2026-11", Zone{});
  // The fixture records no services: the database's report read the (empty) log of them, and
  // Premium's quarterly health check (October to December) not done.
  ServiceFigures services = services_done({}, november.start, november.end);
  services.health_check = HealthCheckDue{"2026-12-31", false};
  const Report from_rows = compute_report(acme(), SlaPolicy{}, november, rows_of("acme"), services);
  CHECK(render_csv(from_db) == render_csv(from_rows));
  CHECK(from_db.met() == 3);
  CHECK(from_db.missed() == 4);
}

TEST_CASE("the same period twice gives the same bytes, in every format, also after later rows") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  write_fixture(path);
  const Report first = read(path);
  const std::string md = render_markdown(first), csv = render_csv(first), html = render_html(first);
  CHECK(render_markdown(read(path)) == md);
  CHECK(render_csv(read(path)) == csv);
  CHECK(render_html(read(path)) == html);
  // December happens: #1 is reopened, #9 acknowledged, a new ticket opened. November stays.
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO activity (ticket_id, at, actor_id, actor_name, action, detail, channel) VALUES "
        "(1, " +
        std::to_string(to_unix_ms(utc("2026-12-02 10:00"))) +
        ", 'x', 'X', 'reopened', '', 'g'), "
        "(9, " +
        std::to_string(to_unix_ms(utc("2026-12-01 09:00"))) + ", 'x', 'X', 'acknowledged', '', 'g')");
    db.exec("UPDATE tickets SET state = 'open', updated_at = " + std::to_string(to_unix_ms(utc("2026-12-02 10:00"))) +
            " WHERE id = 1");
    db.exec("UPDATE tickets SET state = 'acknowledged', updated_at = " +
            std::to_string(to_unix_ms(utc("2026-12-01 09:00"))) + " WHERE id = 9");
  }
  CHECK(render_markdown(read(path)) == md);
  CHECK(render_csv(read(path)) == csv);
  CHECK(render_html(read(path)) == html);
}

TEST_CASE("a tenant's report never holds another tenant's numbers") {
  TempDir dir;
  write_fixture(dir.file("r.db"));
  const std::string acme_md = render_markdown(read(dir.file("r.db")));
  CHECK(acme_md.find("globex") == std::string::npos);
  CHECK(acme_md.find("#8") == std::string::npos);
  const Tenant globex{"globex", "Globex", Package::elite, "", Zone{}};
  const Report g = read(dir.file("r.db"), globex);
  CHECK(g.opened() == 1);
  CHECK(g.severities[0].ack_times.size() == 1);
  REQUIRE(g.ctg.size() == 1);
  CHECK(g.ctg[0].ticket == 8);
  REQUIRE(g.open_at_end.size() == 1);  // #8, acknowledged
  CHECK(g.open_at_end[0].ticket == 8);
  CHECK(render_csv(g).find("DB down") == std::string::npos);
}

TEST_CASE("the reader opens the file read-only and never writes to it") {
  TempDir dir;
  write_fixture(dir.file("r.db"));
  ReportReader reader(dir.file("r.db"));
  CHECK_FALSE(reader.posted("acme", "2026-11"));
  CHECK_THROWS_AS(ReportReader(dir.file("missing.db")), SQLite::Exception);  // and creates nothing
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.db")));
}

TEST_CASE("markdown: the month's figures in a message") {
  TempDir dir;
  write_fixture(dir.file("r.db"));
  const std::string md = render_markdown(read(dir.file("r.db")));
  INFO(md);
  CHECK(
      md.starts_with("**Service report: Acme Ltd (Premium), 2026-11**\n"
                     "Times in UTC; the month from 2026-11-01 00:00 UTC to 2026-12-01 00:00 UTC.\n"
                     "Opened: 7 tickets; response SLA 42.9% met (3 of 7 responses)\n"));
  CHECK(md.find("- Critical: 2 opened; acknowledged in 10m median, 25m p90, 25m worst; limit 15m; met 1 of 2 (50%)") !=
        std::string::npos);
  CHECK(md.find("- High: 1 opened; limit 4h") != std::string::npos);
  CHECK(md.find("- #2 Critical, due 2026-11-03 09:15 UTC: acknowledged after 25m") != std::string::npos);
  CHECK(md.find("- #4 Low, due 2026-11-10 18:00 UTC: closed without a response") != std::string::npos);
  CHECK(md.find("- #5 Medium, due 2026-11-30 04:00 UTC: no response by the period's end") != std::string::npos);
  CHECK(md.find("**Escalations**: to TAM 2 (1 by the SLA clock), to service manager 1 (0 by the SLA clock)") !=
        std::string::npos);
  CHECK(md.find("**Critical Time Guarantee**: 1 use\n- #2 Critical, from 2026-11-03 09:30 UTC (board meeting): "
                "responded after 25m "
                "(limit 15m, missed); 1 escalation; closed 2026-11-04 08:00 UTC\n") != std::string::npos);
  CHECK(md.find("**Ratings**: 1, average 5.0/5 (5: 1, 4: 0, 3: 0, 2: 0, 1: 0)") != std::string::npos);
  CHECK(md.find("**Health checks and consulting**: none done") != std::string::npos);
  CHECK(md.find("- #5 Medium open \"VPN flaky\", opened 2026-11-29 20:00 UTC, response overdue") != std::string::npos);
}

TEST_CASE("csv: one figure a row; partner text quoted, and never a spreadsheet formula") {
  Report r = compute_report(acme(), SlaPolicy{}, *parse_period("2026-11", Zone{}),
                            {{1, utc("2026-11-02 10:00"), "opened", "Critical: =HYPERLINK(\"x\"), \"quoted\""}});
  const std::string csv = render_csv(r);
  CHECK(csv.starts_with("section,key,metric,value\r\nreport,acme,tenant,Acme Ltd\r\n"));
  CHECK(csv.find("severity,Critical,opened,1\r\n") != std::string::npos);
  CHECK(csv.find("open_at_end,#1,title,\"'=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\"\r\n") != std::string::npos);
}

TEST_CASE("html: one page, partner text escaped, nothing that runs or fetches") {
  Report r = compute_report(acme(), SlaPolicy{}, *parse_period("2026-11", Zone{}),
                            {{1, utc("2026-11-02 10:00"), "opened", "Critical: <script>alert(1)</script>"}});
  const std::string html = render_html(r);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
}

TEST_CASE("a past month keeps the package it had: a later /package changes only later months") {
  TempDir dir;
  const std::string path = dir.file("p.db");
  write_fixture(path);
  auto change_package = [&](const std::string& at, const std::string& detail) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    SQLite::Statement insert(
        db,
        "INSERT INTO tenant_activity (tenant_id, at, actor_id, actor_name, action, detail, channel) "
        "VALUES ('acme', ?, 'ops', 'Ops', 'package', ?, 'hooks:support')");
    insert.bind(1, to_unix_ms(parse_period(at, Zone{})->start));
    insert.bind(2, detail);
    insert.exec();
  };
  const std::string before = render_markdown(read(path));
  CHECK(before.starts_with("**Service report: Acme Ltd (Premium), 2026-11**"));
  change_package("2026-12", "Premium -> Elite");  // on December 1st
  CHECK(render_markdown(read(path)) == before);   // November is as it was
  ReportReader reader(path);
  CHECK(reader.package_at(acme(), *parse_period("2026-12", Zone{})) == Package::elite);
  CHECK(reader.package_at(acme(), *parse_period("2026-11", Zone{})) == Package::premium);
}
