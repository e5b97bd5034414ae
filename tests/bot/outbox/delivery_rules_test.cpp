// The outbox's rules as pure functions: what an answer means and what the row becomes.
#include "bot/outbox/delivery_rules.hpp"

#include <catch2/catch.hpp>

#include "adapters/generic/generic_adapter.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

OutboxRow fresh_row() {
  OutboxRow row;
  row.id = 1;
  row.created_at = kT0;
  row.next_attempt_at = kT0;
  return row;
}

OutboxSettings settings() {
  OutboxSettings s;
  s.max_attempts = 3;
  s.max_age = 1h;
  s.first_retry = 2s;
  s.max_retry = 1min;
  return s;
}

GenericAdapter generic() {
  Connection c;
  c.name = "hooks";
  c.adapter = "generic";
  c.secrets["secret"] = "s";
  return GenericAdapter(c);
}

HttpResponse no_answer(TransportFailure failure, std::string words) {
  HttpResponse r;
  r.failure = failure;
  r.body = std::move(words);
  return r;
}

// Applies `result` at `at` and returns the row as it would be stored.
OutboxRow apply(OutboxRow row, const DeliveryResult& result, Timestamp at) {
  const auto step = next_delivery_step(row, result, at, settings(), 1.0);
  row.status = step.update.status;
  row.attempts = step.update.attempts;
  row.waits = step.update.waits;
  row.refusals = step.update.refusals;
  row.next_attempt_at = step.update.next_attempt_at;
  row.last_error = step.update.last_error;
  return row;
}

}  // namespace

TEST_CASE("delivery rules: no answer is read from the transport failure, in words, for any adapter") {
  const auto adapter = generic();
  const auto dns =
      read_delivery(adapter, no_answer(TransportFailure::resolve, "cannot resolve x.example: Host not found"));
  REQUIRE(dns);
  REQUIRE(std::holds_alternative<RetryLater>(*dns));
  CHECK(delivery_error(*dns) == "DNS: cannot resolve x.example: Host not found");

  const auto bad_url = read_delivery(adapter, no_answer(TransportFailure::bad_request, "bad URL: missing host"));
  REQUIRE(bad_url);
  CHECK(std::holds_alternative<GiveUp>(*bad_url));  // can never work
  CHECK(delivery_error(*bad_url) == "bad request: bad URL: missing host");

  for (const auto kind : {TransportFailure::connect, TransportFailure::proxy, TransportFailure::tls,
                          TransportFailure::timeout, TransportFailure::connection_lost, TransportFailure::too_large,
                          TransportFailure::malformed, TransportFailure::internal}) {
    CAPTURE(transport_failure_name(kind));
    const auto result = read_delivery(adapter, no_answer(kind, "words"));
    REQUIRE(result);
    CHECK(std::holds_alternative<RetryLater>(*result));
    CHECK(delivery_error(*result) == std::string(transport_failure_name(kind)) + ": words");
  }
  // The bot is stopping: nothing is known of the message.
  CHECK_FALSE(read_delivery(adapter, no_answer(TransportFailure::stopped, "client stopped")).has_value());
}

namespace {
// An adapter whose reading of every answer throws, as a parser bug would.
class UnreadableAdapter final : public ChatAdapter {
 public:
  std::string adapter_name() const override { return "unreadable"; }
  VerifyResult verify(const HttpRequest&, Timestamp) const override { return Verified{}; }
  ParseOutcome parse(const HttpRequest&) const override { return ParsedMessages{}; }
  HttpAnswer sync_reply(const InboundMessage&, const std::string&) const override { return {}; }
  OutboundRequest render(const OutboundMessage&, Timestamp) const override { return {}; }
  DeliveryResult interpret(const HttpResponse&) const override { throw std::runtime_error("bad json"); }
  RateLimit rate_limit() const override { return {}; }
};
}  // namespace

TEST_CASE("delivery rules: an answer is the adapter's to read; one it cannot read is a failure to retry") {
  const auto adapter = generic();
  HttpResponse ok;
  ok.status = 204;
  CHECK(std::holds_alternative<Delivered>(*read_delivery(adapter, ok)));
  HttpResponse limited;
  limited.status = 429;
  CHECK(std::holds_alternative<Throttled>(*read_delivery(adapter, limited)));
  const UnreadableAdapter unreadable;
  const auto result = read_delivery(unreadable, ok);
  REQUIRE(result);
  REQUIRE(std::holds_alternative<RetryLater>(*result));
  CHECK(delivery_error(*result) == "could not read the answer: bad json");
}

TEST_CASE("delivery rules: waits the platform asks for are never failures and never kill a message") {
  OutboxRow row = fresh_row();
  Timestamp at = kT0;
  for (int i = 0; i < 100; ++i) {
    row = apply(row, Throttled{3s, "HTTP 429"}, at);
    REQUIRE(row.status == OutboxStatus::pending);
    CHECK(row.next_attempt_at == at + 3s);  // exactly the platform's wait
    at = row.next_attempt_at;
  }
  CHECK(row.attempts == 100);
  CHECK(row.waits == 100);  // tries, none a failure
  // A wait without a length backs off one step, without counting as a failure.
  row = apply(row, Throttled{std::nullopt, "errcode -1"}, at);
  CHECK(row.next_attempt_at == at + 2s);
  CHECK(row.waits == 101);
}

TEST_CASE("delivery rules: a throttle pauses the destination for the platform's wait, or the backoff") {
  const auto step = next_delivery_step(fresh_row(), Throttled{30s, "HTTP 429"}, kT0, settings(), 1.0);
  REQUIRE(step.pause_until);
  CHECK(*step.pause_until == kT0 + 30s);
  const auto busy = next_delivery_step(fresh_row(), Throttled{std::nullopt, "errcode -1"}, kT0, settings(), 1.0);
  REQUIRE(busy.pause_until);
  CHECK(*busy.pause_until == kT0 + 2s);
  CHECK_FALSE(next_delivery_step(fresh_row(), RetryLater{std::nullopt, "HTTP 502"}, kT0, settings(), 1.0).pause_until);
}

TEST_CASE("delivery rules: a platform's wait is at least a second and at most max_age") {
  CHECK(next_delivery_step(fresh_row(), Throttled{0s, "HTTP 429"}, kT0, settings(), 1.0).update.next_attempt_at ==
        kT0 + 1s);
  CHECK(next_delivery_step(fresh_row(), Throttled{std::chrono::hours(24 * 365), "HTTP 429"}, kT0, settings(), 1.0)
            .update.next_attempt_at == kT0 + 1h);
}

TEST_CASE("delivery rules: failures that may pass back off to max_retry and die only of max_age") {
  OutboxRow row = fresh_row();
  Timestamp at = kT0;
  std::vector<Duration> waits;
  while (at - kT0 < 59min) {
    row = apply(row, RetryLater{std::nullopt, "HTTP 503"}, at);
    REQUIRE(row.status == OutboxStatus::pending);
    waits.push_back(row.next_attempt_at - at);
    at = row.next_attempt_at;
  }
  CHECK(waits[0] == 2s);
  CHECK(waits[1] == 4s);
  CHECK(waits[5] == 60s);  // 64 s capped
  CHECK(row.attempts > settings().max_attempts);
  row = apply(row, RetryLater{std::nullopt, "HTTP 503"}, kT0 + 1h);
  CHECK(row.status == OutboxStatus::dead);
  CHECK(row.last_error == "HTTP 503 (undelivered for 1h, outbox.max_age)");
}

TEST_CASE("delivery rules: a message the platform calls wrong dies at max_attempts refusals") {
  OutboxRow row = fresh_row();
  row = apply(row, RetryLater{std::nullopt, "HTTP 503"}, kT0);  // failures before do not count
  row = apply(row, Refused{"HTTP 400"}, kT0 + 2s);
  row = apply(row, Refused{"HTTP 400"}, kT0 + 10s);
  CHECK(row.status == OutboxStatus::pending);
  row = apply(row, Refused{"HTTP 400"}, kT0 + 20s);
  CHECK(row.status == OutboxStatus::dead);
  CHECK(row.refusals == 3);
  CHECK(row.last_error == "HTTP 400 (refused 3 times, outbox.max_attempts)");
}

TEST_CASE("delivery rules: give up is dead at once; delivered is sent with the error cleared") {
  OutboxRow row = apply(fresh_row(), RetryLater{std::nullopt, "HTTP 503"}, kT0);
  const auto sent = apply(row, Delivered{}, kT0 + 2s);
  CHECK(sent.status == OutboxStatus::sent);
  CHECK(sent.last_error.empty());
  CHECK(sent.attempts == 2);
  const auto dead = apply(fresh_row(), GiveUp{"HTTP 404"}, kT0);
  CHECK(dead.status == OutboxStatus::dead);
  CHECK(dead.last_error == "HTTP 404");
}

TEST_CASE("delivery rules: each step is named for the metrics by what it did to the row") {
  const OutboxRow row = fresh_row();
  const auto named = [&](const DeliveryResult& result) {
    return delivery_outcome(row, next_delivery_step(row, result, kT0, settings(), 1.0).update);
  };
  CHECK(named(Delivered{}) == "sent");
  CHECK(named(Throttled{5s, "429"}) == "throttled");
  CHECK(named(RetryLater{std::nullopt, "HTTP 503"}) == "retry");
  CHECK(named(Refused{"HTTP 400"}) == "refused");
  CHECK(named(GiveUp{"HTTP 404"}) == "dead");
  OutboxRow refused_twice = row;
  refused_twice.refusals = 2;  // the third refusal of three: dead, not refused
  CHECK(delivery_outcome(refused_twice,
                         next_delivery_step(refused_twice, Refused{"HTTP 400"}, kT0, settings(), 1.0).update) ==
        "dead");
  DeliveryUpdate superseded{OutboxStatus::superseded, 0, kT0, "superseded: #1 is resolved now", 0, 0};
  CHECK(delivery_outcome(row, superseded) == "superseded");
  // The client stopped with the bot: the row is kept as it was, nothing is counted.
  DeliveryUpdate unchanged{OutboxStatus::pending, row.attempts, kT0, "", row.waits, row.refusals};
  CHECK_FALSE(delivery_outcome(row, unchanged));
}
