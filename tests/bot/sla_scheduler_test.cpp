#include <catch2/catch.hpp>

#include "bot/sla/sla_scheduler.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

Config sla_config(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::premium, "tom"}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}, true},
             {"tom", "Tom", Role::tam, {{"generic", "u-tom"}}},
             {"tina", "Tina", Role::tam, {{"generic", "u-tina"}}},
             {"maria", "Maria", Role::manager, {{"generic", "u-maria"}}}};
  c.connections = {{"hooks", "generic", {{"secret", "s"}}, "http://127.0.0.1:9/out"}};
  c.channels = {{"hooks", "acme-7x24", "acme"}, {"hooks", "support", ""}};
  return c;
}

struct Fixture {
  testing::TempDir dir;
  Config config = sla_config(dir.file("sla.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{kT0};

  void open_critical() {
    Ticket t;
    t.tenant_id = "acme";
    t.title = "DB down";
    t.severity = 1;
    t.opened_by_id = "hooks:pat";
    t.opened_by_name = "Pat";
    t.opened_at = t.clock_started_at = t.updated_at = kT0;
    t.response_due_at = kT0 + 15min;
    testing::wait_for([&](WriteDone done) {
      store.open_ticket(t, {"p", "Pat", "c", kT0}, [](const Ticket&) { return std::string(); }, std::move(done));
    });
  }
  std::vector<OutboxRow> sent() { return store.list_outbox(OutboxQuery::all, 100); }
};

void fire_at(SlaScheduler& s, Fixture& f, Duration after) {
  f.clock.set(kT0 + after);
  s.fire_due(f.clock.now());
  s.wait_idle();
}

}  // namespace

TEST_CASE("sla: warnings, breach with a climb to the designated TAM, repeats up to the manager") {
  Fixture f;
  f.open_critical();
  SlaScheduler scheduler(f.config, f.store, f.clock);
  CHECK(scheduler.load() == 1);
  CHECK(scheduler.next_due() == kT0 + 7min + 30s);
  fire_at(scheduler, f, 7min);
  CHECK(f.sent().empty());
  fire_at(scheduler, f, 7min + 30s);
  auto rows = f.sent();
  REQUIRE(rows.size() == 1);  // the tenant's group only
  CHECK(rows[0].item.message.text.find("no response yet, 7m 30s left") != std::string::npos);
  CHECK(rows[0].item.message.mentions.at(0).user_id == "u-erin");  // the on-duty engineer
  fire_at(scheduler, f, 12min);
  fire_at(scheduler, f, 15min);
  rows = f.sent();
  REQUIRE(rows.size() == 4);  // warn50, warn80, breach to the group and to the support side
  CHECK(rows[2].item.message.text.find("breached; escalated to TAM: Tom") != std::string::npos);
  CHECK(rows[3].item.message.chat_id == "support");
  CHECK(rows[2].item.lane == Lane::urgent);
  CHECK(f.store.find_ticket(1, "")->escalation_level == kEscalationTam);
  fire_at(scheduler, f, 30min);
  CHECK(f.store.find_ticket(1, "")->escalation_level == kEscalationManager);
  fire_at(scheduler, f, 45min);
  CHECK(f.store.find_ticket(1, "")->escalation_level == kEscalationManager);
  CHECK(f.sent().back().item.message.text.find("overdue by 30m") != std::string::npos);
}

TEST_CASE("sla: stages that came due while down collapse into one breach, and fire once across restarts") {
  Fixture f;
  f.open_critical();
  {
    SlaScheduler scheduler(f.config, f.store, f.clock);
    scheduler.load();
    fire_at(scheduler, f, 16min);
  }
  auto rows = f.sent();
  REQUIRE(rows.size() == 2);  // one breach (group + support), no warnings
  CHECK(rows[0].item.message.text.find("breached") != std::string::npos);
  SlaScheduler restarted(f.config, f.store, f.clock);
  restarted.load();
  fire_at(restarted, f, 16min);
  CHECK(f.sent().size() == 2);  // nothing fires twice
}

TEST_CASE("sla: an acknowledged ticket's clock stops") {
  Fixture f;
  f.open_critical();
  SlaScheduler scheduler(f.config, f.store, f.clock);
  scheduler.load();
  testing::wait_for([&](WriteDone done) {
    f.store.update_ticket(1, "", {"erin", "Erin", "c", kT0 + 1min}, [](Ticket& t) -> Decision {
      t.state = TicketState::acknowledged;
      t.acked_at = kT0 + 1min;
      return Change{"acknowledged", "", ""};
    }, std::move(done));
  });
  fire_at(scheduler, f, 20min);
  CHECK(f.sent().empty());
}
