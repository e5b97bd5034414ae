// What a package promises, as the commands give it: /entitlements, /ctg, /done, /package, /rate,
// and the closure summary /close ends with.
#include <catch2/catch.hpp>

#include <future>

#include "commands/command_service.hpp"
#include "commands/parser.hpp"
#include "domain/contract_year.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/command_chat.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using testing::FakeStaff;
using testing::TempDir;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);  // 2026-11-22 06:45:00 UTC

const Actor kPat{"generic:pat", "Pat", Role::partner};
const Actor kGina{"generic:gina", "Gina", Role::partner};
const Actor kErin{"erin", "Erin", Role::engineer};
const Actor kAda{"ada", "Ada", Role::admin};

Tenant acme() {
  Tenant t{"acme", "Acme Reseller", Package::premium};
  t.contract_start = parse_date("2026-03-01");
  return t;
}
const Tenant kGlobex{"globex", "Globex", Package::selected};

Timestamp at(const std::string& date) { return start_of(*parse_date(date), Zone{}); }

struct Chat : testing::CommandChat {
  Chat() : CommandChat(kT0, {kErin, kAda}, acme(), kGlobex) {}
  std::string in_acme(const Actor& who, const std::string& text) { return in_a(who, text); }
  std::string in_globex(const Actor& who, const std::string& text) { return in_b(who, text); }
  std::vector<TenantActivity> log(const std::string& action) { return store.tenant_log("acme", action, {}); }
};

const std::string kCtgApplied = "; its warnings and breaches go to the TAM and the service manager at once";

}  // namespace

TEST_CASE("entitlements: a group reads its package, contract year, quotas, next health check and discounts") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/entitlements") ==
        "Acme Reseller: Premium package, contract year 2026-03-01 to 2027-02-28\n"
        "Critical Time Guarantee (1 a year): 0 of 1 used, 1 left\n"
        "health checks (1 a quarter): this quarter's (2026-09-01 to 2026-11-30) not done yet; due by 2026-11-30\n"
        "cloud migration consulting (1 a year): 0 of 1 used, 1 left\n"
        "landing zone design (1 a year): 0 of 1 used, 1 left\n"
        "discounts on paid services: application migration 10% off, landing zone detailed design 10% off, "
        "security management 10% off");
  // No contract start: the calendar year. Selected includes neither CTG nor consulting.
  CHECK(chat.in_globex(kGina, "/entitlements") ==
        "Globex: Selected package, contract year 2026-01-01 to 2026-12-31\n"
        "Critical Time Guarantee: not included\n"
        "health checks (1 a year): this year's (2026-01-01 to 2026-12-31) not done yet; due by 2026-12-31\n"
        "cloud migration consulting: not included\n"
        "landing zone design: not included\n"
        "discounts on paid services: none");
}

TEST_CASE("entitlements: a partner never reads another tenant's; the support side names one") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/entitlements globex") == "unknown filter globex; usage: /entitlements [tenant]");
  CHECK(chat.in_acme(kErin, "/entitlements globex") == "unknown filter globex; usage: /entitlements [tenant]");
  CHECK(chat.in_globex(kGina, "/entitlements").starts_with("Globex: Selected package"));
  CHECK(chat.in_support(kErin, "/entitlements") ==
        "name the tenant in the support side's channel; usage: /entitlements [tenant]");
  CHECK(chat.in_support(kErin, "/entitlements Acme Reseller") ==
        "entitlements takes one tenant; usage: /entitlements [tenant]");
  CHECK(chat.in_support(kErin, "/entitlements nobody") ==
        "no tenant nobody; tenants: acme, globex; usage: /entitlements [tenant]");
  CHECK(chat.in_support(kErin, "/entitlements ACME").starts_with("Acme Reseller: Premium package"));
}

TEST_CASE("ctg: the quota per contract year, what was used and when, and the staff's exception") {
  Chat chat;
  chat.in_acme(kPat, "/open 1 DB down");
  chat.in_acme(kPat, "/open 2 API errors");
  CHECK(chat.in_acme(kPat, "/ctg 1 board meeting") ==
        "#1 is under the Critical Time Guarantee (1 of 1 this contract year)" + kCtgApplied);
  CHECK(chat.store.find_ticket(1, "")->ctg);
  const auto rows = chat.store.timeline(1, 10);
  CHECK(rows.back().action == "ctg");
  CHECK(rows.back().detail == "board meeting");
  CHECK(chat.in_acme(kPat, "/ctg 1") == "#1 is already under the Critical Time Guarantee");
  // Its timeline says so in words, and so does the ticket's summary line.
  const std::string shown = chat.in_acme(kPat, "/show 1");
  CHECK(shown.find("; under the Critical Time Guarantee\n") != std::string::npos);
  CHECK(shown.ends_with("Pat put it under the Critical Time Guarantee: board meeting"));
  // Beyond the quota: said plainly, with what was used and when.
  CHECK(chat.in_acme(kPat, "/ctg 2") ==
        "no Critical Time Guarantee left this contract year (Premium: 1 a year; used: #1 on 2026-11-22); "
        "support staff can grant an exception");
  CHECK(chat.in_acme(kErin, "/ctg 2") ==
        "no Critical Time Guarantee left this contract year (Premium: 1 a year; used: #1 on 2026-11-22); "
        "to grant one anyway: /ctg 2 exception <reason>");
  CHECK_FALSE(chat.store.find_ticket(2, "")->ctg);
  CHECK(chat.in_acme(kPat, "/ctg 2 exception please") ==
        "only support staff may grant a Critical Time Guarantee beyond the quota");
  CHECK(chat.in_acme(kErin, "/ctg 2 exception") ==
        "an exception needs a reason; usage: /ctg <id> [reason | exception <reason>]");
  CHECK(chat.log("ctg_exception").empty());
  CHECK(chat.in_support(kErin, "/ctg 2 exception bank outage") ==
        "#2 is under the Critical Time Guarantee (an exception beyond the 1 a year)" + kCtgApplied);
  const auto exceptions = chat.log("ctg_exception");
  REQUIRE(exceptions.size() == 1);
  CHECK(exceptions[0].detail == "#2: bank outage");
  CHECK(exceptions[0].actor_name == "Erin");
  CHECK(chat.store.timeline(2, 10).back().detail == "exception: bank outage");
  CHECK(chat.in_acme(kPat, "/entitlements")
            .find("Critical Time Guarantee (1 a year): 2 of 1 used, none left "
                  "(#1 on 2026-11-22, #2 on 2026-11-22)") != std::string::npos);
}

TEST_CASE("ctg: another tenant's ticket, a finished one, a bad id") {
  Chat chat;
  chat.in_acme(kPat, "/open 1 DB down");
  CHECK(chat.in_globex(kGina, "/ctg 1") == "no ticket #1 here");
  CHECK(chat.in_acme(kPat, "/ctg x") ==
        "ticket id must be a number like #12; usage: /ctg <id> [reason | exception <reason>]");
  CHECK(chat.in_acme(kPat, "/ctg") == "missing ticket id; usage: /ctg <id> [reason | exception <reason>]");
  chat.in_acme(kErin, "/resolve 1");
  CHECK(chat.in_acme(kPat, "/ctg 1") == "#1 is resolved; reopen it first");
  chat.in_globex(kGina, "/open 1 Globex down");
  CHECK(chat.in_globex(kGina, "/ctg 2") ==
        "the Selected package includes no Critical Time Guarantee; support staff can grant an exception");
}

TEST_CASE("ctg: a new contract year brings a new quota; the old year's uses stay in the old year") {
  Chat chat;
  chat.in_acme(kPat, "/open 1 DB down");
  chat.in_acme(kPat, "/open 1 DB down again");
  chat.in_acme(kPat, "/open 1 DB down for good");
  chat.in_acme(kPat, "/ctg 1");
  chat.clock.set(at("2027-02-28") + 23h + 59min);  // the contract year's last minute
  CHECK(chat.in_acme(kPat, "/ctg 2").starts_with("no Critical Time Guarantee left this contract year"));
  chat.clock.set(at("2027-03-01"));
  CHECK(chat.in_acme(kPat, "/ctg 2") ==
        "#2 is under the Critical Time Guarantee (1 of 1 this contract year)" + kCtgApplied);
  CHECK(chat.in_acme(kPat, "/entitlements")
            .starts_with("Acme Reseller: Premium package, contract year 2027-03-01 to 2028-02-29\n"
                         "Critical Time Guarantee (1 a year): 1 of 1 used, none left (#2 on 2027-03-01)"));
}

TEST_CASE("package: admins change it, logged; the quotas follow and the contract year stays") {
  Chat chat;
  chat.in_acme(kPat, "/open 1 DB down");
  chat.in_acme(kPat, "/open 1 DB down again");
  chat.in_acme(kPat, "/ctg 1");
  CHECK(chat.in_support(kErin, "/package acme elite") == "only admins may change a tenant's package");
  CHECK(chat.in_support(kAda, "/package acme gold") ==
        "unknown package gold; usage: /package <tenant> <selected|premium|elite|flagship>");
  CHECK(chat.in_support(kAda, "/package acme") ==
        "missing package; usage: /package <tenant> <selected|premium|elite|flagship>");
  CHECK(chat.in_support(kAda, "/package nobody elite") ==
        "no tenant nobody; usage: /package <tenant> <selected|premium|elite|flagship>");
  CHECK(chat.in_support(kAda, "/package acme premium") == "Acme Reseller is already on Premium");
  CHECK(chat.in_support(kAda, "/package Acme ELITE") ==
        "Acme Reseller: Premium -> Elite, for tickets opened from now on; the contract year stays 2026-03-01 to "
        "2027-02-28");
  const auto changes = chat.log("package");
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].detail == "Premium -> Elite");
  CHECK(changes[0].actor_name == "Ada");
  // Elite has two a year: the one used counts, one is left.
  CHECK(chat.in_acme(kPat, "/ctg 2") ==
        "#2 is under the Critical Time Guarantee (2 of 2 this contract year)" + kCtgApplied);
  const std::string text = chat.in_acme(kPat, "/entitlements");
  CHECK(
      text.starts_with("Acme Reseller: Elite package, contract year 2026-03-01 to 2027-02-28\n"
                       "Critical Time Guarantee (2 a year): 2 of 2 used, none left"));
  CHECK(text.find("health checks (1 a month): this month's (2026-11-01 to 2026-11-30)") != std::string::npos);
  CHECK(text.ends_with(
      "application migration 20% off, landing zone detailed design 20% off, security management 20% off"));
  CHECK(chat.in_support(kAda, "/package acme selected").starts_with("Acme Reseller: Elite -> Selected"));
  CHECK(chat.in_acme(kPat, "/entitlements").starts_with("Acme Reseller: Selected package"));
}

TEST_CASE("done: staff record services; a quota used up is answered plainly; the period turns") {
  Chat chat;
  CHECK(chat.in_acme(kPat, "/done healthcheck") == "only support staff may record a service as done");
  CHECK(chat.in_acme(kErin, "/done coffee") ==
        "unknown service coffee; usage: /done <healthcheck|migration|landing> [tenant] [note]");
  CHECK(chat.in_acme(kErin, "/done") ==
        "missing service; usage: /done <healthcheck|migration|landing> [tenant] [note]");
  CHECK(chat.in_acme(kErin, "/done healthcheck all green") ==
        "health check recorded as done for Acme Reseller (1 of 1 a quarter, 2026-09-01 to 2026-11-30)");
  const auto done = chat.log("service_done");
  REQUIRE(done.size() == 1);
  CHECK(done[0].detail == "healthcheck: all green");
  CHECK(
      chat.in_acme(kErin, "/done healthcheck") ==
      "Acme Reseller's health check quota is used up (1 a quarter, 2026-09-01 to 2026-11-30): done 2026-11-22 by Erin");
  CHECK(chat.in_acme(kPat, "/entitlements")
            .find("this quarter's (2026-09-01 to 2026-11-30) done 2026-11-22; next due by 2027-02-28") !=
        std::string::npos);
  // The support side names the tenant first.
  CHECK(chat.in_support(kErin, "/done landing") ==
        "name the tenant in the support side's channel; usage: /done <healthcheck|migration|landing> [tenant] [note]");
  CHECK(chat.in_support(kErin, "/done landing acme hub and spoke") ==
        "landing zone design recorded as done for Acme Reseller (1 of 1 a year, 2026-03-01 to 2027-02-28)");
  CHECK(chat.log("service_done").back().detail == "landing: hub and spoke");
  CHECK(chat.in_support(kErin, "/done migration globex") ==
        "the Selected package includes no cloud migration consulting");
  CHECK(chat.in_support(kErin, "/done migration nobody") ==
        "no tenant nobody; tenants: acme, globex; usage: /done <healthcheck|migration|landing> [tenant] [note]");
  chat.clock.set(at("2026-12-01"));
  CHECK(chat.in_acme(kErin, "/done healthcheck") ==
        "health check recorded as done for Acme Reseller (1 of 1 a quarter, 2026-12-01 to 2027-02-28)");
  CHECK(
      chat.in_acme(kPat, "/entitlements").find("landing zone design (1 a year): 1 of 1 used, none left (2026-11-22)") !=
      std::string::npos);
}

TEST_CASE("rate: the partner rates after resolution, 1 to 5, and may change it for a week") {
  Chat chat;
  chat.in_acme(kPat, "/open 2 API errors");
  CHECK(chat.in_acme(kPat, "/rate 1 5") == "#1 is not resolved yet; rate it once it is");
  chat.in_acme(kErin, "/resolve 1 fixed");
  CHECK(chat.in_acme(kPat, "/rate 1 6") == "a rating is a whole number from 1 to 5; usage: /rate <id> <1-5> [comment]");
  CHECK(chat.in_acme(kPat, "/rate 1 0") == "a rating is a whole number from 1 to 5; usage: /rate <id> <1-5> [comment]");
  CHECK(chat.in_acme(kPat, "/rate 1") == "missing rating; usage: /rate <id> <1-5> [comment]");
  CHECK(chat.in_acme(kErin, "/rate 1 5") == "only the partner rates a ticket's service");
  CHECK(chat.in_globex(kGina, "/rate 1 1") == "no ticket #1 here");
  CHECK(chat.in_acme(kPat, "/rate 1 4 quick fix") == "#1 rated 4/5, thank you");
  CHECK(chat.store.timeline(1, 10).back().detail == "4/5: quick fix");
  CHECK(chat.store.timeline(1, 10).back().action == "rated");
  chat.clock.advance(std::chrono::days(6));
  chat.in_acme(kErin, "/close 1");
  CHECK(chat.in_acme(kPat, "/rate 1 5") == "#1 rating changed from 4/5 to 5/5");
  CHECK(chat.store.timeline(1, 10).back().detail == "5/5");
  CHECK(chat.store.find_ticket(1, "")->rating == 5);
  CHECK(chat.in_acme(kPat, "/show 1").find("; rated 5/5") != std::string::npos);
  chat.clock.advance(std::chrono::days(1) + 1min);
  CHECK(chat.in_acme(kPat, "/rate 1 3") == "#1 was rated 5/5; a rating can be changed for a week only");
  CHECK(chat.store.find_ticket(1, "")->rating == 5);
}

TEST_CASE("close: the reply ends with the closure summary") {
  Chat chat;
  chat.in_acme(kPat, "/open critical DB down");
  chat.clock.advance(5min);
  chat.in_acme(kErin, "/ack 1");
  chat.in_acme(kPat, "/note 1 it is the disk");
  chat.in_acme(kPat, "/escalate 1 still down");
  chat.in_acme(kPat, "/ctg 1");
  chat.clock.advance(1h);
  chat.in_acme(kErin, "/resolve 1");
  CHECK(chat.in_acme(kErin, "/close 1") ==
        "#1 closed\n"
        "closure summary: #1 Critical \"DB down\"\n"
        "opened 2026-11-22 06:45 UTC by Pat; acknowledged after 5m by Erin (15m limit, met); resolved 2026-11-22 07:50 "
        "UTC\n"
        "acted: Erin, Pat; 1 escalation; CTG: yes; 1 note");
  // Never acknowledged: missed, and unresolved. The support side reads whose it is; its own
  // escalation counts, its internal note does not (the group never read it).
  chat.in_acme(kPat, "/open 2 API errors");
  chat.in_support(kErin, "/note 2 probably the same as #1");
  chat.in_support(kErin, "/escalate 2");
  chat.clock.advance(1h);
  CHECK(chat.in_support(kErin, "/close 2 duplicate of #1") ==
        "#2 closed without a response, response SLA missed: duplicate of #1\n"
        "closure summary: #2 [Acme Reseller] Urgent \"API errors\"\n"
        "opened 2026-11-22 07:50 UTC by Pat; never acknowledged (40m limit, missed); closed unresolved\n"
        "acted: Erin; 1 escalation; CTG: no; 0 notes");
}

TEST_CASE("done: two at once for the last of a quota give one record and one plain refusal") {
  Chat chat;
  const auto command = std::get<Command>(parse_command("/done healthcheck", "slabot"));
  std::promise<Reply> first, second;
  chat.service.execute({kErin, acme(), "c", std::nullopt}, command, [&](Reply r) { first.set_value(r); });
  chat.service.execute({kErin, acme(), "c", std::nullopt}, command, [&](Reply r) { second.set_value(r); });
  const std::string a = first.get_future().get().text;
  const std::string b = second.get_future().get().text;
  CHECK((a.starts_with("health check recorded") != b.starts_with("health check recorded")));
  CHECK((a.find("quota is used up") != std::string::npos) != (b.find("quota is used up") != std::string::npos));
  CHECK(chat.log("service_done").size() == 1);
}
