#include <catch2/catch.hpp>

#include "domain/sla_clock.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

Ticket critical(int fired = kNoStage) {
  Ticket t;
  t.severity = 1;
  t.clock_started_at = kT0;
  t.response_due_at = kT0 + 15min;
  t.sla_stage = fired;
  return t;
}

}  // namespace

TEST_CASE("stages run warn50, warn80, breach, then repeats at the smaller of the limit and 30m") {
  const SlaPolicy policy;
  Ticket t = critical();
  auto s = next_stage(policy, t);
  CHECK(s.code == 500);
  CHECK(s.at == kT0 + 7min + 30s);
  t.sla_stage = s.code;
  s = next_stage(policy, t);
  CHECK(s.code == 800);
  CHECK(s.at == kT0 + 12min);
  t.sla_stage = s.code;
  s = next_stage(policy, t);
  CHECK(s.code == kBreachStage);
  CHECK(s.at == kT0 + 15min);
  t.sla_stage = s.code;
  s = next_stage(policy, t);
  CHECK(s.code == kBreachStage + 1);
  CHECK(s.at == kT0 + 30min);  // Critical: 15m repeats
  Ticket low = critical(kBreachStage);
  low.severity = 5;
  low.response_due_at = kT0 + 18h;
  CHECK(next_stage(policy, low).at == kT0 + 18h + 30min);  // capped at 30m
}

TEST_CASE("stage names follow the issue's vocabulary") {
  CHECK(stage_name(500) == "warn50");
  CHECK(stage_name(800) == "warn80");
  CHECK(stage_name(755) == "warn75.5");
  CHECK(stage_name(kBreachStage) == "breach");
  CHECK(stage_name(kBreachStage + 3) == "repeat-3");
}

TEST_CASE("nothing is due before the first stage's time") {
  CHECK_FALSE(due_stage(SlaPolicy{}, critical(), kT0 + 7min).has_value());
  CHECK(due_stage(SlaPolicy{}, critical(), kT0 + 7min + 30s)->code == 500);
}

TEST_CASE("stages that came due together collapse into the latest") {
  const SlaPolicy policy;
  // Down from before 50% until after the breach: one breach, not three messages.
  auto s = due_stage(policy, critical(), kT0 + 16min);
  REQUIRE(s);
  CHECK(s->code == kBreachStage);
  // Long after: straight to the latest repeat that is due.
  s = due_stage(policy, critical(800), kT0 + 15min + 15min * 3 + 1s);
  REQUIRE(s);
  CHECK(s->code == kBreachStage + 3);
  CHECK(s->at == kT0 + 60min);
  // Already fired: nothing again.
  CHECK_FALSE(due_stage(policy, critical(kBreachStage + 3), kT0 + 60min).has_value());
}

TEST_CASE("a fired warning is not repeated when the severity changes the window") {
  const SlaPolicy policy;
  // Warned at 80% of a Low ticket, then raised to Critical: the breach is next, at once.
  Ticket t = critical(800);
  t.response_due_at = kT0 + 15min;
  auto s = due_stage(policy, t, kT0 + 14h);
  REQUIRE(s);
  CHECK(s->code >= kBreachStage);
}

TEST_CASE("the policy's warning points and repeat interval are honoured") {
  SlaPolicy policy;
  policy.warn_at = {0.25};
  policy.repeat_every = 5min;
  Ticket t = critical();
  CHECK(next_stage(policy, t).code == 250);
  CHECK(next_stage(policy, t).at == kT0 + 3min + 45s);
  t.sla_stage = 250;
  CHECK(next_stage(policy, t).code == kBreachStage);
  t.sla_stage = kBreachStage;
  CHECK(next_stage(policy, t).at == kT0 + 20min);
  policy.warn_at.clear();
  CHECK(next_stage(policy, critical()).code == kBreachStage);
}
