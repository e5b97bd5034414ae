// The supervisor's reconnect policy, as a function of how each attempt ended.
#include <catch2/catch.hpp>

#include "bot/stream/reconnect_backoff.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

SessionEnd dropped(bool was_live = false) {
  SessionEnd end;
  end.kind = SessionEnd::Kind::dropped;
  end.was_live = was_live;
  return end;
}

ReconnectSettings settings() { return ReconnectSettings{1000ms, 8000ms, 300000ms}; }

}  // namespace

TEST_CASE("backoff: failed attempts in a row wait twice as long each time, up to the cap", "[stream]") {
  ReconnectBackoff backoff(settings());
  CHECK(backoff.after(dropped(), 1.0) == 1000ms);
  CHECK(backoff.after(dropped(), 1.0) == 2000ms);
  CHECK(backoff.after(dropped(), 1.0) == 4000ms);
  CHECK(backoff.after(dropped(), 1.0) == 8000ms);
  CHECK(backoff.after(dropped(), 1.0) == 8000ms);
  CHECK(backoff.failures() == 5);
}

TEST_CASE("backoff: the jitter factor scales the wait", "[stream]") {
  ReconnectBackoff backoff(settings());
  CHECK(backoff.after(dropped(), 0.8) == 800ms);
  CHECK(backoff.after(dropped(), 1.2) == 2400ms);
}

TEST_CASE("backoff: an attempt that went live starts again from the first wait", "[stream]") {
  ReconnectBackoff backoff(settings());
  backoff.after(dropped(), 1.0);
  backoff.after(dropped(), 1.0);
  backoff.after(dropped(), 1.0);
  CHECK(backoff.after(dropped(/*was_live=*/true), 1.0) == 1000ms);
  CHECK(backoff.failures() == 0);
  CHECK(backoff.after(dropped(), 1.0) == 1000ms);
  CHECK(backoff.after(dropped(), 1.0) == 2000ms);
}

TEST_CASE("backoff: refused credentials are retried only slowly", "[stream]") {
  ReconnectBackoff backoff(settings());
  SessionEnd refused;
  refused.kind = SessionEnd::Kind::refused;
  CHECK(backoff.after(refused, 1.0) == 300000ms);
  CHECK(backoff.after(refused, 1.0) == 300000ms);
}

TEST_CASE("backoff: a wait the platform asked for is honoured when longer", "[stream]") {
  ReconnectBackoff backoff(settings());
  SessionEnd limited = dropped();
  limited.retry_after = 30000ms;
  CHECK(backoff.after(limited, 1.0) == 30000ms);
  limited.retry_after = 10ms;
  CHECK(backoff.after(limited, 1.0) == 2000ms);
}

TEST_CASE("backoff: the platform's request to move reconnects at once and resets the doubling", "[stream]") {
  ReconnectBackoff backoff(settings());
  backoff.after(dropped(), 1.0);
  backoff.after(dropped(), 1.0);
  SessionEnd moving = dropped(true);
  moving.reconnect_now = true;
  CHECK(backoff.after(moving, 1.0) == 0ms);
  CHECK(backoff.after(dropped(), 1.0) == 1000ms);
}
