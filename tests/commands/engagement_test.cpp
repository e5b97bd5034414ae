// The customer success engagement as commands: starting one (staff, 15 working days ahead, one
// at a time), its plan, the customer success manager, milestones, deliverables and their
// five-working-day acceptance, supplement units, and what another tenant's group sees of it.
#include <catch2/catch.hpp>

#include <future>

#include "commands/command_service.hpp"
#include "commands/parser.hpp"
#include "domain/contract_year.hpp"
#include "tests/support/command_chat.hpp"
#include "tests/support/store_sync.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Actor kPat{"generic:pat", "Pat", Role::partner};
const Actor kWei{"generic:wei", "Wei Zhang", Role::partner};
const Actor kGina{"generic:gina", "Gina", Role::partner};
const Actor kLi{"generic:li", "Li Na", Role::partner};
// Another member of the group, who took the success manager's display name.
const Actor kFakeWei{"generic:mallory", "Wei Zhang", Role::partner};
const Actor kErin{"erin", "Erin", Role::engineer};

Date d(const char* text) { return parse_date(text).value(); }
Timestamp at(const char* date, int hour = 10) { return start_of(d(date), Zone{}) + std::chrono::hours(hour); }

Tenant acme() {
  Tenant t{"acme", "Acme Reseller", Package::premium};
  t.country = "US";
  t.calendar.holidays = {d("2026-01-19"), d("2026-02-16")};
  return t;
}
const Tenant kGlobex{"globex", "Globex", Package::selected};

struct Chat : testing::CommandChat {
  Chat() : CommandChat(at("2026-01-05"), {kErin}, acme(), kGlobex) {}  // a Monday
  std::string in_acme(const Actor& who, const std::string& text, std::vector<Actor> mentioned = {}) {
    return in_a(who, text, std::move(mentioned));
  }
  std::string in_globex(const Actor& who, const std::string& text) { return in_b(who, text); }
  // Started on Saturday 2026-01-31 (month-end clamping follows).
  void started() {
    REQUIRE(
        in_acme(kErin, "/engagement start standard digital marketing at:2026-01-31").starts_with("Engagement started"));
  }
};

const std::string kEngagementUsage =
    "usage: /engagement [start standard|premium <scenario> [at:YYYY-MM-DD] | csm @person | units add|use <n> [note] | "
    "cancel "
    "<reason>]";
const char* const kNoEngagementText =
    "no engagement runs here; staff start one with /engagement start standard|premium <scenario>";
const std::string kDeliverableUsage = "usage: /deliverable submit|confirm|object <1.1-1.6> [title|reason]";

}  // namespace

TEST_CASE("engagement: staff start it at least 15 working days ahead, holidays counted out") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/engagement start standard digital marketing at:2026-03-02") ==
        "only support staff may do that; the customer confirms or objects to deliverables");
  // From Monday 2026-01-05, 15 working days with Monday 01-19 off end on Tuesday 01-27.
  CHECK(chat.in_acme(kErin, "/engagement start standard digital marketing at:2026-01-26") ==
        "an engagement is requested at least 15 working days ahead: the earliest start is 2026-01-27");
  CHECK(chat.store.tenant_log("acme", "engagement", {}).empty());
  CHECK(chat.in_acme(kErin, "/engagement start standard digital marketing at:2026-01-31") ==
        "Engagement started: standard, digital marketing, 2026-01-31 to 2026-07-31; 1.1 (project preparation) due "
        "2026-02-05; /engagement shows the plan");
  CHECK(chat.in_acme(kErin, "/engagement start premium three scenarios at:2026-03-02") ==
        "an engagement already runs here (standard, from 2026-01-31); one at a time");
  // Once every milestone is done and every deliverable confirmed, the next may start.
  chat.in_acme(kErin, "/deliverable submit 1.2 Research report");
  for (const char* m : {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6"})
    chat.in_acme(kErin, std::string("/milestone done ") + m);
  CHECK(chat.in_acme(kErin, "/engagement start premium three scenarios at:2026-03-02")
            .starts_with("an engagement already runs here"));  // 1.2's deliverable awaits acceptance
  chat.in_acme(kPat, "/deliverable confirm 1.2");
  CHECK(chat.in_acme(kErin, "/engagement start premium three scenarios at:2026-03-02") ==
        "Engagement started: premium, three scenarios, 2026-03-02 to 2026-12-02; 1.1 (project preparation) due "
        "2026-03-07; /engagement shows the plan");
  CHECK(
      chat.in_acme(kPat, "/engagement").starts_with("Engagement (premium, three scenarios): 2026-03-02 to 2026-12-02"));
}

TEST_CASE("engagement: without a date it starts on the earliest day allowed") {
  Chat chat;
  CHECK(chat.in_acme(kErin, "/engagement start premium marketing, collaboration, service")
            .starts_with("Engagement started: premium, marketing, collaboration, service, 2026-01-27 to 2026-10-27;"));
}

TEST_CASE("engagement: the plan with its dates, month ends clamped, and its state") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/engagement") ==
        "no engagement runs here; staff start one with /engagement start standard|premium <scenario>");
  chat.started();
  chat.clock.set(at("2026-02-07"));
  CHECK(chat.in_acme(kPat, "/engagement") ==
        "Engagement (standard, digital marketing): 2026-01-31 to 2026-07-31; accepts deliverables: the customer (no "
        "success manager named)\n"
        "1.1 (project preparation): due 2026-02-05, overdue since 2026-02-06; Project Consulting Plan not submitted\n"
        "1.2 (current situation investigation and demand analysis): due 2026-02-28, open; Customer Success Research "
        "and Analysis Report not submitted\n"
        "1.3 (discussion and scheme design): due 2026-03-31, open; Customer Success Service Plan not submitted\n"
        "1.4 (landing execution planning and monitoring): due 2026-05-31, open; Comprehensive Customer Service "
        "Report not submitted\n"
        "1.5 (knowledge transfer and empowerment promotion): within 2026-03-31 to 2026-07-31, open; Digital "
        "Transformation Training/Workshop not submitted\n"
        "1.6 (continuous improvement and feedback): within 2026-03-31 to 2026-07-31, open; Effect Evaluation and "
        "Action Improvement Program not submitted\n"
        "Supplement units: 0 person-days bought (0 units of 50), 0 used, 0 left");
  CHECK(chat.in_acme(kPat, "/milestone done 1.1") ==
        "only support staff may do that; the customer confirms or objects to deliverables");
  CHECK(chat.in_acme(kErin, "/milestone done 1.1 kick-off held") ==
        "1.1 (project preparation) recorded done; it was due 2026-02-05");
  CHECK(chat.in_acme(kErin, "/milestone done 1.1") == "1.1 (project preparation) was done already, 2026-02-07");
  CHECK(chat.in_acme(kPat, "/engagement")
            .find("1.1 (project preparation): due 2026-02-05, done 2026-02-07 by Erin; Project Consulting Plan not "
                  "submitted\n") != std::string::npos);
}

TEST_CASE("engagement: a deliverable is confirmed by the five-day rule across a weekend and a holiday") {
  Chat chat;
  chat.started();
  chat.clock.set(at("2026-02-06", 16));  // Friday
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.2 Research report") ==
        "1.2 \"Research report\" submitted: the customer (no success manager named) may confirm or object for 5 "
        "working days, until 2026-02-13; without an objection it is confirmed");
  // Monday 02-16 is a holiday here: submitted Thursday 02-12, the window runs to Friday 02-20.
  chat.clock.set(at("2026-02-13", 23));
  CHECK(chat.in_acme(kPat, "/engagement")
            .find("\"Research report\" awaiting acceptance, 1 working day left (until "
                  "2026-02-13)") != std::string::npos);
  CHECK(
      chat.in_acme(kErin, "/deliverable submit 1.2 v2").starts_with("1.2 \"Research report\" is awaiting acceptance"));
  chat.clock.set(start_of(d("2026-02-14"), Zone{}));  // local midnight after the fifth working day
  CHECK(chat.in_acme(kPat, "/deliverable object 1.2 too late") ==
        "1.2 \"Research report\" is confirmed by the five-day rule 2026-02-14 00:00 UTC");
  chat.clock.set(at("2026-02-12"));
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.3 Service plan").find("until 2026-02-20") != std::string::npos);
}

TEST_CASE("engagement: a holiday added after a submission does not move its window") {
  Chat chat;
  chat.started();
  chat.clock.set(at("2026-02-06", 16));  // Friday
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.2 Research report").find("until 2026-02-13") != std::string::npos);
  CHECK(chat.store.tenant_log("acme", "engagement", {}).back().detail == "submit until:2026-02-13 1.2 Research report");
  // The operator adds Wednesday 02-11 to the holiday file while the window runs.
  chat.tenant_a.calendar.holidays.insert(d("2026-02-11"));
  chat.clock.set(at("2026-02-13", 23));
  CHECK(chat.in_acme(kPat, "/engagement")
            .find("\"Research report\" awaiting acceptance, 1 working day left (until "
                  "2026-02-13)") != std::string::npos);
  chat.clock.set(start_of(d("2026-02-14"), Zone{}));
  CHECK(chat.in_acme(kPat, "/deliverable object 1.2 too late") ==
        "1.2 \"Research report\" is confirmed by the five-day rule 2026-02-14 00:00 UTC");
  // A new submission counts with the new calendar: from Tuesday 02-10, with 02-11 and Monday
  // 02-16 off, the fifth working day is Thursday 02-19.
  chat.clock.set(at("2026-02-10"));
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.3 Service plan").find("until 2026-02-19") != std::string::npos);
}

TEST_CASE("engagement: an objection stops the clock and reopens it for resubmission") {
  Chat chat;
  chat.started();
  CHECK(chat.in_acme(kPat, "/deliverable confirm 1.2") ==
        "nothing submitted for 1.2 (current situation investigation "
        "and demand analysis) yet");
  chat.clock.set(at("2026-02-09"));
  CHECK(chat.in_acme(kPat, "/deliverable submit 1.2 Research report") ==
        "only support staff may do that; the customer confirms or objects to deliverables");
  chat.in_acme(kErin, "/deliverable submit 1.2 Research report");
  CHECK(chat.in_acme(kErin, "/deliverable confirm 1.2") == "the customer accepts deliverables, not the support side");
  chat.clock.set(at("2026-02-10"));
  CHECK(chat.in_acme(kPat, "/deliverable object 1.2 the CRM is missing") ==
        "1.2 \"Research report\" objected by Pat: the CRM is missing; its acceptance clock is stopped until it is "
        "resubmitted (/deliverable submit 1.2 <title>)");
  // Weeks later it is still objected: no rule confirmed it.
  chat.clock.set(at("2026-03-02"));
  CHECK(chat.in_acme(kPat, "/engagement")
            .find("\"Research report\" objected by Pat 2026-02-10 10:00 UTC: the CRM is "
                  "missing; to be resubmitted") != std::string::npos);
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.2 Research report v2").find("until 2026-03-09") !=
        std::string::npos);
  CHECK(chat.in_acme(kPat, "/deliverable confirm 1.2 thanks") == "1.2 \"Research report v2\" confirmed by Pat");
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.2 v3") ==
        "1.2 \"Research report v2\" is confirmed by Pat 2026-03-02 10:00 UTC");
}

TEST_CASE("engagement: once a success manager is named, only they accept, by platform identity") {
  Chat chat;
  chat.started();
  CHECK(chat.in_acme(kErin, "/engagement csm @Wei Zhang", {kWei}) ==
        "Wei Zhang is the customer success manager: confirms or objects to deliverables");
  CHECK(chat.store.tenant_log("acme", "engagement", {}).back().detail == "csm-user generic:wei Wei Zhang");
  chat.clock.set(at("2026-02-09"));
  chat.in_acme(kErin, "/deliverable submit 1.2 Research report");
  CHECK(chat.in_acme(kPat, "/deliverable confirm 1.2") ==
        "only the customer success manager, Wei Zhang, confirms or objects to deliverables");
  // A member whose display name is the manager's (or the manager's id) is still someone else.
  CHECK(chat.in_acme(kFakeWei, "/deliverable confirm 1.2") ==
        "only the customer success manager, Wei Zhang, confirms or objects to deliverables");
  CHECK(chat.in_acme(Actor{"generic:mallory", "generic:wei", Role::partner}, "/deliverable object 1.2 no") ==
        "only the customer success manager, Wei Zhang, confirms or objects to deliverables");
  CHECK(chat.in_acme(kWei, "/deliverable confirm 1.2") == "1.2 \"Research report\" confirmed by Wei Zhang");
}

TEST_CASE("engagement: only staff or the current success manager name the success manager") {
  Chat chat;
  chat.started();
  CHECK(chat.in_acme(kPat, "/engagement csm @Pat", {kPat}) == "only support staff name the customer success manager");
  REQUIRE(chat.in_acme(kErin, "/engagement csm @Wei Zhang", {kWei}).starts_with("Wei Zhang is the customer"));
  // A customer member cannot rename the manager, even naming themselves by the manager's name.
  CHECK(chat.in_acme(kPat, "/engagement csm @Pat", {kPat}) ==
        "only support staff or the customer success manager, Wei Zhang, name the customer success manager");
  CHECK(chat.in_acme(kFakeWei, "/engagement csm @mallory", {kFakeWei}) ==
        "only support staff or the customer success manager, Wei Zhang, name the customer success manager");
  // The manager hands over; from then on only the new one accepts.
  CHECK(chat.in_acme(kWei, "/engagement csm @Li Na", {kLi}) ==
        "Li Na is the customer success manager: confirms or objects to deliverables");
  CHECK(chat.in_acme(kWei, "/engagement csm @Wei Zhang", {kWei}) ==
        "only support staff or the customer success manager, Li Na, name the customer success manager");
  chat.clock.set(at("2026-02-09"));
  chat.in_acme(kErin, "/deliverable submit 1.2 Research report");
  CHECK(chat.in_acme(kWei, "/deliverable confirm 1.2") ==
        "only the customer success manager, Li Na, confirms or objects to deliverables");
  CHECK(chat.in_acme(kLi, "/deliverable object 1.2 thin") ==
        "1.2 \"Research report\" objected by Li Na: thin; its acceptance clock is stopped until it is resubmitted "
        "(/deliverable submit 1.2 <title>)");
}

TEST_CASE("engagement: the success manager is whom the platform says was mentioned, never a typed name") {
  Chat chat;
  chat.started();
  CHECK(chat.in_acme(kErin, "/engagement csm Wei Zhang") ==
        "@-mention the customer success manager so the platform says who they are (/engagement csm @name); a typed "
        "name is not enough");
  CHECK(chat.in_acme(kErin, "/engagement csm @Wei @Li", {kWei, kLi}) ==
        "mention one customer success manager, not 2 people");
  CHECK(chat.in_acme(kErin, "/engagement csm @Erin", {kErin}) ==
        "Erin is support staff; the customer success manager is on the customer's side");
  CHECK(chat.in_acme(kErin, "/engagement csm @x", {Actor{"generic:x y", "X", Role::partner}}) ==
        "the platform's id for X has a blank; it cannot be recorded");
  // A platform that gives no name for a mention: the name as typed is shown, the id recorded.
  CHECK(chat.in_acme(kErin, "/engagement csm @Wei Zhang", {Actor{"generic:wei", "", Role::partner}}) ==
        "Wei Zhang is the customer success manager: confirms or objects to deliverables");
  CHECK(chat.in_acme(kErin, "/engagement csm @Wei", {kWei}) == "Wei Zhang is the customer success manager already");
  CHECK(chat.store.tenant_log("acme", "engagement", {}).size() == 2);  // the start and one naming
}

TEST_CASE("engagement: a success manager recorded by name only must be named again before accepting") {
  Chat chat;
  chat.started();
  // The row an earlier version wrote: a name, no identity.
  const auto written = testing::wait_for([&](WriteDone done) {
    chat.store.write_ledger(
        0, "acme", WriteContext{kPat.id, kPat.name, "hooks:acme", at("2026-01-06")},
        [](Ticket*, Ledger&) -> LedgerDecision {
          LedgerChange change;
          change.tenant_rows.push_back(
              {.tenant_id = "acme", .action = std::string(kEngagementAction), .detail = "csm Wei Zhang"});
          return change;
        },
        std::move(done));
  });
  REQUIRE(written.kind == WriteOutcome::Kind::applied);
  chat.clock.set(at("2026-02-09"));
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.2 Research report") ==
        "1.2 \"Research report\" submitted: Wei Zhang (to be named again by staff: /engagement csm @name) may "
        "confirm or object for 5 working days, until 2026-02-17; without an objection it is confirmed");
  const std::string again =
      "the customer success manager Wei Zhang was named by name only, which proves nobody; staff name them again: "
      "/engagement csm @name";
  CHECK(chat.in_acme(kWei, "/deliverable confirm 1.2") == again);
  CHECK(chat.in_acme(kPat, "/deliverable object 1.2 no") == again);
  // Only staff may name them now: the name-only manager has no identity to hand over with.
  CHECK(chat.in_acme(kWei, "/engagement csm @Wei", {kWei}) == "only support staff name the customer success manager");
  CHECK(chat.in_acme(kErin, "/engagement csm @Wei", {kWei}).starts_with("Wei Zhang is the customer success manager"));
  CHECK(chat.in_acme(kWei, "/deliverable confirm 1.2") == "1.2 \"Research report\" confirmed by Wei Zhang");
}

TEST_CASE("engagement: staff cancel it with a reason; a new one may start") {
  Chat chat;
  chat.started();
  CHECK(chat.in_acme(kPat, "/engagement cancel changed our mind") ==
        "only support staff may do that; the customer confirms or objects to deliverables");
  CHECK(chat.in_acme(kErin, "/engagement cancel") == "missing reason; " + kEngagementUsage);
  chat.clock.set(at("2026-02-09"));
  chat.in_acme(kErin, "/deliverable submit 1.2 Research report");
  chat.clock.set(at("2026-02-10"));
  CHECK(chat.in_acme(kErin, "/engagement cancel the customer withdrew") ==
        "Engagement (standard, from 2026-01-31) cancelled: the customer withdrew; its reminders stop, and a new one "
        "may start (/engagement start)");
  CHECK(chat.store.tenant_log("acme", "engagement", {}).back().detail == "cancel the customer withdrew");
  // No longer current: nothing acts on it, and it is shown cancelled.
  CHECK(chat.in_acme(kErin, "/engagement cancel again") == std::string(kNoEngagementText));
  CHECK(chat.in_acme(kPat, "/deliverable confirm 1.2") == std::string(kNoEngagementText));
  CHECK(chat.in_acme(kErin, "/milestone done 1.1") == std::string(kNoEngagementText));
  CHECK(chat.in_acme(kPat, "/engagement")
            .starts_with("Engagement (standard, digital marketing): 2026-01-31 to 2026-07-31; cancelled by Erin "
                         "2026-02-10 10:00 UTC: the customer withdrew\n"));
  const std::string report = chat.in_acme(kPat, "/report engagement");
  CHECK(
      report.starts_with("# Engagement: Acme Reseller, standard edition (digital marketing), 2026-01-31 to "
                         "2026-07-31, cancelled\n"));
  CHECK(report.find(", cancelled by Erin 2026-02-10 10:00 UTC: the customer withdrew. Times in") != std::string::npos);
  // Weeks later its submission is still undecided: the five-day rule stopped with it, and nothing
  // reads as awaiting or overdue.
  chat.clock.set(at("2026-03-02"));
  const std::string later = chat.in_acme(kPat, "/engagement");
  INFO(later);
  CHECK(later.find("\"Research report\" undecided (engagement cancelled)") != std::string::npos);
  CHECK(later.find("1.1 (") != std::string::npos);
  CHECK(later.find("not done (engagement cancelled)") != std::string::npos);
  CHECK(later.find("awaiting") == std::string::npos);
  CHECK(later.find("overdue") == std::string::npos);
  const std::string later_report = chat.in_acme(kPat, "/report engagement");
  CHECK(later_report.find("| undecided (engagement cancelled) |") != std::string::npos);
  CHECK(later_report.find("awaiting") == std::string::npos);
  CHECK(chat.in_acme(kErin, "/engagement start premium three scenarios at:2026-04-01")
            .starts_with("Engagement started: premium, three scenarios, 2026-04-01"));
  CHECK(chat.in_acme(kPat, "/engagement")
            .starts_with("Engagement (premium, three scenarios): 2026-04-01 to 2027-01-01; "
                         "accepts deliverables: the customer"));
}

TEST_CASE("engagement: supplement units of 50 person-days, used and left") {
  Chat chat;
  chat.started();
  CHECK(chat.in_acme(kPat, "/engagement units add 2") ==
        "only support staff may do that; the customer confirms or objects to deliverables");
  CHECK(chat.in_acme(kErin, "/engagement units use 3 workshop") ==
        "only 0 person-days left (0 person-days bought (0 units of 50), 0 used, 0 left); add a unit first: "
        "/engagement units add 1");
  CHECK(chat.in_acme(kErin, "/engagement units add 2") ==
        "Added 100 person-days: 100 person-days bought (2 units of 50), 0 used, 100 left");
  CHECK(chat.in_acme(kErin, "/engagement units use 12 workshop prep") ==
        "Used 12 person-days: 100 person-days bought (2 units of 50), 12 used, 88 left");
}

TEST_CASE("engagement: another tenant's group sees nothing of it") {
  Chat chat;
  chat.started();
  CHECK(chat.in_globex(kGina, "/engagement") ==
        "no engagement runs here; staff start one with /engagement start standard|premium <scenario>");
  CHECK(chat.in_globex(kGina, "/report engagement") == "no engagement for Globex");
  CHECK(chat.in_globex(kGina, "/report engagement acme") ==
        "unknown filter acme; usage: /report [YYYY-MM] [tenant|all]");
  CHECK(chat.in_globex(kGina, "/deliverable confirm 1.2") ==
        "no engagement runs here; staff start one with /engagement start standard|premium <scenario>");
  // The support side names the tenant.
  CHECK(
      chat.in_support(kErin, "/report engagement acme")
          .starts_with("# Engagement: Acme Reseller, standard edition (digital marketing), 2026-01-31 to 2026-07-31"));
  CHECK(chat.in_support(kErin, "/engagement") ==
        "engagements are run in the customer's own group; " + kEngagementUsage);
}

TEST_CASE("engagement: malformed commands get what was wrong and the usage line") {
  Chat chat;
  CHECK(chat.in_acme(kErin, "/engagement begin") == "unknown engagement action begin; " + kEngagementUsage);
  CHECK(chat.in_acme(kErin, "/engagement start gold x") ==
        "edition is standard or premium, not gold; " + kEngagementUsage);
  CHECK(chat.in_acme(kErin, "/engagement start standard") == "missing scenario; " + kEngagementUsage);
  CHECK(chat.in_acme(kErin, "/engagement start standard x at:2026-02-30") ==
        "write the start date as at:2026-03-02; " + kEngagementUsage);
  CHECK(chat.in_acme(kErin, "/engagement units add -1") == "a number like 2, not -1; " + kEngagementUsage);
  CHECK(chat.in_acme(kErin, "/engagement units add 2 extra") == "too many arguments; " + kEngagementUsage);
  CHECK(chat.in_acme(kErin, "/engagement csm") == "missing person; " + kEngagementUsage);
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.9 x") == "milestone is 1.1 to 1.6, not 1.9; " + kDeliverableUsage);
  CHECK(chat.in_acme(kErin, "/deliverable submit 1.2") == "missing title; " + kDeliverableUsage);
  CHECK(chat.in_acme(kErin, "/deliverable accept 1.2") ==
        "say submit, confirm or object, not accept; " + kDeliverableUsage);
  CHECK(chat.in_acme(kErin, "/milestone finish 1.1") ==
        "say done, not finish; usage: /milestone done <1.1-1.6> [note]");
  CHECK(chat.store.tenant_log("acme", "", {}).empty());
}
