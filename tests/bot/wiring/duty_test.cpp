// Duty from chat: /duty on|off hands the shift over, /oncall says who answers, and the ladder's
// first rung follows the hand-over at once and after a restart.
#include <catch2/catch.hpp>

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

// The ladder config plus Bob, a second engineer, off duty; Sam, an admin.
Config duty_config(const std::string& db) {
  Config c = testing::ladder_config(db, "http://platform.invalid/out");
  c.staff.push_back({"bob", "Bob", Role::engineer, {{"generic", "u-bob"}}, false});
  c.staff.push_back({"sam", "Sam", Role::admin, {{"generic", "u-sam"}}, false});
  return c;
}

InboundMessage message(const std::string& user, const std::string& text, const std::string& chat = "support",
                       const std::string& event = "") {
  return InboundMessage{"hooks", "generic", event, chat, user, user, text};
}

std::string ask(MessageHandler& handler, InboundMessage m) {
  std::promise<BotReply> promise;
  handler.handle(std::move(m), [&](BotReply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get().text;
}

struct Fixture {
  testing::TempDir dir;
  Config config = duty_config(dir.file("duty.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{kT0};
  testing::RecordingHttpClient http;

  // Opens a Critical ticket in Acme's group and lets its 50% warning fire; returns the group's
  // copy of the warning as sent.
  nlohmann::json warning_after_open(BotRuntime& runtime) {
    ask(runtime, message("u-pat", "/open critical DB down", "acme-7x24"));
    clock.set(clock.now() + 8min);
    runtime.scheduler().fire_due(clock.now());
    runtime.scheduler().wait_idle();
    runtime.outbox().pump(clock.now());
    runtime.outbox().wait_idle();
    const auto sent = http.requests();
    REQUIRE(!sent.empty());
    return nlohmann::json::parse(sent.back().body);
  }
};

}  // namespace

TEST_CASE("duty: the config's on_duty is where duty starts, and /oncall says who answers") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  CHECK(ask(runtime, message("u-pat", "/oncall", "acme-7x24")) ==
        "on duty now: Erin; TAM for Acme: Tom; service manager: Maria");
  CHECK(ask(runtime, message("u-erin", "/oncall")) == "on duty now: Erin; service manager: Maria");
  CHECK(ask(runtime, message("u-erin", "/oncall acme")) ==
        "on duty now: Erin; TAM for Acme: Tom; service manager: Maria");
  CHECK(ask(runtime, message("u-erin", "/duty")) == "you are on duty; on duty now: Erin");
  CHECK(ask(runtime, message("u-bob", "/duty")) == "you are off duty; /duty on takes the shift; on duty now: Erin");
}

TEST_CASE("duty: a hand-over changes who the ladder pings first") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  CHECK(ask(runtime, message("u-bob", "/duty on")) == "Bob is on duty; on duty now: Erin, Bob");
  CHECK(ask(runtime, message("u-erin", "/duty off")) == "Erin is off duty; on duty now: Bob");
  const auto warning = f.warning_after_open(runtime);
  CHECK(warning["text"].get<std::string>().find("engineer: Bob") != std::string::npos);
  CHECK(warning["mentions"] == nlohmann::json::array({"u-bob"}));
}

TEST_CASE("duty: with nobody on duty the first rung is skipped, and the notice says so") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  CHECK(ask(runtime, message("u-erin", "/duty off")) ==
        "Erin is off duty; nobody is on duty now: breach pings go to the TAM");
  const auto warning = f.warning_after_open(runtime);
  CHECK(warning["text"].get<std::string>().find("nobody on duty, so TAM: Tom") != std::string::npos);
  CHECK(warning["mentions"] == nlohmann::json::array({"u-tom"}));
}

TEST_CASE("duty: a hand-over survives a restart; the config's on_duty no longer decides") {
  Fixture f;
  {
    BotRuntime runtime(f.config, f.store, f.clock, f.http);
    ask(runtime, message("u-erin", "/duty off"));
    ask(runtime, message("u-bob", "/duty on"));
  }
  BotRuntime restarted(f.config, f.store, f.clock, f.http);
  CHECK(ask(restarted, message("u-erin", "/oncall")) == "on duty now: Bob; service manager: Maria");
}

TEST_CASE("duty: a second delivery of the same event changes nothing and gets the same answer") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  const auto first = ask(runtime, message("u-bob", "/duty on", "support", "evt-1"));
  CHECK(first == "Bob is on duty; on duty now: Erin, Bob");
  ask(runtime, message("u-bob", "/duty off", "support", "evt-2"));
  CHECK(ask(runtime, message("u-bob", "/duty on", "support", "evt-1")) == first);
  CHECK(ask(runtime, message("u-erin", "/oncall")) == "on duty now: Erin; service manager: Maria");
}

TEST_CASE("duty: who may change whose duty") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  CHECK(ask(runtime, message("u-pat", "/duty on", "acme-7x24")) ==
        "only support engineers go on duty; /oncall shows who is");
  CHECK(ask(runtime, message("u-tom", "/duty on")) ==
        "only engineers go on duty (the first to hear of a breach); Tom is TAM");
  CHECK(ask(runtime, message("u-erin", "/duty on bob")) ==
        "only a service manager or an admin changes someone else's duty");
  CHECK(ask(runtime, message("u-erin", "/duty on")) == "Erin is already on duty; on duty now: Erin");
  CHECK(ask(runtime, message("u-maria", "/duty on @bob")) == "Bob is on duty; on duty now: Erin, Bob");
  CHECK(ask(runtime, message("u-sam", "/duty off Erin")) == "Erin is off duty; on duty now: Bob");
  CHECK(ask(runtime, message("u-sam", "/duty off nobody")) ==
        "no support staff called nobody; usage: /duty [on|off] [person]");
  CHECK(ask(runtime, message("u-erin", "/duty maybe")) == "say on or off, not maybe; usage: /duty [on|off] [person]");
  CHECK(ask(runtime, message("u-maria", "/oncall")) == "on duty now: Bob; service manager: Maria");
}

TEST_CASE("duty: each hand-over is logged with who typed it") {
  Fixture f;
  BotRuntime runtime(f.config, f.store, f.clock, f.http);
  ask(runtime, message("u-maria", "/duty on bob"));
  const auto changes = f.store.latest_duty();
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].staff_id == "bob");
  CHECK(changes[0].on_duty);
  CHECK(changes[0].by_name == "Maria");
  CHECK(changes[0].at == kT0);
}
