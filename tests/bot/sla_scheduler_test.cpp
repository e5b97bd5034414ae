#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "bot/sla/sla_scheduler.hpp"
#include "storage/forwarding_store.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/log_capture.hpp"
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

  void open_critical(const std::string& tenant = "acme", Duration limit = 15min) {
    Ticket t;
    t.tenant_id = tenant;
    t.title = "DB down";
    t.severity = 1;
    t.opened_by_id = "hooks:pat";
    t.opened_by_name = "Pat";
    t.opened_at = t.clock_started_at = t.updated_at = kT0;
    t.response_due_at = kT0 + limit;
    testing::wait_for([&](WriteDone done) {
      store.open_ticket(
          t, {"p", "Pat", "c", kT0}, [](const Ticket&) { return std::string(); }, std::move(done));
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
  LiveConfig scheduler_config(f.config);
  SlaScheduler scheduler(scheduler_config, f.store, f.clock);
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
    LiveConfig scheduler_config(f.config);
    SlaScheduler scheduler(scheduler_config, f.store, f.clock);
    scheduler.load();
    fire_at(scheduler, f, 16min);
  }
  auto rows = f.sent();
  REQUIRE(rows.size() == 2);  // one breach (group + support), no warnings
  CHECK(rows[0].item.message.text.find("breached") != std::string::npos);
  LiveConfig restarted_config(f.config);
  SlaScheduler restarted(restarted_config, f.store, f.clock);
  restarted.load();
  fire_at(restarted, f, 16min);
  CHECK(f.sent().size() == 2);  // nothing fires twice
}

TEST_CASE("sla: an acknowledged ticket's clock stops") {
  Fixture f;
  f.open_critical();
  LiveConfig scheduler_config(f.config);
  SlaScheduler scheduler(scheduler_config, f.store, f.clock);
  scheduler.load();
  testing::wait_for([&](WriteDone done) {
    f.store.update_ticket(
        1, "", {"erin", "Erin", "c", kT0 + 1min},
        [](Ticket& t) -> Decision {
          t.state = TicketState::acknowledged;
          t.acked_at = kT0 + 1min;
          return Change{"acknowledged", "", ""};
        },
        std::move(done));
  });
  fire_at(scheduler, f, 20min);
  CHECK(f.sent().empty());
}

TEST_CASE("sla: a Selected tenant's breach climbs to the TAM pool, not to a designated TAM") {
  Fixture f;
  f.config.tenants.push_back({"globex", "Globex", Package::selected, "tom"});  // a TAM set, but Selected
  f.config.channels.push_back({"hooks", "globex-7x24", "globex"});
  const Duration limit = f.config.sla.for_package(Package::selected).response_limit(1);
  f.open_critical("globex", limit);
  LiveConfig scheduler_config(f.config);
  SlaScheduler scheduler(scheduler_config, f.store, f.clock);
  scheduler.load();
  fire_at(scheduler, f, limit);
  const auto rows = f.sent();
  REQUIRE(rows.size() == 2);  // the group and the support side
  const auto group = std::find_if(rows.begin(), rows.end(),
                                  [](const OutboxRow& r) { return r.item.message.chat_id == "globex-7x24"; });
  REQUIRE(group != rows.end());
  CHECK(group->item.message.text.find("escalated to TAM: Tom, Tina") != std::string::npos);
  REQUIRE(group->item.message.mentions.size() == 2);
  CHECK(group->item.message.mentions[0].user_id == "u-tom");
  CHECK(group->item.message.mentions[1].user_id == "u-tina");
}

namespace {
// A store whose writes for one ticket throw before they start, once, as a full queue or an
// allocation failure would.
class ThrowingOnceStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  void update_ticket(TicketId id, std::string scope, WriteContext context, Mutator decide, WriteDone done) override {
    if (id == throw_for && !thrown) {
      thrown = true;
      throw std::runtime_error("writer queue closed");
    }
    ForwardingStore::update_ticket(id, std::move(scope), std::move(context), std::move(decide), std::move(done));
  }
  TicketId throw_for = 0;
  bool thrown = false;
};
}  // namespace

TEST_CASE("sla: a stage whose write throws is retried; the rest of the batch fires and wait_idle returns") {
  Fixture f;
  f.open_critical();
  f.open_critical();
  ThrowingOnceStore throwing(f.store);
  throwing.throw_for = 1;
  LiveConfig scheduler_config(f.config);
  SlaScheduler scheduler(scheduler_config, throwing, f.clock);
  REQUIRE(scheduler.load() == 2);
  f.clock.set(kT0 + 15min);
  CHECK(scheduler.fire_due(f.clock.now()) == 2);  // no exception escapes
  scheduler.wait_idle();                          // and nothing is left counted in flight
  CHECK(throwing.thrown);
  CHECK(f.store.find_ticket(2, "")->sla_stage == kBreachStage);  // the neighbour fired
  CHECK(f.store.find_ticket(1, "")->sla_stage == 0);
  f.clock.advance(1s);  // the failed one comes back a second later
  CHECK(scheduler.fire_due(f.clock.now()) == 1);
  scheduler.wait_idle();
  CHECK(f.store.find_ticket(1, "")->sla_stage == kBreachStage);
}

TEST_CASE(
    "sla: stage notices name their ticket, stage and clock; one that climbed carries no stage (never superseded)") {
  Fixture f;
  f.open_critical();
  LiveConfig scheduler_config(f.config);
  SlaScheduler scheduler(scheduler_config, f.store, f.clock);
  scheduler.load();
  f.clock.set(kT0 + 7min + 30s);  // the 50% warning: no climb
  scheduler.fire_due(f.clock.now());
  scheduler.wait_idle();
  f.clock.set(kT0 + 15min);  // the breach: climbs to the TAM
  scheduler.fire_due(f.clock.now());
  scheduler.wait_idle();
  const auto rows = f.sent();
  REQUIRE(rows.size() == 3);  // the warning to the group; the breach to the group and the support side
  CHECK(rows[0].item.ticket_id == 1);
  CHECK(rows[0].item.stage == 500);
  CHECK(rows[0].item.stage_clock == kT0);
  for (const auto& row : {rows[1], rows[2]}) {
    CHECK(row.item.ticket_id == 1);
    CHECK(row.item.stage == kNoStage);
  }
}

TEST_CASE("sla: every stage fired is one info line: the ticket, the stage, how late, whom it climbed to") {
  testing::LogCapture log;
  {
    Fixture f;
    f.open_critical();
    LiveConfig scheduler_config(f.config);
    SlaScheduler scheduler(scheduler_config, f.store, f.clock);
    scheduler.load();
    f.clock.set(kT0 + 7min + 30s + 250ms);
    scheduler.fire_due(f.clock.now());
    scheduler.wait_idle();
    f.clock.set(kT0 + 15min);
    scheduler.fire_due(f.clock.now());
    scheduler.wait_idle();
  }
  INFO(log.text());
  CHECK(log.count("sla: #1 warn50 fired 250 ms after due\n") == 1);
  CHECK(log.count("sla: #1 breach fired 0 ms after due; escalated to TAM\n") == 1);
}

TEST_CASE("sla: watching a ticket wakes the driver only when its stage comes before every queued one") {
  Fixture f;
  f.open_critical();  // its first stage, the 50% warning, is due at kT0 + 7.5 min
  LiveConfig scheduler_config(f.config);
  SlaScheduler scheduler(scheduler_config, f.store, f.clock);
  scheduler.load();
  scheduler.start();
  // Right after a pass the driver sleeps for a second (the longest it sleeps): a wake-up is the
  // only way another pass runs within a few hundred milliseconds.
  const auto after_next_pass = [&] {
    const std::size_t seen = scheduler.passes();
    while (scheduler.passes() == seen) std::this_thread::sleep_for(1ms);
    return scheduler.passes();
  };
  Ticket later = *f.store.find_ticket(1, "");
  later.id = 2;
  later.response_due_at = kT0 + 18h;  // a Low ticket: its stages come long after the queued one
  std::size_t passes = after_next_pass();
  scheduler.watch(later);
  std::this_thread::sleep_for(300ms);
  CHECK(scheduler.passes() == passes);
  CHECK(scheduler.queued() == 2);

  Ticket sooner = later;
  sooner.id = 3;
  sooner.clock_started_at = kT0 - 14min;  // a Critical opened 14 minutes ago: its warnings are due
  sooner.response_due_at = kT0 + 1min;
  passes = after_next_pass();
  scheduler.watch(sooner);
  const auto woken_by = std::chrono::steady_clock::now() + 300ms;
  while (scheduler.passes() == passes && std::chrono::steady_clock::now() < woken_by) {
    std::this_thread::sleep_for(1ms);
  }
  CHECK(scheduler.passes() > passes);
  scheduler.stop();
  scheduler.wait_idle();
}
