#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <nlohmann/json.hpp>

#include "bot/runtime.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/wiring/recording_http_client.hpp"
#include "tests/support/ladder_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);  // 2026-11-22 06:45:00 UTC

Config runtime_config(const std::string& db) { return testing::ladder_config(db, "http://platform.invalid/out"); }

InboundMessage message(const std::string& user, const std::string& text, const std::string& chat = "acme-7x24") {
  return InboundMessage{"hooks", "generic", "", chat, user, user, text};
}

std::string ask(MessageHandler& handler, InboundMessage m) {
  std::promise<BotReply> promise;
  handler.handle(std::move(m), [&](BotReply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get().text;
}

nlohmann::json body_of(const OutboundRequest& request) { return nlohmann::json::parse(request.body); }

struct Fixture {
  testing::TempDir dir;
  Config config = runtime_config(dir.file("runtime.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{kT0};
  testing::RecordingHttpClient http;

  // Fires what is due and delivers what is queued, by hand (no threads).
  void drive(BotRuntime& runtime) {
    runtime.scheduler().fire_due(clock.now());
    runtime.scheduler().wait_idle();
    runtime.outbox().pump(clock.now());
    runtime.outbox().wait_idle();
  }
};

}  // namespace

TEST_CASE("runtime: an opened ticket's clock is watched; its breach climbs and reaches the platform") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  CHECK(ask(runtime, message("u-pat", "/open critical DB down")).starts_with("#1 opened"));
  // The command's change reached the scheduler through the hook: nothing was loaded by hand.
  CHECK(runtime.scheduler().next_due() == kT0 + 7min + 30s);
  f.clock.set(kT0 + 15min);
  f.drive(runtime);
  const auto sent = f.http.requests();
  REQUIRE(sent.size() == 2);  // one collapsed breach ping to the group, the climb to the support side
  CHECK(sent[0].url == "http://platform.invalid/out");
  const auto group = body_of(sent[0]);
  CHECK(group["chat_id"] == "acme-7x24");
  CHECK(group["text"].get<std::string>().find("#1") != std::string::npos);
  CHECK(group["text"].get<std::string>().find("escalated to TAM: Tom") != std::string::npos);
  CHECK(group["mentions"] == nlohmann::json::array({"u-tom"}));
  CHECK(body_of(sent[1])["chat_id"] == "support");
  // The support side serves every partner: its copy says whose ticket it is; the group's need not.
  CHECK(body_of(sent[1])["text"].get<std::string>().starts_with("#1 [Acme] Critical \"DB down\""));
  CHECK(group["text"].get<std::string>().starts_with("#1 Critical \"DB down\""));
  CHECK(f.store.count_outbox(OutboxQuery::pending) == 0);
  CHECK(f.store.list_outbox(OutboxQuery::all, 10).at(0).status == OutboxStatus::sent);
}

TEST_CASE("runtime: /escalate by hand queues the notices with the climb and the outbox sends them") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  ask(runtime, message("u-pat", "/open high API slow"));
  // One event, one message per destination: the group it was typed in reads the reply (naming
  // whom it reached), the support side the notice; the group gets no second line.
  CHECK(ask(runtime, message("u-erin", "/escalate 1 needs the DB team")) ==
        "#1 escalated to TAM: Tom (needs the DB team)");
  f.drive(runtime);
  const auto sent = f.http.requests();
  REQUIRE(sent.size() == 1);
  CHECK(body_of(sent[0])["chat_id"] == "support");
  CHECK(body_of(sent[0])["text"] == "#1 [Acme] High \"API slow\" escalated to TAM: Tom (by Erin: needs the DB team)");
  CHECK(f.store.find_ticket(1, "")->escalation_level == kEscalationTam);
}

TEST_CASE("runtime: started, its threads fire a stage and deliver it; a restart does not fire it again") {
  Fixture f;
  {
    BotRuntime runtime(f.config, f.store, f.clock, f.http);
    CHECK(runtime.start() == 0);
    ask(runtime, message("u-pat", "/open critical DB down"));
    f.clock.set(kT0 + 16min);  // no one drives: the scheduler's thread notices within a second
    REQUIRE(f.http.wait_for(2));
    runtime.stop();
  }
  const auto before = f.http.requests().size();
  BotRuntime restarted(f.config, f.store, f.clock, f.http);
  CHECK(restarted.start() == 1);  // the running clock, loaded from the store
  f.clock.set(kT0 + 16min + 1s);
  restarted.scheduler().fire_due(f.clock.now());
  restarted.scheduler().wait_idle();
  restarted.stop();
  CHECK(f.http.requests().size() == before);  // the breach fired once; the next stage is a repeat at 30m
  CHECK(restarted.scheduler().next_due() == kT0 + 30min);
}

TEST_CASE("runtime: every connection gets a route with its own rate limit or the platform's") {
  Config c = runtime_config("unused.db");
  c.connections.push_back({"ding", "dingtalk", {{"app_secret", "a"}, {"robot_secret", "r"}}, "", RateLimit{5, 1min}});
  c.connections.push_back({"ding2", "dingtalk", {{"app_secret", "a"}, {"robot_secret", "r"}}, ""});
  const auto routes = outbox_routes(c);
  REQUIRE(routes.size() == 3);
  CHECK(routes.at("ding").limit.messages == 5);
  CHECK(routes.at("ding2").limit.messages == routes.at("ding2").adapter->rate_limit().messages);
  CHECK(routes.at("ding2").limit.messages == 20);  // DingTalk's group robot: 20 a minute
}

TEST_CASE("runtime: raising the severity of a waiting ticket past its new deadline fires the breach at once") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  ask(runtime, message("u-pat", "/open low question about quotas"));
  CHECK(runtime.scheduler().next_due() == kT0 + 9h);  // 50% of Low's 18 h
  f.clock.set(kT0 + 20min);
  CHECK(ask(runtime, message("u-pat", "/sev 1 critical")).find("severity Low -> Critical") != std::string::npos);
  CHECK(runtime.scheduler().next_due() <= f.clock.now());  // the 15-minute deadline passed 5 minutes ago
  f.drive(runtime);
  const auto sent = f.http.requests();
  REQUIRE(sent.size() == 2);  // straight to the breach (collapsed), group and support side
  CHECK(body_of(sent[0])["text"].get<std::string>().find("response SLA of 15m breached") != std::string::npos);
  CHECK(f.store.find_ticket(1, "")->escalation_level == kEscalationTam);
}

TEST_CASE("runtime: lowering the severity moves the deadline later, and the early stage does not fire") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  ask(runtime, message("u-pat", "/open critical DB down"));
  f.clock.set(kT0 + 5min);
  CHECK(ask(runtime, message("u-erin", "/sev 1 high")).find("Critical -> High") != std::string::npos);
  f.clock.set(kT0 + 8min);  // Critical's 50% warning would have been due; High's is at 2 h
  f.drive(runtime);
  CHECK(f.http.requests().empty());
  f.clock.set(kT0 + 2h);
  f.drive(runtime);
  REQUIRE(f.http.requests().size() == 1);
  CHECK(body_of(f.http.requests()[0])["text"].get<std::string>().find("High") != std::string::npos);
}

TEST_CASE("runtime: destroyed right after messages were handed in, it first answers every one") {
  Fixture f;
  std::atomic<int> answered{0};
  constexpr int kMessages = 40;
  {
    BotRuntime runtime(f.config, f.store, f.clock, f.http);
    for (int i = 0; i < kMessages; ++i) {
      runtime.handle(message("u-pat", "/open high API slow " + std::to_string(i)), [&](BotReply) { ++answered; });
    }
  }  // the writes' callbacks use the runtime: it must wait for them
  CHECK(answered == kMessages);
  CHECK(f.store.count_tickets({}) == static_cast<std::size_t>(kMessages));
}

TEST_CASE("runtime: after reconfigure, stages follow the new package and the new roster; none is lost") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  CHECK(ask(runtime, message("u-nia", "/ack 1")).find("acknowledged by") == std::string::npos);
  ask(runtime, message("u-pat", "/open critical DB down"));
  REQUIRE(runtime.scheduler().next_due() == kT0 + 7min + 30s);  // 50% of 15 minutes

  Config next = f.config;
  for (auto& policy : next.sla.by_package) policy.warn_at = {0.9};
  for (auto& member : next.staff) member.on_duty = false;
  next.staff.push_back({"nia", "Nia", Role::engineer, {{"generic", "u-nia"}}, true});
  runtime.reconfigure(next);

  // The stage queued under the old policy comes up not due, and is dropped: the new one stands.
  f.clock.set(kT0 + 7min + 30s);
  f.drive(runtime);
  CHECK(f.http.requests().empty());
  CHECK(runtime.scheduler().next_due() == kT0 + 13min + 30s);
  f.clock.set(kT0 + 13min + 30s);
  f.drive(runtime);
  const auto sent = f.http.requests();
  REQUIRE(sent.size() == 1);
  CHECK(body_of(sent[0])["text"].get<std::string>().find("engineer: Nia") != std::string::npos);
  CHECK(body_of(sent[0])["mentions"] == nlohmann::json::array({"u-nia"}));
  // And Nia, unknown before, acknowledges as staff.
  CHECK(ask(runtime, message("u-nia", "/ack 1")).starts_with("#1 acknowledged by Nia"));
}

TEST_CASE("runtime: reconfigure with a connection the adapters refuse throws and changes nothing") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  Config next = f.config;
  next.staff.clear();
  next.connections.at(0).secrets.clear();  // the generic adapter needs its secret
  CHECK_THROWS_AS(runtime.reconfigure(next), std::invalid_argument);
  CHECK(runtime.config().current()->staff.size() == f.config.staff.size());
  CHECK(runtime.config().generation() == 0);
}

TEST_CASE("runtime: /outbox in the support channel names whose group each message goes to") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  ask(runtime, message("u-pat", "/open critical DB down"));
  f.clock.set(kT0 + 15min);
  runtime.scheduler().fire_due(f.clock.now());  // queued, not yet sent: nothing pumps the outbox
  runtime.scheduler().wait_idle();
  const std::string listed = ask(runtime, message("u-erin", "/outbox", "support"));
  CHECK(listed.find("to [Acme] acme-7x24 (hooks): waiting") != std::string::npos);
  CHECK(listed.find("to [support side] support (hooks): waiting") != std::string::npos);
}
