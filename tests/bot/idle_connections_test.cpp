// The registry of connections waiting for a request: who is closed to make room, and when.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "bot/http/idle_connections.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using Kind = IdleConnections::Kind;

namespace {

// Records which connection was asked to close, and with what grace.
struct Calls {
  std::vector<std::string> closed;
  IdleConnections::Closer closer(std::string name) {
    return [this, name](std::chrono::milliseconds grace) {
      closed.push_back(name + (grace > 0ms ? "+" + std::to_string(grace.count()) + "ms" : ""));
    };
  }
};

}  // namespace

TEST_CASE("idle connections: kept-alive ones are closed first, then fresh ones, each oldest first") {
  Calls calls;
  auto idle = IdleConnections::create();
  auto fresh_1 = idle->enter(Kind::fresh, calls.closer("fresh-1"));
  auto kept_1 = idle->enter(Kind::kept_alive, calls.closer("kept-1"));
  auto fresh_2 = idle->enter(Kind::fresh, calls.closer("fresh-2"));
  auto kept_2 = idle->enter(Kind::kept_alive, calls.closer("kept-2"));
  CHECK(idle->waiting() == 4);
  while (idle->close_oldest()) {}
  CHECK(calls.closed == std::vector<std::string>{"kept-1", "kept-2", "fresh-1", "fresh-2"});
  CHECK(idle->waiting() == 0);
}

TEST_CASE("idle connections: a connection that stops waiting leaves, however its wait ends") {
  Calls calls;
  auto idle = IdleConnections::create();
  {
    auto gone = idle->enter(Kind::kept_alive, calls.closer("gone"));
    CHECK(idle->waiting() == 1);
  }  // the request came (or the connection closed): out of the registry
  auto moved = idle->enter(Kind::fresh, calls.closer("moved"));
  { IdleConnections::Registration taken(std::move(moved)); }
  CHECK(idle->waiting() == 0);
  CHECK_FALSE(idle->close_oldest());
  CHECK(calls.closed.empty());
}

TEST_CASE(
    "idle connections: close_all closes kept-alive ones at once, fresh ones after the grace, and refuses newcomers") {
  Calls calls;
  auto idle = IdleConnections::create();
  auto fresh = idle->enter(Kind::fresh, calls.closer("fresh"));
  auto kept = idle->enter(Kind::kept_alive, calls.closer("kept"));
  CHECK(idle->close_all(500ms) == 2);
  CHECK(calls.closed == std::vector<std::string>{"kept", "fresh+500ms"});
  CHECK_FALSE(idle->enter(Kind::fresh, calls.closer("late")));
  CHECK(idle->waiting() == 0);
}
