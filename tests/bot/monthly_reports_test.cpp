// The monthly report posted to Elite and Flagship groups on the month's first day, in the
// tenant's zone: once, through the outbox, and never again, also after a restart on the first.
#include <catch2/catch.hpp>

#include <future>

#include "bot/monthly_reports.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

Zone shanghai() {
  std::string error;
  return Zone::find("Asia/Shanghai", error).value();
}

// Globex (Elite) reads Shanghai time and has two groups; Acme is Premium.
Config config_on(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::premium, "", Zone{}}, {"globex", "Globex", Package::elite, "", shanghai()}};
  c.connections = {{"hooks", "generic", {{"secret", "s"}}, "http://127.0.0.1:9/out"}};
  c.channels = {{"hooks", "acme-7x24", "acme"},
                {"hooks", "globex-7x24", "globex"},
                {"hooks", "globex-ops", "globex"},
                {"hooks", "support", ""}};
  return c;
}

// The outbox rows of monthly reports.
std::vector<OutboxRow> report_rows(Store& store) {
  std::vector<OutboxRow> rows;
  for (auto& row : store.list_outbox(OutboxQuery::all, 100)) {
    if (row.item.idempotency_key.starts_with("report:")) rows.push_back(std::move(row));
  }
  return rows;
}

// 2026-12-01 00:00 in Shanghai is 2026-11-30 16:00 UTC.
const Timestamp kFirstInShanghai = sys_days{2026y / November / 30} + 16h;

}  // namespace

TEST_CASE("the report goes once the first day has begun in the tenant's zone, to each of its groups") {
  testing::TempDir dir;
  const Config config = config_on(dir.file("m.db"));
  SqliteStore store{{config.database_path}};
  LiveConfig live{config};
  ManualClock clock{kFirstInShanghai - 1min};
  MonthlyReports reports{live, store, clock};
  int woken = 0;
  reports.on_posted([&woken] { ++woken; });
  CHECK(reports.post_due() == 0);  // 23:59 on November 30th in Shanghai
  CHECK(report_rows(store).empty());
  clock.set(kFirstInShanghai);
  CHECK(reports.post_due() == 1);  // Globex; Acme is Premium
  CHECK(woken == 1);
  const auto rows = report_rows(store);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].item.message.chat_id == "globex-7x24");
  CHECK(rows[1].item.message.chat_id == "globex-ops");
  CHECK(rows[0].item.idempotency_key == "report:globex:2026-11:hooks:globex-7x24");
  CHECK(
      rows[0].item.message.text.starts_with("**Service report: Globex (Elite), 2026-11**\n"
                                            "Times in Asia/Shanghai; the month from 2026-11-01 00:00 +08:00"));
  CHECK(rows[0].item.lane == Lane::routine);
  clock.advance(1h);
  CHECK(reports.post_due() == 0);  // never twice
  CHECK(report_rows(store).size() == 2);
}

TEST_CASE("a restart on the first day posts nothing again; a bot down on the first posts when back") {
  testing::TempDir dir;
  const Config config = config_on(dir.file("m.db"));
  ManualClock clock{kFirstInShanghai + 5min};
  {
    SqliteStore store{{config.database_path}};
    LiveConfig live{config};
    MonthlyReports reports{live, store, clock};
    CHECK(reports.post_due() == 1);
  }
  clock.advance(1min);  // restarted: a new store, a new poster, the same database
  {
    SqliteStore store{{config.database_path}};
    LiveConfig live{config};
    MonthlyReports reports{live, store, clock};
    CHECK(reports.post_due() == 0);
    clock.set(sys_days{2026y / December / 6});
    CHECK(reports.post_due() == 0);
    CHECK(report_rows(store).size() == 2);
    // January's first day in Shanghai: December's report.
    clock.set(sys_days{2026y / December / 31} + 16h);
    CHECK(reports.post_due() == 1);
    CHECK(report_rows(store).size() == 4);
  }
  testing::TempDir other;
  const Config late = config_on(other.file("late.db"));
  SqliteStore store{{late.database_path}};
  LiveConfig live{late};
  ManualClock back{sys_days{2026y / December / 3} + 10h};  // down from November 30th to December 3rd
  MonthlyReports reports{live, store, back};
  CHECK(reports.post_due() == 1);
  CHECK(report_rows(store)[0].item.idempotency_key == "report:globex:2026-11:hooks:globex-7x24");
}

TEST_CASE(
    "a week after the first an unposted report is left to `slabot report`: a first start mid-month posts nothing old") {
  testing::TempDir dir;
  const Config config = config_on(dir.file("m.db"));
  SqliteStore store{{config.database_path}};
  LiveConfig live{config};
  ManualClock clock{kFirstInShanghai + MonthlyReports::kCatchUp};
  MonthlyReports reports{live, store, clock};
  CHECK(reports.post_due() == 0);
  clock.set(kFirstInShanghai + MonthlyReports::kCatchUp - 1ms);
  CHECK(reports.post_due() == 1);
}

TEST_CASE("reports.monthly and reports.post_after choose who gets it and when on the first") {
  testing::TempDir dir;
  Config config = config_on(dir.file("m.db"));
  config.reports.monthly = {Package::premium};
  config.reports.post_after = 9h;
  SqliteStore store{{config.database_path}};
  LiveConfig live{config};
  ManualClock clock{sys_days{2026y / December / 1} + 8h + 59min};  // Acme reads UTC
  MonthlyReports reports{live, store, clock};
  CHECK(reports.post_due() == 0);
  clock.advance(1min);
  CHECK(reports.post_due() == 1);
  const auto rows = report_rows(store);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].item.message.chat_id == "acme-7x24");
}

TEST_CASE("the post is recorded with its outbox rows in one transaction: a second record queues nothing") {
  testing::TempDir dir;
  SqliteStore store{{dir.file("m.db")}};
  OutboxItem item;
  item.message = OutboundMessage{"hooks", "g", "report", {}, ""};
  item.idempotency_key = "report:acme:2026-11:hooks:g";
  const auto post = [&](OutboxItem i) {
    std::promise<WriteOutcome> done;
    store.post_report("acme", "2026-11", {std::move(i)}, sys_days{2026y / December / 1},
                      [&done](WriteOutcome o) { done.set_value(std::move(o)); });
    return done.get_future().get().kind;
  };
  CHECK(post(item) == WriteOutcome::Kind::applied);
  item.idempotency_key = "another key";  // even a message with a fresh key is not queued
  CHECK(post(item) == WriteOutcome::Kind::duplicate);
  CHECK(store.list_outbox(OutboxQuery::all, 10).size() == 1);
}
