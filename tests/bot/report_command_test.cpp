// `/report` in chat: a partner's group gets its own tenant's month and nothing of anyone else's;
// the support side names a tenant or all; a wrong month or filter gets the one-line usage.
#include <catch2/catch.hpp>

#include <future>

#include "bot/dispatcher.hpp"
#include "report/report_reader.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

Config two_tenants(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::premium, "tom", Zone{}}, {"globex", "Globex", Package::elite, "tom", Zone{}}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}, true},
             {"tom", "Tom", Role::tam, {{"generic", "u-tom"}}}};
  c.connections = {{"hooks", "generic", {{"secret", "s"}}, "http://127.0.0.1:9/out"}};
  c.channels = {{"hooks", "acme-7x24", "acme"}, {"hooks", "globex-7x24", "globex"}, {"hooks", "support", ""}};
  return c;
}

struct Fixture {
  testing::TempDir dir;
  Config config = two_tenants(dir.file("r.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{sys_days{2026y / November / 10} + 9h};
  LiveConfig live_config{config};
  Dispatcher dispatcher{live_config, store, clock, hooks()};

  CommandHooks hooks() {
    CommandHooks h;
    h.report = [this](const Tenant& tenant, const Period& period) {
      ReportReader reader(config.database_path);
      return reader.report(tenant, config.sla, period);
    };
    return h;
  }

  std::string say(const std::string& user, const std::string& chat, const std::string& text) {
    std::promise<BotReply> promise;
    dispatcher.handle(InboundMessage{"hooks", "generic", "", chat, user, user, text},
                      [&](BotReply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get().text;
  }

  // Acme: #1 Critical acknowledged after 10m. Globex: #2 Critical "globex secret", never answered.
  void november() {
    say("u-pat", "acme-7x24", "/open critical DB down");
    say("u-gus", "globex-7x24", "/open critical globex secret");
    clock.advance(10min);
    say("u-erin", "acme-7x24", "/ack 1");
    clock.set(sys_days{2026y / December / 3} + 10h);
  }
};

}  // namespace

TEST_CASE("/report in a partner's group: its own tenant's month, never another's numbers") {
  Fixture f;
  f.november();
  const std::string report = f.say("u-pat", "acme-7x24", "/report 2026-11");
  INFO(report);
  CHECK(report.starts_with("**Service report: Acme (Premium), 2026-11**\n"));
  CHECK(report.find("Opened: 1 ticket; response SLA 100% met (1 of 1 response)") != std::string::npos);
  CHECK(report.find("Globex") == std::string::npos);
  CHECK(report.find("globex") == std::string::npos);
  CHECK(report.find("#2") == std::string::npos);
  CHECK(report.find("**Open at the period's end: 1**") != std::string::npos);  // #1, acknowledged
  // Naming another tenant is answered as any unknown filter: nothing said of who else is served.
  CHECK(f.say("u-pat", "acme-7x24", "/report 2026-11 globex") ==
        "unknown filter globex; usage: /report [YYYY-MM] [tenant|all]");
  CHECK(f.say("u-pat", "acme-7x24", "/report all") == "unknown filter all; usage: /report [YYYY-MM] [tenant|all]");
  // This month unless told: December, nothing opened yet.
  const std::string december = f.say("u-pat", "acme-7x24", "/report");
  CHECK(
      december.starts_with("**Service report: Acme (Premium), 2026-12**\n"
                           "Times in UTC; the month so far, from 2026-12-01 00:00 UTC to 2026-12-03 10:00 UTC.\n"));
}

TEST_CASE("/report: a wrong month gets the usage line; a month to come is said so") {
  Fixture f;
  f.november();
  CHECK(f.say("u-pat", "acme-7x24", "/report 2026-13") ==
        "a month is written like 2026-11, not 2026-13; usage: /report [YYYY-MM] [tenant|all]");
  CHECK(f.say("u-pat", "acme-7x24", "/report 11-2026") ==
        "a month is written like 2026-11, not 11-2026; usage: /report [YYYY-MM] [tenant|all]");
  CHECK(f.say("u-pat", "acme-7x24", "/report 2026-11 2026-10") ==
        "report takes one month; usage: /report [YYYY-MM] [tenant|all]");
  CHECK(f.say("u-pat", "acme-7x24", "/report 2027-01") == "2027-01 has not begun");
}

TEST_CASE("/report on the support side: a tenant named, or all of them a line each") {
  Fixture f;
  f.november();
  const std::string globex = f.say("u-erin", "support", "/report 2026-11 globex");
  CHECK(globex.starts_with("**Service report: Globex (Elite), 2026-11**\n"));
  CHECK(globex.find("- #2 Critical, due 2026-11-10 09:15 UTC: no response by the period's end") != std::string::npos);
  CHECK(f.say("u-erin", "support", "/report 2026-11 ACME").starts_with("**Service report: Acme (Premium)"));
  CHECK(f.say("u-erin", "support", "/report 2026-11 all") ==
        "Service reports, 2026-11:\n"
        "Acme (Premium): 1 ticket opened, response SLA 100% met (1 of 1), 0 breaches, 1 open at the end\n"
        "Globex (Elite): 1 ticket opened, response SLA 0% met (0 of 1), 1 breach, 1 open at the end");
  CHECK(f.say("u-erin", "support", "/report 2026-11") ==
        "name a tenant, or all; usage: /report [YYYY-MM] [tenant|all]");
  CHECK(f.say("u-erin", "support", "/report 2026-11 initech") ==
        "no tenant initech; tenants: acme, globex; usage: /report [YYYY-MM] [tenant|all]");
  // A partner typing in the support channel is refused as for any command.
  CHECK(f.say("u-pat", "support", "/report 2026-11 acme") == "this channel is for support staff only");
}

TEST_CASE("/report where no report can be read answers so in one line") {
  testing::TempDir dir;
  Config config = two_tenants(dir.file("r.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{sys_days{2026y / November / 10} + 9h};
  LiveConfig live_config{config};
  CommandHooks broken;
  broken.report = [](const Tenant&, const Period&) -> Report { throw std::runtime_error("disk"); };
  Dispatcher with_broken{live_config, store, clock, broken};
  Dispatcher without{live_config, store, clock};
  const auto say = [](Dispatcher& d, const std::string& text) {
    std::promise<BotReply> promise;
    d.handle(InboundMessage{"hooks", "generic", "", "acme-7x24", "u-pat", "Pat", text},
             [&](BotReply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get().text;
  };
  CHECK(say(with_broken, "/report") == "could not read the report now; please try again");
  CHECK(say(without, "/report") == "reports are not kept here");
}
