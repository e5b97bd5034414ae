#include "domain/engagement.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

namespace {

Date d(const char* text) { return parse_date(text).value(); }
Timestamp at(const char* date, int hour = 10) { return start_of(d(date), Zone{}) + std::chrono::hours(hour); }

TenantActivity row(std::int64_t seq, Timestamp when, std::string detail, std::string who = "alice") {
  TenantActivity r;
  r.seq = seq;
  r.tenant_id = "acme";
  r.at = when;
  r.actor_id = who;
  r.actor_name = who;
  r.action = std::string(kEngagementAction);
  r.detail = std::move(detail);
  return r;
}

}  // namespace

TEST_CASE("engagement plan: the seed's table from T, month ends clamped") {
  const auto plan = engagement_plan(Edition::standard, d("2026-01-31"));
  REQUIRE(plan.size() == 6);
  CHECK(plan[0].id == "1.1");
  CHECK(plan[0].due == d("2026-02-05"));
  CHECK(plan[1].due == d("2026-02-28"));  // T+1M from Jan 31
  CHECK(plan[2].due == d("2026-03-31"));
  CHECK(plan[3].due == d("2026-05-31"));
  CHECK(plan[4].from == d("2026-03-31"));
  CHECK(plan[4].due == d("2026-07-31"));
  CHECK(plan[5].from == plan[4].from);
  CHECK(plan[5].due == plan[4].due);
  CHECK_FALSE(plan[3].from);
}

TEST_CASE("engagement plan: a leap year's February") {
  const auto plan = engagement_plan(Edition::standard, d("2028-01-31"));
  CHECK(plan[1].due == d("2028-02-29"));
  const auto from_leap_day = engagement_plan(Edition::standard, d("2028-02-29"));
  CHECK(from_leap_day[0].due == d("2028-03-05"));
  CHECK(from_leap_day[1].due == d("2028-03-29"));
}

TEST_CASE("engagement plan: premium stretches the landing to 9 months") {
  const auto plan = engagement_plan(Edition::premium, d("2026-03-02"));
  CHECK(plan[1].due == d("2026-04-02"));
  CHECK(plan[2].due == d("2026-05-02"));
  CHECK(plan[3].due == d("2026-09-02"));  // T+6M instead of T+4M
  CHECK(plan[4].from == d("2026-05-02"));
  CHECK(plan[4].due == d("2026-12-02"));  // T+9M
  CHECK(engagement_end(Edition::premium, d("2026-03-02")) == d("2026-12-02"));
  CHECK(landing_report_days(Edition::standard, d("2026-01-31")) ==
        std::vector<Date>{d("2026-04-30"), d("2026-05-31"), d("2026-06-30"), d("2026-07-31")});
  CHECK(landing_report_days(Edition::premium, d("2026-03-02")).size() == 7);
}

TEST_CASE("engagement plan: editions and milestone ids are read strictly") {
  CHECK(parse_edition("Premium") == Edition::premium);
  CHECK_FALSE(parse_edition("gold"));
  CHECK(is_milestone_id("1.6"));
  CHECK_FALSE(is_milestone_id("1.7"));
  CHECK_FALSE(is_milestone_id("2"));
}

TEST_CASE("engagement state: rebuilt from its log, the latest start wins") {
  const std::vector<TenantActivity> rows{
      row(1, at("2026-01-05"), start_detail(Edition::standard, d("2026-01-31"), "old")),
      row(2, at("2026-01-05"), "done 1.1"),
      row(3, at("2026-01-06"), start_detail(Edition::premium, d("2026-02-02"), "digital marketing")),
      row(4, at("2026-01-06"), csm_detail("hooks:U0WEI", "Wei Zhang")),
      row(5, at("2026-01-07"), units_detail(kUnitsAddVerb, 2, "")),
      row(6, at("2026-01-08"), units_detail(kUnitsUseVerb, 12, "workshop prep")),
      row(7, at("2026-01-09"), milestone_detail(kDoneVerb, "1.1", "kick-off held")),
  };
  const auto e = rebuild_engagement(rows, {}, Zone{}, at("2026-01-10"));
  REQUIRE(e);
  CHECK(e->id == 3);
  CHECK(e->edition == Edition::premium);
  CHECK(e->scenario == "digital marketing");
  CHECK(e->csm_id == "hooks:U0WEI");
  CHECK(e->csm_name == "Wei Zhang");
  CHECK_FALSE(e->csm_named_by_name_only());
  CHECK(e->person_days_bought == 100);
  CHECK(e->person_days_used() == 12);
  REQUIRE(e->find("1.1")->done_at);
  CHECK(e->find("1.1")->note == "kick-off held");
  CHECK_FALSE(e->finished());
  CHECK_FALSE(rebuild_engagement({}, {}, Zone{}, at("2026-01-10")));
}

TEST_CASE("engagement acceptance: five working days, across a weekend and a holiday") {
  HolidayCalendar calendar;
  calendar.holidays.insert(d("2026-01-14"));
  // Submitted Friday 2026-01-09: Mon 12, Tue 13, (Wed 14 off), Thu 15, Fri 16, Mon 19.
  const std::vector<TenantActivity> rows{
      row(1, at("2026-01-01"), start_detail(Edition::standard, d("2026-01-05"), "s")),
      row(2, at("2026-01-09", 16), milestone_detail(kSubmitVerb, "1.2", "Research report")),
  };
  auto e = rebuild_engagement(rows, calendar, Zone{}, at("2026-01-19", 23));
  const Submission* s = e->find("1.2")->current();
  REQUIRE(s);
  CHECK(s->window_last == d("2026-01-19"));
  CHECK(s->closes == start_of(d("2026-01-20"), Zone{}));
  CHECK(s->state == Acceptance::pending);
  // Past local midnight after the fifth working day: confirmed by the rule.
  e = rebuild_engagement(rows, calendar, Zone{}, start_of(d("2026-01-20"), Zone{}));
  s = e->find("1.2")->current();
  CHECK(s->state == Acceptance::confirmed);
  CHECK(s->by_rule);
  CHECK(s->decided_at == start_of(d("2026-01-20"), Zone{}));
  CHECK_FALSE(s->rule_noted);
}

TEST_CASE("engagement acceptance: an objection reopens it, a resubmission starts a new window") {
  std::vector<TenantActivity> rows{
      row(1, at("2026-01-01"), start_detail(Edition::standard, d("2026-01-05"), "s")),
      row(2, at("2026-01-09"), milestone_detail(kSubmitVerb, "1.2", "v1")),
      row(3, at("2026-01-12"), milestone_detail(kObjectVerb, "1.2", "missing the CRM"), "wei"),
      row(4, at("2026-01-13"), milestone_detail(kSubmitVerb, "1.2", "v2")),
  };
  auto e = rebuild_engagement(rows, {}, Zone{}, at("2026-02-01"));
  const auto& subs = e->find("1.2")->submissions;
  REQUIRE(subs.size() == 2);
  CHECK(subs[0].state == Acceptance::objected);
  CHECK(subs[0].reason == "missing the CRM");
  CHECK(subs[0].decided_by == "wei");
  CHECK(subs[1].state == Acceptance::confirmed);  // by the rule, on 2026-01-21
  CHECK(subs[1].window_last == d("2026-01-20"));
  // A confirmation typed after the window closed changes nothing: the rule had decided.
  rows.push_back(row(5, at("2026-01-22"), milestone_detail(kConfirmVerb, "1.2", ""), "wei"));
  e = rebuild_engagement(rows, {}, Zone{}, at("2026-02-01"));
  CHECK(e->find("1.2")->current()->by_rule);
}

TEST_CASE("engagement acceptance: a recorded window stays where it was, whatever the calendar says later") {
  // Submitted Friday 2026-01-09 with no holiday known: the window was recorded to end Friday 01-16.
  const std::vector<TenantActivity> rows{
      row(1, at("2026-01-01"), start_detail(Edition::standard, d("2026-01-05"), "s")),
      row(2, at("2026-01-09", 16), submit_detail("1.2", d("2026-01-16"), "Research report")),
  };
  CHECK(rows[1].detail == "submit until:2026-01-16 1.2 Research report");
  // A holiday added afterwards (Wednesday 01-14) would push a recomputed window to Monday 01-19.
  HolidayCalendar later;
  later.holidays.insert(d("2026-01-14"));
  auto e = rebuild_engagement(rows, later, Zone{}, at("2026-01-16", 23));
  const Submission* s = e->find("1.2")->current();
  REQUIRE(s);
  CHECK(s->title == "Research report");
  CHECK(s->window_last == d("2026-01-16"));
  CHECK(s->closes == start_of(d("2026-01-17"), Zone{}));
  e = rebuild_engagement(rows, later, Zone{}, start_of(d("2026-01-17"), Zone{}));
  CHECK(e->find("1.2")->current()->by_rule);
  // A row from before the day was recorded falls back to the calendar as it stands.
  const std::vector<TenantActivity> old_rows{
      rows[0], row(2, at("2026-01-09", 16), milestone_detail(kSubmitVerb, "1.2", "Research report"))};
  e = rebuild_engagement(old_rows, later, Zone{}, at("2026-01-16", 23));
  CHECK(e->find("1.2")->current()->window_last == d("2026-01-19"));
  CHECK(e->find("1.2")->current()->title == "Research report");
}

TEST_CASE("engagement state: a success manager named by name only, before identities were recorded") {
  std::vector<TenantActivity> rows{
      row(1, at("2026-01-01"), start_detail(Edition::standard, d("2026-01-05"), "s")),
      row(2, at("2026-01-02"), "csm Wei Zhang"),
  };
  auto e = rebuild_engagement(rows, {}, Zone{}, at("2026-01-03"));
  CHECK(e->csm_id.empty());
  CHECK(e->csm_name == "Wei Zhang");
  CHECK(e->csm_named_by_name_only());
  CHECK(e->csm_shown() == "Wei Zhang (to be named again by staff: /engagement csm @name)");
  rows.push_back(row(3, at("2026-01-04"), csm_detail("hooks:U0WEI", "Wei Zhang")));
  e = rebuild_engagement(rows, {}, Zone{}, at("2026-01-05"));
  CHECK(e->csm_id == "hooks:U0WEI");
  CHECK(e->csm_shown() == "Wei Zhang");
}

TEST_CASE("engagement state: a cancelled one is not running, keeps its rows, and a new start replaces it") {
  std::vector<TenantActivity> rows{
      row(1, at("2026-01-01"), start_detail(Edition::standard, d("2026-01-05"), "s")),
      row(2, at("2026-01-09"), milestone_detail(kSubmitVerb, "1.2", "v1")),
      row(3, at("2026-01-12"), "cancel the customer withdrew", "erin"),
      row(4, at("2026-01-13"), milestone_detail(kDoneVerb, "1.1", "")),  // too late: changes nothing
  };
  auto e = rebuild_engagement(rows, {}, Zone{}, at("2026-03-01"));
  REQUIRE(e);
  CHECK_FALSE(e->running());
  CHECK(e->cancelled_at == at("2026-01-12"));
  CHECK(e->cancelled_by == "erin");
  CHECK(e->cancel_reason == "the customer withdrew");
  CHECK_FALSE(e->find("1.1")->done_at);
  CHECK(e->find("1.2")->current()->state == Acceptance::pending);  // the rule stopped with it
  rows.push_back(row(5, at("2026-01-14"), start_detail(Edition::premium, d("2026-02-02"), "again")));
  e = rebuild_engagement(rows, {}, Zone{}, at("2026-03-01"));
  CHECK(e->id == 5);
  CHECK(e->running());
  CHECK(rebuild_engagement(rows, {}, Zone{}, at("2026-03-01"), 1)->cancelled_at);
}
