// The report's figures on the hand-checked fixture (report_fixture.hpp), and the rules behind them.
#include <catch2/catch.hpp>

#include "report/compute.hpp"
#include "report/render.hpp"
#include "tests/report/report_fixture.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;

namespace {

Report november() {
  const Period period = *parse_period("2026-11", Zone{});
  return compute_report(acme(), SlaPolicy{}, period, rows_of("acme"));
}

}  // namespace

TEST_CASE("tickets opened in the month, by their severity when opened") {
  const Report r = november();
  CHECK(r.severities[0].opened == 2);  // #1, #2
  CHECK(r.severities[1].opened == 0);  // #6 was opened in October; #3 opened as High
  CHECK(r.severities[2].opened == 1);  // #3
  CHECK(r.severities[3].opened == 2);  // #5, #7 (its reopen is no new ticket)
  CHECK(r.severities[4].opened == 2);  // #4, #9
  CHECK(r.opened() == 7);
}

TEST_CASE("time to acknowledge per severity: median, p90 and worst of the month's responses") {
  const Report r = november();
  CHECK(r.severities[0].ack_times == std::vector<Duration>{10min, 25min});
  CHECK(r.severities[0].median() == Duration{10min});  // nearest rank: the 1st of 2
  CHECK(r.severities[0].p90() == Duration{25min});
  CHECK(r.severities[0].worst() == Duration{25min});
  // Urgent: #3 after its raise (35m), #6 from October (1h 10m).
  CHECK(r.severities[1].ack_times == std::vector<Duration>{35min, 70min});
  CHECK(r.severities[2].ack_times.empty());
  CHECK_FALSE(r.severities[2].median());
  // Medium: #7's two clocks; #5's December acknowledgement is not November's.
  CHECK(r.severities[3].ack_times == std::vector<Duration>{30min, 9h});
  CHECK(r.severities[3].limit == Duration{8h});
}

TEST_CASE("SLA compliance per severity and overall: each clock judged once, in the month it was judged") {
  const Report r = november();
  CHECK(r.severities[0].met == 1);     // #1
  CHECK(r.severities[0].missed == 1);  // #2
  CHECK(r.severities[1].met == 1);     // #3 within Urgent's 40m; #6 was judged in October
  CHECK(r.severities[1].missed == 0);
  CHECK(r.severities[3].met == 1);     // #7's first clock
  CHECK(r.severities[3].missed == 2);  // #7's second clock, #5 past its deadline at the end
  CHECK(r.severities[4].met == 0);
  CHECK(r.severities[4].missed == 1);  // #4 closed without a response; #9 still has time
  CHECK(r.met() == 3);
  CHECK(r.missed() == 4);
  CHECK(percent(r.met(), r.met() + r.missed()) == "42.9%");
}

TEST_CASE("each breach with its ticket, by deadline, as it stood at the month's end") {
  const Report r = november();
  REQUIRE(r.breaches.size() == 4);
  CHECK(r.breaches[0].ticket == 2);
  CHECK(r.breaches[0].due == utc("2026-11-03 09:15"));
  CHECK(r.breaches[0].took == Duration{25min});
  CHECK(r.breaches[1].ticket == 4);
  CHECK(r.breaches[1].closed_unanswered);
  CHECK(r.breaches[2].ticket == 7);
  CHECK(r.breaches[2].due == utc("2026-11-21 17:00"));
  CHECK(r.breaches[2].took == Duration{9h});
  CHECK(r.breaches[3].ticket == 5);
  CHECK(r.breaches[3].due == utc("2026-11-30 04:00"));
  CHECK_FALSE(r.breaches[3].took);
  CHECK_FALSE(r.breaches[3].closed_unanswered);
}

TEST_CASE("escalations by rung, CTG uses and the latest rating of each ticket") {
  const Report r = november();
  CHECK(r.escalations[kEscalationTam].by_hand == 1);      // #1
  CHECK(r.escalations[kEscalationTam].automatic == 1);    // #2's breach
  CHECK(r.escalations[kEscalationManager].by_hand == 1);  // #7
  CHECK(r.escalations[kEscalationManager].automatic == 0);
  REQUIRE(r.ctg.size() == 1);
  CHECK(r.ctg[0].ticket == 2);
  CHECK(r.ctg[0].reason == "board meeting");
  // What came of it: #2 was acknowledged at 09:25 after 25m, before the CTG at 09:30 (Critical's
  // 15m: missed); its breach climbed once; closed on the 4th at 08:00.
  CHECK(r.ctg[0].severity == 1);
  CHECK(r.ctg[0].limit == std::chrono::minutes(15));
  CHECK(r.ctg[0].responded_after == std::chrono::minutes(25));
  CHECK_FALSE(r.ctg[0].met());
  CHECK(r.ctg[0].escalations == 1);
  REQUIRE(r.ctg[0].ended);
  CHECK(r.ctg[0].closed);
  CHECK(*r.ctg[0].ended == r.ctg[0].at + std::chrono::hours(22) + std::chrono::minutes(30));
  REQUIRE(r.ratings.size() == 1);
  CHECK(r.ratings[0].stars == 5);
  CHECK(r.ratings[0].comment == "great, thanks");
}

TEST_CASE("tickets open at the month's end, most severe first") {
  const Report r = november();
  REQUIRE(r.open_at_end.size() == 4);
  CHECK(r.open_at_end[0].ticket == 6);
  CHECK(r.open_at_end[0].state == TicketState::acknowledged);
  CHECK(r.open_at_end[1].ticket == 5);
  CHECK(r.open_at_end[1].overdue);
  CHECK(r.open_at_end[1].state == TicketState::open);  // its December acknowledgement is not counted
  CHECK(r.open_at_end[1].title == "VPN flaky");
  CHECK(r.open_at_end[2].ticket == 7);
  CHECK(r.open_at_end[3].ticket == 9);
  CHECK_FALSE(r.open_at_end[3].overdue);
}

TEST_CASE("opened and acknowledged per day of the month") {
  const Report r = november();
  REQUIRE(r.days.size() == 30);
  CHECK(r.days[0].acknowledged == 1);  // #6, 11-01 00:10
  CHECK(r.days[1].opened == 1);
  CHECK(r.days[1].acknowledged == 1);
  CHECK(r.days[20].acknowledged == 1);  // #7's second
  CHECK(r.days[29].opened == 1);        // #9
  int opened = 0;
  for (const auto& d : r.days) opened += d.opened;
  CHECK(opened == r.opened());
}

TEST_CASE("a response at exactly the limit meets it; a millisecond later misses it") {
  const Period period = *parse_period("2026-11", Zone{});
  const auto rows = [](const std::string& ack) {
    return std::vector<ReportRow>{{1, utc("2026-11-02 10:00"), "opened", "Critical: x"},
                                  {1, utc(ack), "acknowledged", ""}};
  };
  CHECK(compute_report(acme(), SlaPolicy{}, period, rows("2026-11-02 10:15")).severities[0].met == 1);
  auto late = rows("2026-11-02 10:15");
  late[1].at += 1ms;
  CHECK(compute_report(acme(), SlaPolicy{}, period, late).severities[0].missed == 1);
}

TEST_CASE("the package's limits decide: the same response meets Flagship's Critical limit of 30m") {
  SlaPolicy loose;
  loose.response_limits[0] = 30min;
  const Report r = compute_report(acme(), loose, *parse_period("2026-11", Zone{}), rows_of("acme"));
  CHECK(r.severities[0].met == 2);
  CHECK(r.severities[0].limit == Duration{30min});
}

TEST_CASE("a month in the tenant's zone: Shanghai's November starts at 10-31 16:00 UTC") {
  std::string error;
  const auto shanghai = Zone::find("Asia/Shanghai", error);
  REQUIRE(shanghai);
  const Period period = *parse_period("2026-11", *shanghai);
  CHECK(period.start == utc("2026-10-31 16:00"));
  CHECK(period.end == utc("2026-11-30 16:00"));
  // #6's October 23:00 UTC opening is November 1st in Shanghai: it counts there.
  Tenant tenant = acme();
  tenant.zone = *shanghai;
  const Report r = compute_report(tenant, SlaPolicy{}, period, rows_of("acme"));
  CHECK(r.severities[1].opened == 1);
  CHECK(r.severities[4].opened == 1);  // #9 (11-30 23:50 UTC) is December there
}

TEST_CASE("periods: YYYY-MM only; month lengths; the month before") {
  CHECK(parse_period("2026-02", Zone{})->days() == 28);
  CHECK(parse_period("2028-02", Zone{})->days() == 29);
  CHECK(parse_period("2026-12", Zone{})->end == utc("2027-01-01 00:00"));
  CHECK(previous_month(*parse_period("2027-01", Zone{})).name() == "2026-12");
  CHECK(month_of(utc("2026-11-30 23:59"), Zone{}).name() == "2026-11");
  for (const char* bad : {"", "2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "abcd-ef", "1999-12"}) {
    INFO(bad);
    CHECK_FALSE(parse_period(bad, Zone{}));
  }
}

TEST_CASE("percent: tenths rounded half up, '-' for nothing judged") {
  CHECK(percent(1, 3) == "33.3%");
  CHECK(percent(2, 3) == "66.7%");
  CHECK(percent(1, 8) == "12.5%");
  CHECK(percent(3, 3) == "100%");
  CHECK(percent(0, 0) == "-");
}

TEST_CASE("services hook: the health checks and consulting done in the period, from tenant_activity rows") {
  const std::vector<TenantActivityRow> rows{
      {utc("2026-11-20 10:00"), "service_done", "migration: phase 1"},
      {utc("2026-11-05 10:00"), "service_done", "healthcheck"},
      {utc("2026-10-05 10:00"), "service_done", "healthcheck"},      // October
      {utc("2026-11-06 10:00"), "package", "elite"},                 // not a service
      {utc("2026-11-07 10:00"), "service_done", "painting: walls"},  // not a known service
  };
  const Period period = *parse_period("2026-11", Zone{});
  const ServiceFigures done = services_done(rows, period.start, period.end);
  CHECK(done.recorded);
  REQUIRE(done.done.size() == 2);
  CHECK(done.done[0].kind == "healthcheck");
  CHECK(done.done[0].note.empty());
  CHECK(done.done[1].kind == "migration");
  CHECK(done.done[1].note == "phase 1");
  CHECK(service_title("landing") == "landing zone design");
}

TEST_CASE("a month not over is reported so far: a deadline still ahead is no breach, and it says so") {
  const std::vector<ReportRow> rows{{1, utc("2026-12-03 09:00"), "opened", "Low: not late yet"},
                                    {2, utc("2026-12-01 09:00"), "opened", "Critical: late"}};
  const Period so_far = up_to(*parse_period("2026-12", Zone{}), utc("2026-12-03 10:00"));
  CHECK(so_far.so_far);
  CHECK(so_far.end == utc("2026-12-03 10:00") + 1ms);  // a row written at that instant is in
  const Report r = compute_report(acme(), SlaPolicy{}, so_far, rows);
  CHECK(r.severities[4].missed == 0);  // due 12-04 03:00
  CHECK(r.severities[0].missed == 1);
  const std::string md = render_markdown(r);
  INFO(md);
  CHECK(md.find("Times in UTC; the month so far, from 2026-12-01 00:00 UTC to 2026-12-03 10:00 UTC.") !=
        std::string::npos);
  CHECK(md.find("- #2 Critical, due 2026-12-01 09:15 UTC: no response yet") != std::string::npos);
  CHECK(md.find("**Open now: 2**") != std::string::npos);
  // A month that is over is left whole.
  const Period past = up_to(*parse_period("2026-11", Zone{}), utc("2026-12-03 10:00"));
  CHECK_FALSE(past.so_far);
  CHECK(past.end == utc("2026-12-01 00:00"));
}

TEST_CASE("a CTG asked for while the clock runs takes the response that follows; one never answered says so") {
  const Tenant acme{"acme", "Acme", Package::flagship, "", Zone{}};
  const Period november = *parse_period("2026-11", Zone{});
  const Timestamp t0 = november.start + std::chrono::hours(24 * 9);  // 2026-11-10 00:00 UTC
  using std::chrono::minutes;
  const std::vector<ReportRow> rows{
      {1, t0, "opened", "Critical: payments down"},
      {1, t0 + minutes(2), "ctg", "quarter end"},
      {1, t0 + minutes(9), "acknowledged", "after 9m"},
      {1, t0 + minutes(40), "resolved", "failover"},
      {2, t0, "opened", "Urgent: slow"},
      {2, t0 + minutes(1), "ctg", ""},
  };
  const Report r = compute_report(acme, SlaPolicy{}, november, rows);
  REQUIRE(r.ctg.size() == 2);  // by time: #2's at 00:01, then #1's at 00:02
  const CtgUse& unanswered = r.ctg[0];
  const CtgUse& answered = r.ctg[1];
  CHECK(answered.ticket == 1);
  CHECK(answered.responded_after == minutes(9));
  CHECK(answered.met());
  CHECK(answered.escalations == 0);
  REQUIRE(answered.ended);
  CHECK_FALSE(answered.closed);
  CHECK(unanswered.ticket == 2);
  CHECK_FALSE(unanswered.responded_after);
  CHECK_FALSE(unanswered.ended);
  const std::string md = render_markdown(r);
  INFO(md);
  CHECK(md.find("**Critical Time Guarantee**: 2 uses\n"
                "- #2 Urgent, from 2026-11-10 00:01 UTC: no response by the period's end; 0 escalations; "
                "active at the period's end\n"
                "- #1 Critical, from 2026-11-10 00:02 UTC (quarter end): responded after 9m (limit 15m, met); "
                "0 escalations; resolved 2026-11-10 00:40 UTC\n") != std::string::npos);
}
