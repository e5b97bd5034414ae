// Local time end to end: each group reads every time in its own zone, with its offset (a
// tenant's group its tenant's zone, a support channel its own), in replies, /show, /sla,
// /outbox and the SLA notices; Berlin's daylight saving change in the middle of a ticket.
#include <catch2/catch.hpp>

#include <future>

#include "bot/dispatcher.hpp"
#include "bot/sla/sla_scheduler.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

Zone zone(const std::string& name) {
  std::string error;
  return Zone::find(name, error).value();
}

// Acme's group is in Shanghai, Hooli's in Berlin; one support channel in Berlin, one in UTC.
Config zoned_config(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::premium, "tom", zone("Asia/Shanghai")},
               {"hooli", "Hooli", Package::premium, "tom", zone("Europe/Berlin")}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}, true, zone("Asia/Kolkata")},
             {"tom", "Tom", Role::tam, {{"generic", "u-tom"}}}};
  c.connections = {{"hooks", "generic", {{"secret", "s"}}, "http://127.0.0.1:9/out"}};
  c.channels = {{"hooks", "acme-7x24", "acme"},
                {"hooks", "hooli-7x24", "hooli"},
                {"hooks", "support-berlin", "", "", zone("Europe/Berlin")},
                {"hooks", "support-utc", ""}};
  return c;
}

struct Fixture {
  explicit Fixture(Timestamp start) : clock(start) {}

  testing::TempDir dir;
  Config config = zoned_config(dir.file("zones.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock;
  LiveConfig live_config{config};
  Dispatcher dispatcher{live_config, store, clock};
  SlaScheduler scheduler{live_config, store, clock};

  std::string say(const std::string& user, const std::string& chat, const std::string& text) {
    std::promise<BotReply> promise;
    dispatcher.handle(InboundMessage{"hooks", "generic", "", chat, user, user, text},
                      [&](BotReply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get().text;
  }
  void fire_at(Timestamp t) {
    clock.set(t);
    scheduler.fire_due(t);
    scheduler.wait_idle();
  }
  // The text the last notice sent to `chat` carries.
  std::string last_to(const std::string& chat) {
    std::string text;
    for (const auto& row : store.list_outbox(OutboxQuery::all, 100)) {
      if (row.item.message.chat_id == chat) text = row.item.message.text;
    }
    return text;
  }
};

}  // namespace

TEST_CASE("a partner group in Shanghai reads its ticket's deadline in +08:00; the support side in its own zone") {
  Fixture f(sys_days{2026y / November / 22} + 6h + 45min);  // 14:45 in Shanghai, 07:45 in Berlin
  CHECK(f.say("u-pat", "acme-7x24", "/open critical DB down") ==
        "#1 opened: Critical \"DB down\"; response due 2026-11-22 15:00 +08:00 (in 15m)");
  f.clock.advance(2min);
  const std::string partner = f.say("u-pat", "acme-7x24", "/show 1");
  CHECK_THAT(partner,
             Catch::Contains("Opened 2026-11-22 14:45 +08:00 by u-pat; response due 2026-11-22 15:00 +08:00 (in 13m)"));
  CHECK_THAT(partner, Catch::Contains("\n  2026-11-22 14:45 +08:00 u-pat opened"));
  CHECK_THAT(f.say("u-pat", "acme-7x24", "/sla"), Catch::Contains("due 2026-11-22 15:00 +08:00 (in 13m)"));

  // The same ticket, the same instants, as each support channel reads it.
  const std::string berlin = f.say("u-erin", "support-berlin", "/show 1");
  CHECK_THAT(berlin,
             Catch::Contains("Opened 2026-11-22 07:45 +01:00 by u-pat; response due 2026-11-22 08:00 +01:00 (in 13m)"));
  CHECK_THAT(berlin, Catch::Contains("\n  2026-11-22 07:45 +01:00 u-pat opened"));
  CHECK_THAT(f.say("u-erin", "support-berlin", "/sla"), Catch::Contains("due 2026-11-22 08:00 +01:00 (in 13m)"));
  CHECK_THAT(f.say("u-erin", "support-utc", "/show 1"), Catch::Contains("Opened 2026-11-22 06:45 UTC by u-pat"));

  // A reply from the support side is in its zone too; the group's /show keeps the group's.
  CHECK(f.say("u-erin", "support-berlin", "/sev 1 2") ==
        "#1 severity Critical -> Urgent; response due 2026-11-22 08:25 +01:00 (in 38m)");
  CHECK(f.say("u-erin", "acme-7x24", "/ack 1").starts_with("#1 acknowledged by Erin"));
  const std::string acked = f.say("u-pat", "acme-7x24", "/show 1");
  CHECK_THAT(acked, Catch::Contains("; acknowledged 2026-11-22 14:47 +08:00 by Erin after 2m"));
  CHECK_THAT(acked, Catch::Contains("\n  2026-11-22 14:47 +08:00 Erin acknowledged"));
  CHECK_THAT(acked, !Catch::Contains("UTC"));
}

TEST_CASE("SLA notices: each destination reads its own zone, across Berlin's daylight saving change") {
  // 2026-10-25 00:45 UTC is 02:45 summer time in Berlin; at 01:00 UTC the clocks go back to 02:00.
  const Timestamp opened = sys_days{2026y / October / 25} + 45min;
  Fixture f(opened);
  f.say("u-hal", "hooli-7x24", "/open critical Payroll down");
  f.say("u-pat", "acme-7x24", "/open critical DB down");
  REQUIRE(f.scheduler.load() == 2);

  f.fire_at(opened + 7min + 30s);  // the 50% warning, to each tenant's group only
  CHECK_THAT(f.last_to("hooli-7x24"), Catch::Contains("no response yet, 7m 30s left (due 2026-10-25 02:00 +01:00)"));
  CHECK_THAT(f.last_to("acme-7x24"), Catch::Contains("no response yet, 7m 30s left (due 2026-10-25 09:00 +08:00)"));

  f.fire_at(opened + 15min);  // the breach, to the groups and both support channels
  for (const std::string chat : {"hooli-7x24", "acme-7x24", "support-berlin", "support-utc"}) {
    const std::string breach = f.last_to(chat);
    CHECK_THAT(breach, Catch::Contains("response SLA of 15m breached; escalated to TAM: Tom"));
  }

  f.fire_at(opened + 30min);  // the first reminder

  // Hooli's timeline in Berlin's time: summer time until the breach, winter time from it; the
  // stored stages carry no clock time of their own.
  const std::string timeline = f.say("u-hal", "hooli-7x24", "/show 1");
  CHECK_THAT(timeline, Catch::Contains("\n  2026-10-25 02:45 +02:00 u-hal opened"));
  CHECK_THAT(timeline, Catch::Contains("\n  2026-10-25 02:52 +02:00 slabot SLA warning, 50% of the response time gone: "
                                       "7m 30s left"));
  CHECK_THAT(timeline, Catch::Contains("\n  2026-10-25 02:00 +01:00 slabot response SLA breached: escalated to TAM"));
  CHECK_THAT(timeline, Catch::Contains("\n  2026-10-25 02:15 +01:00 slabot reminder 1, still no response: overdue by "
                                       "15m; escalated to service manager"));
  CHECK_THAT(timeline, !Catch::Contains("UTC"));
  CHECK_THAT(f.say("u-pat", "acme-7x24", "/show 2"),
             Catch::Contains("\n  2026-10-25 09:00 +08:00 slabot response SLA breached"));

  // The support side's /outbox lists the waiting notices with its own zone's times.
  const std::string outbox = f.say("u-erin", "support-berlin", "/outbox");
  CHECK_THAT(outbox, Catch::Contains("; queued 2026-10-25 02:00 +01:00;"));
  CHECK_THAT(outbox, Catch::Contains("; queued 2026-10-25 02:52 +02:00;"));
  CHECK_THAT(f.say("u-erin", "support-utc", "/outbox"), Catch::Contains("; queued 2026-10-25 01:00 UTC;"));
}
