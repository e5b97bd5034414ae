#pragma once
// A month of one tenant's tickets (2026-11, UTC, Premium limits) whose figures were worked out by
// hand (report_figures_test.cpp says which row gives which), and another tenant's ticket that
// must never show in them. As activity rows, and as a database file holding them.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "report/compute.hpp"
#include "storage/migrations.hpp"

namespace slabot::testing {

// "2026-11-03 09:15" (UTC) as a Timestamp.
inline Timestamp utc(const std::string& text) {
  using namespace std::chrono;
  const int y = std::stoi(text.substr(0, 4));
  const unsigned mo = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  const int h = std::stoi(text.substr(11, 2));
  const int mi = std::stoi(text.substr(14, 2));
  const int s = text.size() > 16 ? std::stoi(text.substr(17, 2)) : 0;
  return Timestamp{duration_cast<Duration>(sys_days(year{y} / month{mo} / day{d}).time_since_epoch() + hours{h} +
                                           minutes{mi} + seconds{s})};
}

struct FixtureRow {
  std::string tenant;
  ReportRow row;
};

inline std::vector<FixtureRow> november_rows() {
  const auto r = [](const std::string& tenant, TicketId id, const std::string& at, const std::string& action,
                    const std::string& detail) {
    return FixtureRow{tenant, ReportRow{id, utc(at), action, detail}};
  };
  return {
      // #1 Critical: acknowledged in 10m (met), escalated by hand to the TAM, rated 4 then 5.
      r("acme", 1, "2026-11-02 10:00", "opened", "Critical: DB down"),
      r("acme", 1, "2026-11-02 10:10", "acknowledged", "after 10m"),
      r("acme", 1, "2026-11-02 10:20", "escalated", "to TAM: slow"),
      r("acme", 1, "2026-11-02 12:00", "resolved", ""),
      r("acme", 1, "2026-11-02 13:00", "rated", "4/5"),
      r("acme", 1, "2026-11-02 13:30", "rated", "5/5: great, thanks"),
      // #2 Critical: breached at 09:15 (the clock climbs to the TAM), acknowledged after 25m, CTG.
      r("acme", 2, "2026-11-03 09:00", "opened", "Critical: API errors"),
      r("acme", 2, "2026-11-03 09:07:30", "sla warn50", "7m 30s left"),
      r("acme", 2, "2026-11-03 09:15", "sla breach", "escalated to TAM"),
      r("acme", 2, "2026-11-03 09:25", "acknowledged", "after 25m"),
      r("acme", 2, "2026-11-03 09:30", "ctg", "board meeting"),
      r("acme", 2, "2026-11-04 08:00", "closed", ""),
      // #3 opened High, raised to Urgent (40m) before its acknowledgement after 35m: met.
      r("acme", 3, "2026-11-05 08:00", "opened", "High: slow pages"),
      r("acme", 3, "2026-11-05 08:30", "severity", "High -> Urgent"),
      r("acme", 3, "2026-11-05 08:35", "acknowledged", "after 35m"),
      r("acme", 3, "2026-11-06 08:00", "resolved", "cache"),
      // #4 Low, closed without a response: missed.
      r("acme", 4, "2026-11-10 00:00", "opened", "Low: question"),
      r("acme", 4, "2026-11-10 01:00", "closed", "without a response: duplicate of #3"),
      // #5 Medium, never answered in November: breached at 11-30 04:00, open and overdue at the end;
      // its December acknowledgement is no part of November.
      r("acme", 5, "2026-11-29 20:00", "opened", "Medium: VPN flaky"),
      r("acme", 5, "2026-12-01 02:00", "acknowledged", "after 6h"),
      // #6 Urgent from October: breached in October (not November's), acknowledged in November
      // after 1h 10m; still acknowledged at the end.
      r("acme", 6, "2026-10-31 23:00", "opened", "Urgent: old one"),
      r("acme", 6, "2026-11-01 00:10", "acknowledged", "after 1h 10m"),
      // #7 Medium: met in 30m, resolved, reopened; the second clock missed (9h against 8h); escalated by
      // hand to the service manager.
      r("acme", 7, "2026-11-20 12:00", "opened", "Medium: reports slow"),
      r("acme", 7, "2026-11-20 12:30", "acknowledged", "after 30m"),
      r("acme", 7, "2026-11-20 13:00", "resolved", ""),
      r("acme", 7, "2026-11-21 09:00", "reopened", "again"),
      r("acme", 7, "2026-11-21 18:00", "acknowledged", "after 9h"),
      r("acme", 7, "2026-11-21 19:00", "escalated", "to service manager"),
      // #8 is another tenant's: none of it may show.
      r("globex", 8, "2026-11-15 10:00", "opened", "Critical: globex outage"),
      r("globex", 8, "2026-11-15 11:00", "acknowledged", "after 1h"),
      r("globex", 8, "2026-11-15 11:05", "ctg", "globex ctg"),
      // #9 Low, opened ten minutes before the end: its clock runs into December.
      r("acme", 9, "2026-11-30 23:50", "opened", "Low: late one"),
  };
}

inline std::vector<ReportRow> rows_of(const std::string& tenant) {
  std::vector<ReportRow> rows;
  for (const auto& f : november_rows()) {
    if (f.tenant == tenant) rows.push_back(f.row);
  }
  return rows;  // already by ticket, then as written
}

// The fixture as a database file: each ticket's row as the bot would leave it (its state and
// updated_at from its last activity), then its activity rows.
inline void write_fixture(const std::string& path, const std::vector<FixtureRow>& rows = november_rows()) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  migrate(db);
  struct Last {
    std::string tenant, title, state = "open";
    std::int64_t opened = 0, updated = 0;
  };
  std::map<TicketId, Last> tickets;
  for (const auto& f : rows) {
    auto& t = tickets[f.row.ticket];
    t.tenant = f.tenant;
    const auto at = to_unix_ms(f.row.at);
    if (f.row.action == "opened") {
      t.opened = at;
      t.title = f.row.detail;
    }
    t.updated = at;
    if (f.row.action == "acknowledged") t.state = "acknowledged";
    if (f.row.action == "resolved") t.state = "resolved";
    if (f.row.action == "closed") t.state = "closed";
    if (f.row.action == "reopened") t.state = "open";
  }
  for (const auto& [id, t] : tickets) {
    SQLite::Statement insert(
        db,
        "INSERT INTO tickets (id, tenant_id, title, severity, state, opened_by_id, opened_by_name, "
        "opened_at, clock_started_at, response_due_at, updated_at) VALUES (?, ?, ?, 3, ?, 'p', "
        "'Pat', ?, ?, ?, ?)");
    insert.bind(1, id);
    insert.bind(2, t.tenant);
    insert.bind(3, t.title);
    insert.bind(4, t.state);
    insert.bind(5, t.opened);
    insert.bind(6, t.opened);
    insert.bind(7, t.opened);
    insert.bind(8, t.updated);
    insert.exec();
  }
  for (const auto& f : rows) {
    SQLite::Statement insert(db,
                             "INSERT INTO activity (ticket_id, at, actor_id, actor_name, action, detail, channel) "
                             "VALUES (?, ?, 'x', 'X', ?, ?, 'hooks:g')");
    insert.bind(1, f.row.ticket);
    insert.bind(2, to_unix_ms(f.row.at));
    insert.bind(3, f.row.action);
    insert.bind(4, f.row.detail);
    insert.exec();
  }
}

inline Tenant acme() { return Tenant{"acme", "Acme Ltd", Package::premium, "", Zone{}}; }

}  // namespace slabot::testing
