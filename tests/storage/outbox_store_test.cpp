#include <catch2/catch.hpp>

#include <map>

#include "storage/sqlite_store.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using testing::TempDir;
using testing::wait_for;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

OutboxItem item(const std::string& key, const std::string& text, Lane lane = Lane::routine) {
  return OutboxItem{OutboundMessage{"hooks", "acme-7x24", text, {{"u-erin", "Erin"}}, ""}, lane, key};
}

Ticket draft() {
  Ticket t;
  t.tenant_id = "acme";
  t.title = "x";
  t.severity = 1;
  t.opened_by_id = "p";
  t.opened_by_name = "Pat";
  t.opened_at = t.clock_started_at = t.updated_at = kT0;
  t.response_due_at = kT0 + 15min;
  return t;
}

}  // namespace

TEST_CASE("outbox: messages queue in the change's transaction and are due at once") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  wait_for([&](WriteDone done) {
    store.open_ticket(
        draft(), {"p", "Pat", "c", kT0, std::nullopt, std::nullopt},
        [](const Ticket&) { return std::string("opened"); }, std::move(done));
  });
  auto outcome = wait_for([&](WriteDone done) {
    store.update_ticket(
        1, "", {"slabot", "slabot", "sla", kT0 + 15min, std::nullopt, std::nullopt},
        [](Ticket& t) -> Decision {
          t.sla_stage = 1000;
          return Change{"breach", "", "", {item("k1", "#1 breached", Lane::urgent)}};
        },
        std::move(done));
  });
  REQUIRE(outcome.kind == WriteOutcome::Kind::applied);
  CHECK(store.find_ticket(1, "")->sla_stage == 1000);
  auto due = store.due_outbox(kT0 + 15min, 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].item.message.text == "#1 breached");
  CHECK(due[0].item.lane == Lane::urgent);
  CHECK(due[0].item.message.mentions.at(0).name == "Erin");
  CHECK(due[0].status == OutboxStatus::pending);
  CHECK(store.next_outbox_attempt() == kT0 + 15min);
}

TEST_CASE("outbox: a refused change queues nothing; a repeated idempotency key queues once") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  wait_for([&](WriteDone done) {
    store.open_ticket(
        draft(), {"p", "Pat", "c", kT0, std::nullopt, std::nullopt},
        [](const Ticket&) { return std::string("opened"); }, std::move(done));
  });
  wait_for([&](WriteDone done) {
    store.update_ticket(
        1, "", {"s", "s", "c", kT0, std::nullopt, std::nullopt}, [](Ticket&) -> Decision { return Refusal{"no"}; },
        std::move(done));
  });
  CHECK(store.count_outbox(OutboxQuery::all) == 0);
  wait_for([&](WriteDone done) { store.enqueue({item("same", "a"), item("same", "b")}, kT0, std::move(done)); });
  auto rows = store.list_outbox(OutboxQuery::all, 10);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].item.message.text == "a");
}

TEST_CASE("outbox: a reply routed through the outbox is queued with the change") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  WriteContext context{"p", "Pat", "c", kT0, EventKey{"hooks", "acme", "e1"}, item("reply:hooks:e1", "")};
  wait_for([&](WriteDone done) {
    store.open_ticket(
        draft(), context, [](const Ticket& t) { return "#" + std::to_string(t.id) + " opened"; }, std::move(done));
  });
  auto rows = store.list_outbox(OutboxQuery::pending, 10);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].item.message.text == "#1 opened");
}

TEST_CASE("outbox: delivery outcomes are recorded; dead messages can be put back in line") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  wait_for([&](WriteDone done) { store.enqueue({item("a", "first"), item("b", "second")}, kT0, std::move(done)); });
  auto due = store.due_outbox(kT0, 10);
  REQUIRE(due.size() == 2);
  wait_for([&](WriteDone done) {
    store.record_delivery(due[0].id, {OutboxStatus::sent, 1, kT0, ""}, std::move(done));
  });
  wait_for([&](WriteDone done) {
    store.record_delivery(due[1].id, {OutboxStatus::pending, 1, kT0 + 30s, "HTTP 500"}, std::move(done));
  });
  CHECK(store.due_outbox(kT0 + 10s, 10).empty());
  CHECK(store.next_outbox_attempt() == kT0 + 30s);
  CHECK(store.due_outbox(kT0 + 30s, 10).at(0).last_error == "HTTP 500");
  wait_for([&](WriteDone done) {
    store.record_delivery(due[1].id, {OutboxStatus::dead, 9, kT0 + 30s, "HTTP 404"}, std::move(done));
  });
  CHECK(store.count_outbox(OutboxQuery::dead) == 1);
  CHECK(store.count_outbox(OutboxQuery::pending) == 0);
  CHECK_FALSE(store.next_outbox_attempt().has_value());
  auto missing = wait_for([&](WriteDone done) { store.retry_dead(due[0].id, kT0 + 1h, std::move(done)); });
  CHECK(missing.kind == WriteOutcome::Kind::not_found);  // sent, not dead
  CHECK_FALSE(missing.queued_messages);
  auto revived = wait_for([&](WriteDone done) { store.retry_dead(due[1].id, kT0 + 1h, std::move(done)); });
  CHECK(revived.kind == WriteOutcome::Kind::applied);
  CHECK(revived.queued_messages);  // what wakes the outbox (CommandService::announce)
  auto again = store.due_outbox(kT0 + 1h, 10);
  REQUIRE(again.size() == 1);
  CHECK(again[0].attempts == 0);
  CHECK(again[0].last_error.empty());
}

TEST_CASE("outbox: a retried dead message is queued anew, its age counted from the retry") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  wait_for([&](WriteDone done) { store.enqueue({item("a", "old news")}, kT0, std::move(done)); });
  const auto id = store.due_outbox(kT0, 10).at(0).id;
  wait_for([&](WriteDone done) {
    store.record_delivery(id, {OutboxStatus::dead, 4, kT0 + 2h, "HTTP 502 (gave up after 4 attempts)"},
                          std::move(done));
  });
  const Timestamp retried_at = kT0 + 3h;
  auto revived = wait_for([&](WriteDone done) { store.retry_dead(id, retried_at, std::move(done)); });
  REQUIRE(revived.kind == WriteOutcome::Kind::applied);
  const auto again = store.due_outbox(retried_at, 10);
  REQUIRE(again.size() == 1);
  // Its first failure after the retry must not find it older than outbox.max_age already.
  CHECK(again[0].created_at == retried_at);
  CHECK(again[0].next_attempt_at == retried_at);
}

TEST_CASE("outbox: the heads are each destination's oldest pending row per lane, oldest first") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  const auto to = [](const std::string& chat, const std::string& url, const std::string& key, Lane lane) {
    return OutboxItem{OutboundMessage{"hooks", chat, key, {}, url}, lane, key};
  };
  wait_for([&](WriteDone done) {
    store.enqueue({to("A", "", "a1", Lane::routine), to("A", "", "a2", Lane::routine), to("A", "", "a3", Lane::urgent),
                   to("A", "https://other", "a4", Lane::routine), to("B", "", "b1", Lane::routine),
                   to("B", "", "b2", Lane::routine)},
                  kT0, std::move(done));
  });
  // a1 was sent and b1 is waiting out a backoff: a2 leads A's routine lane, b1 still leads B's.
  wait_for([&](WriteDone done) { store.record_delivery(1, {OutboxStatus::sent, 1, kT0, ""}, std::move(done)); });
  wait_for([&](WriteDone done) {
    store.record_delivery(5, {OutboxStatus::pending, 1, kT0 + 1h, "HTTP 500"}, std::move(done));
  });
  std::vector<std::string> heads;
  for (const auto& row : store.outbox_heads(10)) heads.push_back(row.item.idempotency_key);
  CHECK(heads == std::vector<std::string>{"a2", "a3", "a4", "b1"});
  CHECK(store.outbox_heads(2).size() == 2);
  CHECK(store.outbox_heads(2).back().item.idempotency_key == "a3");
}

TEST_CASE("running clocks are the open, unacknowledged tickets") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  for (int i = 0; i < 3; ++i) {
    wait_for([&](WriteDone done) {
      store.open_ticket(
          draft(), {"p", "Pat", "c", kT0, std::nullopt, std::nullopt}, [](const Ticket&) { return std::string(); },
          std::move(done));
    });
  }
  wait_for([&](WriteDone done) {
    store.update_ticket(
        2, "", {"e", "Erin", "c", kT0, std::nullopt, std::nullopt},
        [](Ticket& t) -> Decision {
          t.state = TicketState::acknowledged;
          t.acked_at = kT0;
          return Change{"acknowledged", "", ""};
        },
        std::move(done));
  });
  std::vector<TicketId> ids;
  store.for_each_running_clock([&](const Ticket& t) { ids.push_back(t.id); });
  CHECK(ids == std::vector<TicketId>{1, 3});
}

TEST_CASE("outbox: a message's buttons and a tap's answer survive a restart of the store") {
  TempDir dir;
  OutboxItem notice = item("sla:1:breach", "#1 breached", Lane::urgent);
  notice.message.actions = {{ActionKind::ack, 1}, {ActionKind::escalate, 1}, {ActionKind::assign_to_me, 1}};
  OutboxItem answer = item("reply:hooks:tap1", "#1 acknowledged by Erin");
  answer.message.tap = Tap{{ActionKind::ack, 1}, "1795329900.000100", "cbq-7", "#1 breached", true};
  OutboxItem plain = item("plain", "hello");
  {
    SqliteStore store({dir.file("o.db")});
    wait_for([&](WriteDone done) { store.enqueue({notice, answer, plain}, kT0, std::move(done)); });
  }
  SqliteStore reopened({dir.file("o.db")});
  const auto rows = reopened.list_outbox(OutboxQuery::pending, 10);
  REQUIRE(rows.size() == 3);
  std::map<std::string, OutboundMessage> by_key;
  for (const auto& row : rows) by_key[row.item.idempotency_key] = row.item.message;
  CHECK(by_key.at("sla:1:breach").actions == notice.message.actions);
  CHECK_FALSE(by_key.at("sla:1:breach").tap);
  CHECK(by_key.at("reply:hooks:tap1").tap == answer.message.tap);
  CHECK(by_key.at("reply:hooks:tap1").actions.empty());
  CHECK(by_key.at("plain").actions.empty());
  CHECK_FALSE(by_key.at("plain").tap);
}

TEST_CASE("outbox: a tap's queued answer says whether the tap changed the ticket; an opened ticket's names it") {
  TempDir dir;
  SqliteStore store({dir.file("o.db")});
  OutboxItem opened_reply = item("reply:hooks:e1", "");
  opened_reply.message.actions = {{ActionKind::ack, 0}};  // "the ticket this change makes"
  wait_for([&](WriteDone done) {
    store.open_ticket(
        draft(), {"p", "Pat", "c", kT0, EventKey{"hooks", "acme", "e1"}, opened_reply},
        [](const Ticket& t) { return "#" + std::to_string(t.id) + " opened"; }, std::move(done));
  });
  OutboxItem tap_reply = item("reply:hooks:tap", "");
  tap_reply.message.tap = Tap{{ActionKind::ack, 1}, "m1", "", "#1 breached", false};
  auto ack = [](Ticket& t) -> Decision {
    if (t.state == TicketState::acknowledged) return Refusal{"#1 is already acknowledged"};
    t.state = TicketState::acknowledged;
    return Change{"acknowledged", "", "#1 acknowledged"};
  };
  wait_for([&](WriteDone done) {
    store.update_ticket(1, "", {"erin", "Erin", "c", kT0, EventKey{"hooks", "acme", "tap"}, tap_reply}, ack,
                        std::move(done));
  });
  tap_reply.idempotency_key = "reply:hooks:tap2";
  wait_for([&](WriteDone done) {
    store.update_ticket(1, "", {"erin", "Erin", "c", kT0, EventKey{"hooks", "acme", "tap2"}, tap_reply}, ack,
                        std::move(done));
  });
  std::map<std::string, OutboundMessage> by_key;
  for (const auto& row : store.list_outbox(OutboxQuery::pending, 10))
    by_key[row.item.idempotency_key] = row.item.message;
  REQUIRE(by_key.size() == 3);
  CHECK(by_key.at("reply:hooks:e1").actions == std::vector<MessageAction>{{ActionKind::ack, 1}});
  REQUIRE(by_key.at("reply:hooks:tap").tap);
  CHECK(by_key.at("reply:hooks:tap").tap->acted);
  CHECK(by_key.at("reply:hooks:tap").text == "#1 acknowledged");
  REQUIRE(by_key.at("reply:hooks:tap2").tap);
  CHECK_FALSE(by_key.at("reply:hooks:tap2").tap->acted);
  CHECK(by_key.at("reply:hooks:tap2").text == "#1 is already acknowledged");
}

TEST_CASE("outbox: an answer's thread survives a restart of the store; a message without one has none") {
  TempDir dir;
  OutboxItem answer = item("reply:mm:post-1", "#1 opened");
  answer.message.thread_id = "root7post";
  OutboxItem notice = item("sla:1:warn", "#1 is due soon");
  {
    SqliteStore store({dir.file("o.db")});
    REQUIRE(wait_for([&](WriteDone done) {
              store.enqueue({answer, notice}, kT0, std::move(done));
            }).kind == WriteOutcome::Kind::applied);
  }
  SqliteStore reopened({dir.file("o.db")});
  std::map<std::string, std::string> threads;
  for (const auto& row : reopened.list_outbox(OutboxQuery::pending, 10)) {
    threads[row.item.idempotency_key] = row.item.message.thread_id;
  }
  CHECK(threads == std::map<std::string, std::string>{{"reply:mm:post-1", "root7post"}, {"sla:1:warn", ""}});
}
