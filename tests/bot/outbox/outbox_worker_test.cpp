#include "bot/outbox/outbox_worker.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/message_id.hpp"
#include "adapters/registry.hpp"
#include "bot/outbox/backoff.hpp"
#include "domain/sla_clock.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/outbox/outbox_fakes.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/ticket_draft.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::shared_ptr<const ChatAdapter> adapter(const std::string& adapter_name, std::map<std::string, std::string> secrets,
                                           const std::string& outbound_url) {
  Connection connection;
  connection.name = adapter_name;
  connection.adapter = adapter_name;
  connection.secrets = std::move(secrets);
  connection.outbound_url = outbound_url;
  return std::shared_ptr<const ChatAdapter>(make_adapter(connection));
}

// Three connections: "hooks" (generic), "ding" (DingTalk) and "slack" (an incoming webhook).
std::map<std::string, OutboxRoute> routes(RateLimit hooks_limit = {}) {
  return {
      {"hooks", {adapter("generic", {{"secret", "s"}}, "https://chat.example/out"), hooks_limit}},
      {"ding", {adapter("dingtalk", {{"app_secret", "a"}}, "https://oapi.dingtalk.example/robot/send"), {}}},
      {"slack", {adapter("slack", {{"signing_secret", "s"}}, "https://hooks.slack.example/services/T/B/x"), {}}},
      {"nourl", {adapter("generic", {{"secret", "s"}}, ""), {}}},
  };
}

OutboxItem item(const std::string& chat, const std::string& text, Lane lane = Lane::routine,
                const std::string& connection = "hooks") {
  OutboxItem i;
  i.message.connection = connection;
  i.message.chat_id = chat;
  i.message.text = text;
  i.lane = lane;
  i.idempotency_key = connection + "/" + chat + "/" + text;
  return i;
}

// The text a generic request carries, to tell the messages apart.
std::string text_of(const OutboundRequest& request) {
  const auto body = nlohmann::json::parse(request.body);
  return body.at("chat_id").get<std::string>() + ":" + body.at("text").get<std::string>();
}

struct Fixture {
  TempDir dir;
  SqliteStore store{{dir.file("outbox.db")}};
  ManualClock clock{kT0};
  FakeHttpClient http;
  OutboxSettings settings;
  double jitter = 1.0;

  std::vector<std::unique_ptr<Store>> stores;  // more stores a test opens, for its workers
  std::vector<std::unique_ptr<OutboxWorker>> workers;

  Fixture() { settings.first_retry = 2s; }
  ~Fixture() {
    // A test that stopped half-way may leave sends unanswered; a worker waits for them.
    http.fail_unanswered();
    while (!workers.empty()) workers.pop_back();
  }

  template <typename S, typename... Args>
  S& open_store(Args&&... args) {
    stores.push_back(std::make_unique<S>(std::forward<Args>(args)...));
    return static_cast<S&>(*stores.back());
  }

  // A worker the fixture owns, so it goes before the store, the clock and the client.
  OutboxWorker* worker(std::map<std::string, OutboxRoute> r = routes(), Store* on = nullptr) {
    workers.push_back(std::make_unique<OutboxWorker>(on ? *on : store, clock, http, std::move(r), settings,
                                                     [this] { return jitter; }));
    return workers.back().get();
  }

  void enqueue(std::vector<OutboxItem> items) {
    const auto outcome = wait_for([&](WriteDone done) { store.enqueue(items, clock.now(), std::move(done)); });
    REQUIRE(outcome.kind == WriteOutcome::Kind::applied);
  }
  OutboxRow row(std::int64_t id) {
    for (auto& r : store.list_outbox(OutboxQuery::all, 1000)) {
      if (r.id == id) return r;
    }
    FAIL("no outbox row " << id);
    return {};
  }
  // Pumps at the clock's time.
  PumpResult pump(OutboxWorker& w) { return w.pump(clock.now()); }
};

// Polls `done` until it holds, for at most `limit`: for outcomes another thread records.
template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = 5s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

}  // namespace

TEST_CASE("outbox: a 200 marks the row sent, and it is not sent again") {
  Fixture f;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  const auto pass = f.pump(*w);
  CHECK(pass.started == 1);
  REQUIRE(f.http.count() == 1);
  const auto request = f.http.request(0);
  CHECK(request.url == "https://chat.example/out");
  CHECK(text_of(request) == "acme:hello");
  CHECK(f.row(1).status == OutboxStatus::pending);  // nothing recorded before the answer
  CHECK(f.pump(*w).started == 0);                   // in flight: not sent twice
  f.http.answer(0, 200);
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::sent);
  CHECK(row.attempts == 1);
  CHECK(row.last_error.empty());
  CHECK(f.pump(*w).started == 0);
  CHECK(f.http.count() == 1);
}

TEST_CASE("outbox: a 500 leaves the row pending with attempts=1 and the backoff from the answer's time") {
  Fixture f;
  f.jitter = 1.25;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  f.clock.advance(3s);  // the answer comes 3 s after the send: the backoff counts from it
  f.http.answer(0, 500);
  w->wait_idle();
  auto row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 1);
  CHECK(row.last_error == "HTTP 500");
  CHECK(row.next_attempt_at == kT0 + 3s + 2500ms);  // first_retry 2 s * jitter 1.25

  // Not before the backoff ends; the pass says when it does.
  f.clock.set(kT0 + 5499ms);
  const auto early = f.pump(*w);
  CHECK(early.started == 0);
  CHECK(early.next_wake == kT0 + 5500ms);
  f.clock.set(kT0 + 5500ms);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 2);
  f.http.answer(1, 503);
  w->wait_idle();
  row = f.row(1);
  CHECK(row.attempts == 2);
  CHECK(row.next_attempt_at == kT0 + 5500ms + 5s);  // doubled: 4 s * 1.25
  f.clock.set(row.next_attempt_at);
  f.pump(*w);
  f.http.answer(2, 200);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);
  CHECK(f.row(1).attempts == 3);
}

TEST_CASE("outbox: 429 with Retry-After waits what the platform asked, not the backoff, and is no failure") {
  Fixture f;
  f.jitter = 0.8;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 429, "", {{"retry-after", "30"}});
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 1);
  CHECK(row.waits == 1);  // a try, but no failure
  CHECK(row.last_error == "HTTP 429");
  CHECK(row.next_attempt_at == kT0 + 30s);  // neither 2 s nor 2 s * 0.8
  f.clock.set(kT0 + 29s);
  CHECK(f.pump(*w).started == 0);
  f.clock.set(kT0 + 30s);
  CHECK(f.pump(*w).started == 1);
  f.http.answer(1, 200);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);
}

TEST_CASE("outbox: a 429 holds the whole destination, the other lane included, for the platform's wait") {
  Fixture f;
  f.enqueue({item("acme", "first", Lane::routine)});
  auto w = f.worker();
  f.pump(*w);
  f.enqueue({item("acme", "breach", Lane::urgent), item("other", "hi")});
  f.http.answer(0, 429, "", {{"retry-after", "60"}});
  w->wait_idle();
  // The urgent lane's head is due, but the platform said to wait a minute for this group.
  const auto pass = f.pump(*w);
  CHECK(pass.started == 1);  // only the other group
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(1)) == "other:hi");
  CHECK(pass.next_wake == kT0 + 60s);
  f.http.answer(1, 200);
  w->wait_idle();
  f.clock.set(kT0 + 60s);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 3);
  CHECK(text_of(f.http.request(2)) == "acme:breach");  // urgent first once the wait is over
  f.http.answer(2, 200);
  w->wait_idle();
}

TEST_CASE("outbox: a 200 whose body reports a failure is a failure, as the adapter reads it") {
  Fixture f;
  auto w = f.worker();

  SECTION("DingTalk errcode 310000 (a missing keyword) is permanent: dead at once") {
    f.enqueue({item("g1", "hello", Lane::routine, "ding")});
    f.pump(*w);
    REQUIRE(f.http.count() == 1);
    CHECK(contains(f.http.request(0).url, "oapi.dingtalk.example"));
    f.http.answer(0, 200, R"({"errcode":310000,"errmsg":"keywords not in content"})");
    w->wait_idle();
    const auto row = f.row(1);
    CHECK(row.status == OutboxStatus::dead);
    CHECK(row.attempts == 1);
    CHECK(contains(row.last_error, "310000"));
  }
  SECTION("DingTalk errcode -1 (system busy) is a wait: backed off, not counted as a failure") {
    f.enqueue({item("g1", "hello", Lane::routine, "ding")});
    f.pump(*w);
    f.http.answer(0, 200, R"({"errcode":-1,"errmsg":"busy"})");
    w->wait_idle();
    const auto row = f.row(1);
    CHECK(row.status == OutboxStatus::pending);
    CHECK(row.attempts == 1);
    CHECK(row.waits == 1);
    CHECK(contains(row.last_error, "errcode -1"));
    CHECK(row.next_attempt_at == kT0 + 2s);
  }
  SECTION("DingTalk errcode 0 is delivered") {
    f.enqueue({item("g1", "hello", Lane::routine, "ding")});
    f.pump(*w);
    f.http.answer(0, 200, R"({"errcode":0,"errmsg":"ok"})");
    w->wait_idle();
    CHECK(f.row(1).status == OutboxStatus::sent);
  }
  SECTION("Slack ok:false without a transient code gives up") {
    f.enqueue({item("C1", "hello", Lane::routine, "slack")});
    f.pump(*w);
    f.http.answer(0, 200, R"({"ok":false,"error":"channel_not_found"})");
    w->wait_idle();
    const auto row = f.row(1);
    CHECK(row.status == OutboxStatus::dead);
    CHECK(contains(row.last_error, "channel_not_found"));
  }
  SECTION("Slack ok:false ratelimited is a wait") {
    f.enqueue({item("C1", "hello", Lane::routine, "slack")});
    f.pump(*w);
    f.http.answer(0, 200, R"({"ok":false,"error":"ratelimited"})");
    w->wait_idle();
    const auto row = f.row(1);
    CHECK(row.status == OutboxStatus::pending);
    CHECK(row.waits == 1);
  }
}

TEST_CASE("outbox: a permanent error is dead at once and never sent again") {
  Fixture f;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 403);
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::dead);
  CHECK(row.attempts == 1);
  CHECK(row.last_error == "HTTP 403");
  f.clock.advance(1h);
  CHECK(f.pump(*w).started == 0);
  CHECK(f.http.count() == 1);
  CHECK(f.store.count_outbox(OutboxQuery::dead) == 1);
}

TEST_CASE("outbox: a message the platform calls wrong is dead at max_attempts, the last error kept") {
  Fixture f;
  f.settings.max_attempts = 3;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  for (std::size_t attempt = 0; attempt < 3; ++attempt) {
    f.clock.set(f.row(1).next_attempt_at);
    REQUIRE(f.pump(*w).started == 1);
    f.http.answer(attempt, 400);
    w->wait_idle();
    CHECK(f.row(1).status == (attempt < 2 ? OutboxStatus::pending : OutboxStatus::dead));
  }
  const auto row = f.row(1);
  CHECK(row.attempts == 3);
  CHECK(row.refusals == 3);
  CHECK(contains(row.last_error, "HTTP 400"));
  CHECK(contains(row.last_error, "refused 3 times, outbox.max_attempts"));
  f.clock.advance(1h);
  CHECK(f.pump(*w).started == 0);
}

TEST_CASE("outbox: failures that may pass never reach max_attempts: only max_age ends them") {
  Fixture f;
  f.settings.max_attempts = 3;
  f.settings.max_retry = 1min;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  for (std::size_t attempt = 0; attempt < 20; ++attempt) {
    f.clock.set(f.row(1).next_attempt_at);
    REQUIRE(f.pump(*w).started == 1);
    f.http.answer(attempt, attempt % 2 ? 503 : 0, "connect: connecting to chat.example:443 failed");
    w->wait_idle();
    REQUIRE(f.row(1).status == OutboxStatus::pending);
    CHECK(f.row(1).next_attempt_at - f.clock.now() <= 1min);  // max_retry holds
  }
  CHECK(f.row(1).attempts == 20);
  f.clock.set(f.row(1).next_attempt_at);
  REQUIRE(f.pump(*w).started == 1);
  f.http.answer(20, 200);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);
}

TEST_CASE("outbox: dead after max_age, the last error kept") {
  Fixture f;
  f.settings.max_age = 10min;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 502);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::pending);
  f.clock.set(kT0 + 10min);
  REQUIRE(f.pump(*w).started == 1);
  f.http.answer(1, 502);
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::dead);
  CHECK(row.attempts == 2);
  CHECK(contains(row.last_error, "HTTP 502"));
  CHECK(contains(row.last_error, "undelivered for 10m, outbox.max_age"));
}

TEST_CASE("outbox: a row whose connection has no route, or no URL, is dead with a clear error") {
  Fixture f;
  f.enqueue({item("acme", "lost", Lane::routine, "removed"), item("acme", "nowhere", Lane::routine, "nourl"),
             item("acme", "fine")});
  auto w = f.worker();
  const auto pass = f.pump(*w);
  REQUIRE(f.http.count() == 1);  // the routed one goes; the others never reach the client
  CHECK(pass.started == 1);
  CHECK(text_of(f.http.request(0)) == "acme:fine");
  f.http.answer(0, 200);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::dead);
  CHECK(f.row(1).last_error == "no connection named removed");
  CHECK(f.row(2).status == OutboxStatus::dead);
  CHECK(contains(f.row(2).last_error, "no outbound url"));
  CHECK(f.row(3).status == OutboxStatus::sent);
}

TEST_CASE("outbox: retry_dead puts a dead row back in line and the worker sends it") {
  Fixture f;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 404);
  w->wait_idle();
  REQUIRE(f.row(1).status == OutboxStatus::dead);
  f.clock.advance(2h);
  CHECK(f.pump(*w).started == 0);
  const auto revived = wait_for([&](WriteDone done) { f.store.retry_dead(1, f.clock.now(), std::move(done)); });
  REQUIRE(revived.kind == WriteOutcome::Kind::applied);
  CHECK(f.row(1).status == OutboxStatus::pending);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(1)) == "acme:hello");
  f.http.answer(1, 200);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);
  CHECK(f.row(1).attempts == 1);
}

TEST_CASE("outbox: a message revived after dying of max_age gets its full max_age again") {
  Fixture f;
  f.settings.max_age = 10min;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 502);
  w->wait_idle();
  f.clock.set(kT0 + 10min);
  REQUIRE(f.pump(*w).started == 1);
  f.http.answer(1, 502);
  w->wait_idle();
  REQUIRE(f.row(1).status == OutboxStatus::dead);
  f.clock.advance(1h);
  const auto revived = wait_for([&](WriteDone done) { f.store.retry_dead(1, f.clock.now(), std::move(done)); });
  REQUIRE(revived.kind == WriteOutcome::Kind::applied);
  REQUIRE(f.pump(*w).started == 1);
  f.http.answer(2, 502);
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);  // one failure, minutes into its new life
  CHECK(row.attempts == 1);
}

TEST_CASE("outbox: one message in flight per group; a slow group does not hold up another") {
  Fixture f;
  f.enqueue({item("A", "1"), item("A", "2"), item("B", "1"), item("B", "2")});
  auto w = f.worker();
  CHECK(f.pump(*w).started == 2);  // A's head and B's head; A:2 and B:2 wait their turn
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(0)) == "A:1");
  CHECK(text_of(f.http.request(1)) == "B:1");
  CHECK(f.pump(*w).started == 0);

  f.http.answer(1, 200);  // B answers; A stays slow
  REQUIRE(eventually([&] { return f.row(3).status == OutboxStatus::sent; }));
  CHECK(eventually([&] { return f.pump(*w).started == 1; }));
  REQUIRE(f.http.count() == 3);
  CHECK(text_of(f.http.request(2)) == "B:2");  // B goes on while A:1 is still unanswered
  CHECK(f.row(1).status == OutboxStatus::pending);

  f.http.answer(0, 200);
  f.http.answer(2, 200);
  w->wait_idle();
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 4);
  CHECK(text_of(f.http.request(3)) == "A:2");
  f.http.answer(3, 200);
  w->wait_idle();
  CHECK(f.store.count_outbox(OutboxQuery::pending) == 0);
}

TEST_CASE("outbox: a backlog of 6,000 in one group does not hide another group's message") {
  Fixture f;
  std::vector<OutboxItem> backlog;
  for (int i = 0; i < 6000; ++i) backlog.push_back(item("A", std::to_string(i)));
  f.enqueue(std::move(backlog));
  f.enqueue({item("B", "hello")});
  auto w = f.worker();
  CHECK(f.pump(*w).started == 2);  // the first pass: A's head and B's message
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(0)) == "A:0");
  CHECK(text_of(f.http.request(1)) == "B:hello");
  f.http.answer(0, 200);
  f.http.answer(1, 200);
  w->wait_idle();
  CHECK(f.store.count_outbox(OutboxQuery::pending) == 5999);  // A:0 and B:hello went
}

TEST_CASE("outbox: a failed message keeps its place: the next one in its lane waits for it") {
  Fixture f;
  f.enqueue({item("A", "1"), item("A", "2"), item("A", "3")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 500);
  w->wait_idle();
  const auto pass = f.pump(*w);
  CHECK(pass.started == 0);  // A:2 must not overtake A:1 in its backoff
  CHECK(pass.next_wake == kT0 + 2s);
  f.clock.set(kT0 + 2s);
  std::vector<std::string> order;
  for (std::size_t i = 1; i <= 3; ++i) {
    REQUIRE(f.pump(*w).started == 1);
    REQUIRE(f.http.count() == i + 1);
    order.push_back(text_of(f.http.request(i)));
    f.http.answer(i, 200);
    w->wait_idle();
  }
  CHECK(order == std::vector<std::string>{"A:1", "A:2", "A:3"});
}

TEST_CASE("outbox: the urgent lane goes before the routine one when both wait") {
  Fixture f;
  f.enqueue({item("A", "r1")});
  auto w = f.worker();
  f.pump(*w);  // r1 in flight; then both lanes fill up behind it
  f.enqueue({item("A", "r2"), item("A", "r3"), item("A", "u1", Lane::urgent), item("A", "u2", Lane::urgent)});
  f.http.answer(0, 200);
  w->wait_idle();
  std::vector<std::string> order;
  for (std::size_t i = 1; i <= 4; ++i) {
    REQUIRE(f.pump(*w).started == 1);
    REQUIRE(f.http.count() == i + 1);
    order.push_back(text_of(f.http.request(i)));
    f.http.answer(i, 200);
    w->wait_idle();
  }
  CHECK(order == std::vector<std::string>{"A:u1", "A:u2", "A:r2", "A:r3"});
}

TEST_CASE("outbox: the per-destination rate limit holds, and next_wake says when the window opens") {
  Fixture f;
  f.enqueue({item("A", "1"), item("A", "2"), item("A", "3"), item("B", "1"), item("B", "2"), item("B", "3")});
  auto w = f.worker(routes(RateLimit{2, 1min}));
  std::size_t answered = 0;
  auto answer_all = [&] {
    while (answered < f.http.count()) f.http.answer(answered++, 200);
    w->wait_idle();
  };
  CHECK(f.pump(*w).started == 2);  // A:1, B:1
  answer_all();
  f.clock.set(kT0 + 10s);
  CHECK(f.pump(*w).started == 2);  // A:2, B:2: two in the minute
  answer_all();
  f.clock.set(kT0 + 20s);
  auto pass = f.pump(*w);
  CHECK(pass.started == 0);
  CHECK(pass.next_wake == kT0 + 1min);  // when A:1's and B:1's sends leave the window
  f.clock.set(kT0 + 1min - 1ms);
  CHECK(f.pump(*w).started == 0);
  f.clock.set(kT0 + 1min);
  pass = f.pump(*w);
  CHECK(pass.started == 2);
  answer_all();
  REQUIRE(f.http.count() == 6);
  CHECK(text_of(f.http.request(4)) == "A:3");
  CHECK(text_of(f.http.request(5)) == "B:3");
  CHECK(f.store.count_outbox(OutboxQuery::pending) == 0);
}

TEST_CASE("outbox: when a rate window opens, the urgent lane goes first") {
  Fixture f;
  f.enqueue({item("A", "r1")});
  auto w = f.worker(routes(RateLimit{1, 1min}));
  f.pump(*w);
  f.http.answer(0, 200);
  w->wait_idle();
  f.clock.set(kT0 + 10s);
  f.enqueue({item("A", "r2")});
  f.clock.set(kT0 + 20s);
  f.enqueue({item("A", "u1", Lane::urgent)});
  const auto pass = f.pump(*w);
  CHECK(pass.started == 0);  // both wait for the window
  CHECK(pass.next_wake == kT0 + 1min);
  f.clock.set(kT0 + 1min);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(1)) == "A:u1");  // younger, but urgent
  f.http.answer(1, 200);
  w->wait_idle();
  f.clock.set(kT0 + 2min);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 3);
  CHECK(text_of(f.http.request(2)) == "A:r2");
  f.http.answer(2, 200);
  w->wait_idle();
}

TEST_CASE("outbox: a send whose outcome was never recorded is sent again by the next worker") {
  Fixture f;
  f.enqueue({item("A", "1"), item("A", "2")});
  // The first worker sends, the platform answers, and the process dies before the outcome is
  // written: the delivery record never commits.
  auto& crashing = f.open_store<HookedStore>(f.store);
  crashing.lose_deliveries = 1000;
  auto first = f.worker(routes(), &crashing);
  CHECK(f.pump(*first).started == 1);
  f.http.answer(0, 200);
  first->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::pending);
  CHECK(f.row(1).attempts == 0);
  // A restart: a new store on the same file and a new worker.
  auto& reopened = f.open_store<SqliteStore>(SqliteStoreOptions{f.dir.file("outbox.db")});
  auto second = f.worker(routes(), &reopened);
  CHECK(f.pump(*second).started == 1);
  REQUIRE(f.http.count() == 2);
  CHECK(f.http.request(1).body == f.http.request(0).body);  // the same message again, A:2 waits
  f.http.answer(1, 200);
  second->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);
  CHECK(f.pump(*second).started == 1);
  CHECK(text_of(f.http.request(2)) == "A:2");
  f.http.answer(2, 200);
  second->wait_idle();
}

TEST_CASE("outbox: an outcome the store failed to record is recorded again, not sent again") {
  Fixture f;
  f.enqueue({item("A", "1"), item("A", "2")});
  auto& flaky = f.open_store<HookedStore>(f.store);
  flaky.lose_deliveries = 1;
  auto w = f.worker(routes(), &flaky);
  f.pump(*w);
  f.http.answer(0, 200);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::pending);  // the store refused the record
  CHECK(f.pump(*w).started == 0);                   // the platform has A:1: not sent again
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);  // recorded on the second try
  CHECK(f.row(1).attempts == 1);
  CHECK(f.http.count() == 1);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(1)) == "A:2");
  f.http.answer(1, 200);
  w->wait_idle();
  CHECK(f.row(2).status == OutboxStatus::sent);
}

TEST_CASE("outbox: an answer recorded while a pass reads the outbox is not sent twice") {
  Fixture f;
  f.enqueue({item("A", "1"), item("A", "2")});
  auto& store = f.open_store<HookedStore>(f.store);
  auto w = f.worker(routes(), &store);
  CHECK(f.pump(*w).started == 1);
  // The next pass reads A:1 as pending; before it goes on, A:1's answer arrives and is recorded.
  store.after_list_outbox = [&] {
    f.http.answer(0, 200);
    w->wait_idle();
  };
  f.pump(*w);
  REQUIRE(f.http.count() == 1);  // A:1 is not sent a second time
  CHECK(f.row(1).status == OutboxStatus::sent);
  CHECK(f.row(1).attempts == 1);
  CHECK(f.pump(*w).started == 1);  // the next pass sends A:2
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(1)) == "A:2");
  f.http.answer(1, 200);
  w->wait_idle();
  CHECK(f.row(2).status == OutboxStatus::sent);
}

namespace {

// An adapter whose render throws for one text: a message it cannot turn into a request.
class PickyAdapter final : public ChatAdapter {
 public:
  explicit PickyAdapter(std::shared_ptr<const ChatAdapter> inner) : inner_(std::move(inner)) {}
  std::string adapter_name() const override { return "picky"; }
  VerifyResult verify(const HttpRequest& r, Timestamp now) const override { return inner_->verify(r, now); }
  ParseOutcome parse(const HttpRequest& r) const override { return inner_->parse(r); }
  HttpAnswer sync_reply(const InboundMessage& m, const std::string& reply) const override {
    return inner_->sync_reply(m, reply);
  }
  OutboundRequest render(const OutboundMessage& m, Timestamp now) const override {
    if (m.text == "unrenderable") throw std::invalid_argument("text too long for the platform");
    return inner_->render(m, now);
  }
  DeliveryResult interpret(const HttpResponse& r) const override {
    if (r.body == "garbled") throw std::runtime_error("unexpected answer shape");
    return inner_->interpret(r);
  }
  RateLimit rate_limit() const override { return inner_->rate_limit(); }

 private:
  std::shared_ptr<const ChatAdapter> inner_;
};

}  // namespace

TEST_CASE("outbox: a message the adapter cannot render is dead, and its group goes on") {
  Fixture f;
  f.enqueue({item("A", "unrenderable"), item("A", "next")});
  auto r = routes();
  r["hooks"].adapter = std::make_shared<PickyAdapter>(r["hooks"].adapter);
  auto w = f.worker(r);
  CHECK(f.pump(*w).started == 0);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::dead);
  CHECK(contains(f.row(1).last_error, "text too long for the platform"));
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 1);
  CHECK(text_of(f.http.request(0)) == "A:next");
  f.http.answer(0, 200);
  w->wait_idle();
}

TEST_CASE("outbox: an answer the adapter cannot read is a failure to retry, and its group goes on") {
  Fixture f;
  f.enqueue({item("A", "1")});
  auto r = routes();
  r["hooks"].adapter = std::make_shared<PickyAdapter>(r["hooks"].adapter);
  auto w = f.worker(r);
  CHECK(f.pump(*w).started == 1);
  f.http.answer(0, 200, "garbled");
  w->wait_idle();  // returns: the destination is not left in flight
  CHECK(f.row(1).status == OutboxStatus::pending);
  CHECK(f.row(1).attempts == 1);
  CHECK(contains(f.row(1).last_error, "could not read the answer: unexpected answer shape"));
}

TEST_CASE("outbox: the driver thread delivers what is enqueued after wake(), and retries on its own") {
  Fixture f;
  auto w = f.worker();
  w->start();
  f.enqueue({item("A", "1")});
  w->wake();
  REQUIRE(f.http.wait_for_count(1, 5s));
  f.http.answer(0, 500);
  REQUIRE(eventually([&] { return f.row(1).attempts == 1; }));
  CHECK(f.row(1).next_attempt_at == kT0 + 2s);
  f.clock.set(kT0 + 2s);  // the backoff is over: the driver sends again without being woken
  REQUIRE(f.http.wait_for_count(2, 5s));
  f.http.answer(1, 200);
  REQUIRE(eventually([&] { return f.row(1).status == OutboxStatus::sent; }));
  w->stop();
  f.enqueue({item("A", "2")});
  w->wake();
  std::this_thread::sleep_for(300ms);  // longer than the driver's 200 ms poll: it is stopped
  CHECK(f.http.count() == 2);
  w->start();
  REQUIRE(f.http.wait_for_count(3, 5s));
  f.http.answer(2, 200);
  REQUIRE(eventually([&] { return f.row(2).status == OutboxStatus::sent; }));
}

TEST_CASE("outbox: retry_delay doubles from first_retry, caps at max_retry, and honours the platform") {
  OutboxSettings s;
  s.first_retry = 2s;
  s.max_retry = 10min;
  CHECK(retry_delay(s, 1, std::nullopt, 1.0) == 2s);
  CHECK(retry_delay(s, 2, std::nullopt, 1.0) == 4s);
  CHECK(retry_delay(s, 5, std::nullopt, 1.0) == 32s);
  CHECK(retry_delay(s, 12, std::nullopt, 1.0) == 10min);
  CHECK(retry_delay(s, 1000, std::nullopt, 1.0) == 10min);
  CHECK(retry_delay(s, 1, std::nullopt, 1.2) == 2400ms);
  CHECK(retry_delay(s, 3, 90s, 1.2) == 90s);
  for (int i = 0; i < 100; ++i) {
    const double j = random_jitter();
    CHECK(j >= 0.8);
    CHECK(j < 1.2);
  }
}

namespace {

// Opens ticket #1 in the fixture's store and returns it.
Ticket open_ticket(Fixture& f) {
  const Ticket draft = ticket_draft("DB down", 1, f.clock.now(), 15min);
  WriteContext context{"u", "U", "hooks:acme", f.clock.now(), std::nullopt, std::nullopt};
  const auto outcome = wait_for([&](WriteDone done) {
    f.store.open_ticket(
        draft, context, [](const Ticket&) { return std::string("opened"); }, std::move(done));
  });
  REQUIRE(outcome.kind == WriteOutcome::Kind::applied);
  return *outcome.ticket;
}

// Changes ticket #1 as `change` says, as a command or a fired stage would.
void change_ticket(Fixture& f, std::function<void(Ticket&)> change) {
  WriteContext context{"u", "U", "hooks:acme", f.clock.now(), std::nullopt, std::nullopt};
  const auto outcome = wait_for([&](WriteDone done) {
    f.store.update_ticket(
        1, "", context,
        [change](Ticket& t) -> Decision {
          change(t);
          return Change{"changed", "", "", {}};
        },
        std::move(done));
  });
  REQUIRE(outcome.kind == WriteOutcome::Kind::applied);
}

OutboxItem stage_notice(const std::string& text, int stage, Timestamp clock = kT0) {
  OutboxItem i = item("acme", text, Lane::urgent);
  i.ticket_id = 1;
  i.stage = stage;
  i.stage_clock = clock;
  return i;
}

}  // namespace

TEST_CASE("outbox: a warning whose ticket was acknowledged meanwhile is superseded, not sent late") {
  Fixture f;
  open_ticket(f);
  change_ticket(f, [](Ticket& t) { t.sla_stage = 500; });
  f.enqueue({stage_notice("7m30s left", 500)});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 503);  // the platform is down when it first goes
  w->wait_idle();
  change_ticket(f, [&](Ticket& t) {
    t.state = TicketState::acknowledged;
    t.acked_at = f.clock.now();
  });
  f.clock.advance(1min);
  CHECK(f.pump(*w).started == 0);
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::superseded);
  CHECK(row.last_error == "superseded: #1 is acknowledged now");
  CHECK(f.http.count() == 1);
  CHECK(f.store.count_outbox(OutboxQuery::dead) == 0);
  CHECK(f.store.count_outbox(OutboxQuery::superseded) == 1);
}

TEST_CASE("outbox: a warning superseded by a later stage goes at once, even in its backoff, and the breach goes") {
  Fixture f;
  open_ticket(f);
  change_ticket(f, [](Ticket& t) { t.sla_stage = 500; });  // as the stage fired, with its notice
  f.enqueue({stage_notice("7m30s left", 500)});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 503);
  w->wait_idle();
  REQUIRE(f.row(1).next_attempt_at > f.clock.now());
  // The breach fires while the warning waits for its retry.
  change_ticket(f, [](Ticket& t) { t.sla_stage = kBreachStage; });
  f.enqueue({stage_notice("breached", kBreachStage)});
  f.pump(*w);  // supersedes the warning; the breach is next in line
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::superseded);
  CHECK(f.row(1).last_error == "superseded: #1 reached breach");
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 2);
  CHECK(text_of(f.http.request(1)) == "acme:breached");
  f.http.answer(1, 200);
  w->wait_idle();
  CHECK(f.row(2).status == OutboxStatus::sent);
}

TEST_CASE("outbox: a breach notice still goes after its ticket was acknowledged: the breach happened") {
  Fixture f;
  open_ticket(f);
  change_ticket(f, [](Ticket& t) { t.sla_stage = kBreachStage; });
  f.enqueue({stage_notice("breached", kBreachStage)});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 503);
  w->wait_idle();
  change_ticket(f, [&](Ticket& t) {
    t.state = TicketState::acknowledged;
    t.acked_at = f.clock.now();
  });
  f.clock.advance(1min);
  CHECK(f.pump(*w).started == 1);
  f.http.answer(1, 200);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);
}

TEST_CASE("outbox: a warning of a clock that a reopen replaced is superseded, also when retried from the dead") {
  Fixture f;
  f.settings.max_attempts = 1;
  open_ticket(f);
  change_ticket(f, [](Ticket& t) { t.sla_stage = 500; });
  f.enqueue({stage_notice("7m30s left", 500)});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 400);  // dead
  w->wait_idle();
  REQUIRE(f.row(1).status == OutboxStatus::dead);
  // Reopened later: a new clock, which has reached its own 50% warning.
  f.clock.advance(1h);
  change_ticket(f, [&](Ticket& t) {
    t.clock_started_at = f.clock.now();
    t.sla_stage = 500;
  });
  REQUIRE(wait_for([&](WriteDone done) { f.store.retry_dead(1, f.clock.now(), std::move(done)); }).kind ==
          WriteOutcome::Kind::applied);
  CHECK(f.pump(*w).started == 0);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::superseded);
  CHECK(f.row(1).last_error == "superseded: #1's clock restarted");
}

TEST_CASE("outbox: a send the client gave up on at shutdown counts for nothing and goes first next time") {
  Fixture f;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  HttpResponse stopped;
  stopped.failure = TransportFailure::stopped;
  stopped.body = "client stopped";
  f.http.answer(0, stopped);
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 0);
  CHECK(row.last_error.empty());
  CHECK(row.next_attempt_at == kT0);
}

TEST_CASE("outbox: a retried dead letter goes back to its place, before what its group queued after it") {
  Fixture f;
  f.settings.max_attempts = 1;
  f.enqueue({item("acme", "first")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 400);  // refused once: dead (max_attempts 1)
  w->wait_idle();
  REQUIRE(f.row(1).status == OutboxStatus::dead);
  f.enqueue({item("acme", "second"), item("acme", "third")});
  f.pump(*w);
  f.http.answer(1, 503);  // the platform goes down: "second" waits
  w->wait_idle();
  REQUIRE(wait_for([&](WriteDone done) { f.store.retry_dead(1, f.clock.now(), std::move(done)); }).kind ==
          WriteOutcome::Kind::applied);
  f.clock.advance(1min);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 3);
  CHECK(text_of(f.http.request(2)) == "acme:first");  // ahead of "second", as queued
  f.http.answer(2, 200);
  w->wait_idle();
  f.pump(*w);
  REQUIRE(f.http.count() == 4);
  CHECK(text_of(f.http.request(3)) == "acme:second");
  f.http.answer(3, 200);
  w->wait_idle();
}

TEST_CASE("outbox: every request carries the message's stable id; a resend carries the same one") {
  Fixture f;
  f.enqueue({item("acme", "hello")});
  auto w = f.worker();
  f.pump(*w);
  f.http.answer(0, 503);
  w->wait_idle();
  f.clock.advance(1min);
  f.pump(*w);
  f.http.answer(1, 200);
  w->wait_idle();
  REQUIRE(f.http.count() == 2);
  const std::string id = outbox_message_id("hooks/acme/hello");
  CHECK(id.size() == 36);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& request = f.http.request(i);
    CHECK(request.headers.at("X-Slabot-Message-Id") == id);
    CHECK(nlohmann::json::parse(request.body).at("message_id") == id);
  }
  CHECK(outbox_message_id("hooks/acme/other") != id);
}

namespace {
class ThrowingHttpClient final : public HttpClient {
 public:
  void send(OutboundRequest, std::function<void(HttpResponse)>) override {
    throw std::runtime_error("no sockets left");
  }
};
}  // namespace

TEST_CASE("outbox: a client that throws is a failure to retry, and the destination is not left in flight") {
  Fixture f;
  f.enqueue({item("acme", "hello")});
  ThrowingHttpClient broken;
  OutboxWorker w(f.store, f.clock, broken, routes(), f.settings, [] { return 1.0; });
  CHECK(w.pump(f.clock.now()).started == 0);
  w.wait_idle();  // returns: nothing is left in flight
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 1);
  CHECK(row.last_error == "internal error: no sockets left");
  f.clock.set(row.next_attempt_at);
  CHECK(w.pump(f.clock.now()).started == 0);  // tried again when due
  w.wait_idle();
  CHECK(f.row(1).attempts == 2);
}

TEST_CASE(
    "outbox: after reconfigure the next pass sends through the new route with the new settings; a send in "
    "flight finishes as it began") {
  Fixture f;
  f.settings.max_attempts = 3;
  f.enqueue({item("acme", "before")});
  auto w = f.worker();
  REQUIRE(f.pump(*w).started == 1);
  CHECK(f.http.request(0).url == "https://chat.example/out");

  // A reload moves the connection's webhook and lets one refusal kill a message.
  auto moved = routes();
  moved["hooks"].adapter = adapter("generic", {{"secret", "s"}}, "https://chat.example/moved");
  OutboxSettings strict = f.settings;
  strict.max_attempts = 1;
  w->reconfigure(std::move(moved), strict);

  f.http.answer(0, 400);  // the send begun before: judged by the settings it began with
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::pending);
  CHECK(f.row(1).refusals == 1);

  f.enqueue({item("globex", "after")});
  f.clock.advance(1h);  // past the first message's backoff too
  REQUIRE(f.pump(*w).started == 2);
  for (std::size_t i = 1; i <= 2; ++i) CHECK(f.http.request(i).url == "https://chat.example/moved");
  f.http.answer(1, 400);
  f.http.answer(2, 400);
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::dead);  // two refusals, over the new max of one
  CHECK(f.row(2).status == OutboxStatus::dead);  // one refusal: the new max
  CHECK(contains(f.row(2).last_error, "refused 1 times, outbox.max_attempts"));
}

namespace {

// A Lark connection with the app's credentials: a message with buttons needs a tenant access
// token (ChatAdapter::credential_request) before it can go.
std::map<std::string, OutboxRoute> lark_app_route() {
  return {
      {"lark",
       {adapter("lark", {{"verification_token", "v"}, {"app_id", "cli_outbox"}, {"app_secret", "outbox-app-secret"}},
                "https://open.feishu.example/open-apis/bot/v2/hook/x"),
        {}}}};
}

OutboxItem lark_card_item() {
  OutboxItem i = item("oc_group", "#1 breached", Lane::urgent, "lark");
  i.message.actions = {{ActionKind::ack, 1}};
  return i;
}

const std::string kLarkToken = R"({"code":0,"msg":"ok","tenant_access_token":"t-outbox","expire":7200})";

}  // namespace

TEST_CASE("outbox: a credential the adapter needs is fetched in the message's place, then the message goes") {
  Fixture f;
  f.enqueue({lark_card_item()});
  auto w = f.worker(lark_app_route());
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 1);
  CHECK(f.http.request(0).url == "https://open.feishu.example/open-apis/auth/v3/tenant_access_token/internal");

  // The token endpoint failing is the message's failure: pending, an attempt, its backoff.
  f.http.answer(0, 503);
  w->wait_idle();
  auto row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 1);
  CHECK(row.last_error == "credential: HTTP 503");

  f.clock.set(row.next_attempt_at);
  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 2);
  f.http.answer(1, 200, kLarkToken);
  w->wait_idle();
  row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);  // the token is no delivery, and no attempt
  CHECK(row.attempts == 1);

  CHECK(f.pump(*w).started == 1);
  REQUIRE(f.http.count() == 3);
  const auto card = f.http.request(2);
  CHECK(card.url == "https://open.feishu.example/open-apis/im/v1/messages?receive_id_type=chat_id");
  CHECK(card.headers.at("Authorization") == "Bearer t-outbox");
  f.http.answer(2, 200, R"({"code":0,"msg":"success"})");
  w->wait_idle();
  CHECK(f.row(1).status == OutboxStatus::sent);
  CHECK(f.row(1).attempts == 2);
}

TEST_CASE("outbox: a credential fetch cut short by shutdown holds nothing against the message") {
  Fixture f;
  f.enqueue({lark_card_item()});
  auto w = f.worker(lark_app_route());
  f.pump(*w);
  REQUIRE(f.http.count() == 1);
  HttpResponse stopped;
  stopped.failure = TransportFailure::stopped;
  f.http.answer(0, stopped);
  w->wait_idle();
  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 0);
}
