// The service report of a busy tenant: a year (2026) of 100,000 tickets, each with its activity
// rows (opened, SLA warnings and breaches, acknowledged, escalated, resolved, closed, some CTG
// uses and ratings), beside a second tenant's year; then each month's report is read on a
// read-only connection, computed and rendered as md, csv and html. Prints the time of each
// month and the slowest; the target is under a second.
//
//   ./build/bench/report_bench [tickets]      (default 100000)
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "report/render.hpp"
#include "report/report_reader.hpp"
#include "storage/migrations.hpp"

using namespace slabot;
using namespace std::chrono;

namespace {

const Timestamp kYear = from_unix_ms(1767225600000);  // 2026-01-01 00:00 UTC
constexpr const char* kSeverities[] = {"Critical", "Urgent", "High", "Medium", "Low"};

// A year of `count` tickets for `tenant`, spread evenly, written in one transaction.
void fill(SQLite::Database& db, const std::string& tenant, int count, std::int64_t first_id) {
  SQLite::Statement ticket(db,
                           "INSERT INTO tickets (id, tenant_id, title, severity, state, opened_by_id, opened_by_name, "
                           "opened_at, clock_started_at, response_due_at, updated_at) "
                           "VALUES (?, ?, 'bench ticket', ?, ?, 'p', 'Pat', ?, ?, ?, ?)");
  SQLite::Statement activity(db,
                             "INSERT INTO activity (ticket_id, at, actor_id, actor_name, action, detail, channel) "
                             "VALUES (?, ?, 'x', 'X', ?, ?, 'hooks:g')");
  const auto year_ms = duration_cast<milliseconds>(days(365)).count();
  for (int n = 0; n < count; ++n) {
    const std::int64_t id = first_id + n;
    const int severity = 1 + n % 5;
    const Timestamp opened = kYear + milliseconds(year_ms / count * n);
    std::int64_t last = 0;
    const auto row = [&](Timestamp at, const std::string& action, const std::string& detail) {
      activity.bind(1, id);
      activity.bind(2, to_unix_ms(at));
      activity.bind(3, action);
      activity.bind(4, detail);
      activity.exec();
      activity.reset();
      last = to_unix_ms(at);
    };
    row(opened, "opened", std::string(kSeverities[severity - 1]) + ": bench ticket");
    // One ticket in ten answers late, after a warning and the breach that climbs to the TAM.
    const bool late = n % 10 == 0;
    const auto limit = minutes(severity == 1 ? 15 : severity == 2 ? 40 : 60 * 4);
    if (late) {
      row(opened + limit / 2, "sla warn50", "left");
      row(opened + limit, "sla breach", "escalated to TAM");
    }
    row(opened + (late ? limit * 2 : limit / 3), "acknowledged", "after");
    if (n % 25 == 0) row(opened + limit, "escalated", "to service manager: bench");
    if (n % 50 == 0) row(opened + limit, "ctg", "bench");
    row(opened + hours(2), "resolved", "");
    if (n % 7 == 0) row(opened + hours(3), "rated", std::to_string(1 + n % 5) + "/5: bench");
    // The last week's tickets are still open; the rest closed.
    const bool open = opened > kYear + days(358);
    if (!open) row(opened + hours(24), "closed", "");
    ticket.bind(1, id);
    ticket.bind(2, tenant);
    ticket.bind(3, severity);
    ticket.bind(4, open ? "resolved" : "closed");
    ticket.bind(5, to_unix_ms(opened));
    ticket.bind(6, to_unix_ms(opened));
    ticket.bind(7, to_unix_ms(opened + limit));
    ticket.bind(8, last);
    ticket.exec();
    ticket.reset();
  }
}

double ms_since(steady_clock::time_point start) {
  return duration<double, std::milli>(steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int tickets = argc > 1 ? std::stoi(argv[1]) : 100000;
  const auto path = std::filesystem::temp_directory_path() / "slabot-report-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  {
    const auto start = steady_clock::now();
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    migrate(db);
    SQLite::Transaction transaction(db);
    fill(db, "busy", tickets, 1);
    fill(db, "other", tickets / 10, tickets + 1);
    transaction.commit();
    const auto rows = db.execAndGet("SELECT COUNT(*) FROM activity").getInt64();
    std::printf("setup: %d tickets of one tenant in 2026 (+%d of another), %lld activity rows, %.0f ms\n", tickets,
                tickets / 10, static_cast<long long>(rows), ms_since(start));
  }
  const Tenant tenant{"busy", "Busy Partner", Package::flagship, "", Zone{}};
  const SlaPolicies policies;  // the seed's limits
  double slowest = 0;
  std::string slowest_month;
  for (int month = 1; month <= 12; ++month) {
    const std::string name = "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month);
    const Period period = *parse_period(name, tenant.zone);
    const auto start = steady_clock::now();
    ReportReader reader(path.string());  // opened per report, as `slabot report` and /report do
    const Report report = reader.report(tenant, policies, period);
    const double computed = ms_since(start);
    const std::size_t bytes = render_markdown(report).size() + render_csv(report).size() + render_html(report).size();
    const double total = ms_since(start);
    std::printf("report %s: %d opened, %zu breaches; read+compute %.0f ms, with md+csv+html (%zu bytes) %.0f ms\n",
                name.c_str(), report.opened(), report.breaches.size(), computed, bytes, total);
    if (total > slowest) {
      slowest = total;
      slowest_month = name;
    }
  }
  std::printf("slowest month: %s, %.0f ms (target: under 1000 ms)\n", slowest_month.c_str(), slowest);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return slowest < 1000 ? 0 : 1;
}
