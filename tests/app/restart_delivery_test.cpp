// Every SLA stage reaches the platform across crashes. 60 tickets' response clocks run out over
// about ten seconds while `slabot serve` is SIGKILLed again and again, at random moments, as
// stages fire and their pings are being sent to a recording platform on loopback. Afterwards every
// ping the outbox holds as sent arrived, every ticket's breach reached its group and the support
// side, nothing is dead or left waiting, and a ping that arrived twice (the bot died between the
// platform's answer and recording it) carried the same message id both times, with at most one
// such duplicate per destination per kill.
//
// The number of kills is SLABOT_RESTART_KILLS (default 5); scripts/restart-check.sh runs 20.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/message_id.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/app/generic_serve.hpp"
#include "tests/support/fake_https_peer.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/ticket_draft.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int kTickets = 60;

int kills_wanted() {
  const char* text = std::getenv("SLABOT_RESTART_KILLS");
  const int kills = text ? std::atoi(text) : 5;
  return kills > 0 ? kills : 5;
}

// What this test adds to generic_serve's config: a TAM for the breach to climb to, and Critical
// answers due 4 s after the clock starts (warnings at 1, 2 and 3 s, the breach at 4 s; no repeat
// pings within the test).
json restart_config() {
  return {
      {"staff",
       {{{"id", "erin"}, {"name", "Erin"}, {"role", "engineer"}, {"ids", {{"generic", "u-erin"}}}, {"on_duty", true}},
        {{"id", "tom"}, {"name", "Tom"}, {"role", "tam"}, {"ids", {{"generic", "u-tom"}}}}}},
      {"tenants", {{{"id", "acme"}, {"name", "Acme"}, {"package", "premium"}, {"tam", "tom"}}}},
      {"packages",
       {{"premium", {{"response", {{"critical", "4s"}}}, {"warn_at", {0.25, 0.5, 0.75}}, {"repeat_every", "1h"}}}}},
      {"outbox", {{"first_retry", "1s"}, {"max_retry", "2s"}}},
  };
}

// Tickets whose clocks start over the next few seconds, written before slabot first starts: the
// stages then fall due while it is being killed and restarted.
void seed_tickets(const std::string& db) {
  SqliteStore store({db});
  const auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  for (int i = 0; i < kTickets; ++i) {
    Ticket draft = ticket_draft("outage " + std::to_string(i + 1), 1, now, 4s);
    draft.clock_started_at = now + std::chrono::milliseconds(1000 + i * 100);
    draft.response_due_at = draft.clock_started_at + 4s;
    WriteContext context{draft.opened_by_id, draft.opened_by_name, "hooks:acme-7x24", now, std::nullopt, std::nullopt};
    const auto outcome = wait_for([&](WriteDone done) {
      store.open_ticket(
          draft, context, [](const Ticket&) { return std::string(); }, std::move(done));
    });
    REQUIRE(outcome.kind == WriteOutcome::Kind::applied);
  }
}

}  // namespace

TEST_CASE("restart: every stage's ping arrives across SIGKILLs; a duplicate carries the same message id", "[restart]") {
  TempDir dir;
  const std::string db = dir.file("restart.db");
  seed_tickets(db);

  FakePeerOptions peer_options;
  peer_options.tls = false;
  FakeHttpsPeer platform(peer_options);
  ScriptedResponse slow_ok;
  slow_ok.delay = 30ms;               // a send in flight takes a while: kills land inside some
  platform.on("/outbound", slow_ok);  // generic_serve's outbound path

  const int kills = kills_wanted();
  std::mt19937 random(20261203);
  std::uniform_int_distribution<int> run_for_ms(150, 900);
  for (int round = 0; round < kills; ++round) {
    Server serve = start_serve(dir, db, platform.port(), round, restart_config());
    std::this_thread::sleep_for(std::chrono::milliseconds(run_for_ms(random)));
    serve.process->sigkill();
  }

  // The last run: until every ticket has breached and every message is delivered.
  Server serve = start_serve(dir, db, platform.port(), kills, restart_config());
  const auto deadline = SteadyClock::now() + 60s;
  std::size_t pending = 1, breached = 0;
  while (SteadyClock::now() < deadline) {
    SqliteStore reader({db});
    TicketQuery all;
    all.limit = kTickets;
    breached = 0;
    for (const auto& t : reader.list_tickets(all)) breached += t.sla_stage >= 1000 ? 1 : 0;
    pending = reader.count_outbox(OutboxQuery::pending);
    if (breached == kTickets && pending == 0) break;
    std::this_thread::sleep_for(100ms);
  }
  const auto stopped = serve.process->terminate(10s);
  REQUIRE(breached == kTickets);
  REQUIRE(pending == 0);
  REQUIRE(stopped);

  SqliteStore store({db});
  CHECK(store.count_outbox(OutboxQuery::dead) == 0);
  const auto rows = store.list_outbox(OutboxQuery::all, 10000);
  std::map<std::string, const OutboxRow*> row_by_id;
  for (const auto& row : rows) row_by_id[outbox_message_id(row.item.idempotency_key)] = &row;

  // What arrived, by message id: every copy of one id carries the same body.
  std::map<std::string, std::vector<std::string>> bodies_by_id;
  for (const auto& request : platform.requests()) {
    const auto body = json::parse(request.body);
    const std::string id = body.at("message_id");
    CHECK(request.header("x-slabot-message-id") == id);
    bodies_by_id[id].push_back(body.dump());
  }
  std::size_t duplicates = 0;
  for (const auto& [id, bodies] : bodies_by_id) {
    CAPTURE(id);
    REQUIRE(row_by_id.contains(id));  // nothing arrived that the outbox did not hold
    for (const auto& body : bodies) CHECK(body == bodies.front());
    duplicates += bodies.size() - 1;
  }
  // One message in flight per destination (the group, the support side) when a kill lands.
  CHECK(duplicates <= static_cast<std::size_t>(2 * kills));

  // Every row recorded as sent arrived.
  for (const auto& row : rows) {
    CAPTURE(row.id, row.item.message.text, outbox_status_name(row.status));
    if (row.status == OutboxStatus::sent) CHECK(bodies_by_id.contains(outbox_message_id(row.item.idempotency_key)));
  }

  // Every ticket's breach reached its group and the support side (the climb to the TAM).
  for (int i = 1; i <= kTickets; ++i) {
    CAPTURE(i);
    std::set<std::string> heard_in;
    for (const auto& row : rows) {
      const auto& m = row.item.message;
      // The breach climbed to the TAM: an escalation, which carries no stage (never superseded).
      if (row.item.ticket_id == i && row.item.idempotency_key.find(":breach:") != std::string::npos &&
          row.status == OutboxStatus::sent) {
        heard_in.insert(m.chat_id);
        CHECK(m.text.find("breached") != std::string::npos);
      }
    }
    CHECK(heard_in == std::set<std::string>{"acme-7x24", "support"});
  }
  std::size_t sent = 0, superseded = 0;
  for (const auto& row : rows) {
    sent += row.status == OutboxStatus::sent ? 1 : 0;
    superseded += row.status == OutboxStatus::superseded ? 1 : 0;
  }
  WARN(kills << " kills: " << rows.size() << " messages queued, " << sent << " sent, " << superseded << " superseded; "
             << platform.requests().size() << " requests, " << duplicates << " duplicates (same id)");
}
