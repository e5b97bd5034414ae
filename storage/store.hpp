#pragma once
// The Store interface: everything the bot keeps. SQLite implements it (sqlite_store.hpp); a
// PostgreSQL one can follow behind the same calls.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/duty.hpp"
#include "domain/outbox_item.hpp"
#include "domain/tenant_activity.hpp"
#include "domain/ticket.hpp"

namespace slabot {

// A platform event already handled, for deduplication. The chat is part of the key: some
// platforms number messages per chat, and one group must never see another's answer.
struct EventKey {
  std::string connection;
  std::string chat_id;
  std::string event_id;
};

// Who made a change, when and from where; the activity row is built from it.
struct WriteContext {
  std::string actor_id;
  std::string actor_name;
  std::string channel;  // "<connection>:<chat id>"
  Timestamp at{};
  std::optional<EventKey> event;  // recorded with the change, so a replay changes nothing
  // When set, the change's reply is also queued in the outbox, in the same transaction, as this
  // message (its text is filled in): for platforms that take answers only as outbound messages.
  std::optional<OutboxItem> reply_message;
  bool internal = false;        // written in the support side's channel: partners never see it
  std::string not_found_reply;  // the answer when the ticket is not in scope ("no ticket #N here")
};

// A decision taken against the ticket as it is at write time (compare-and-set): either change
// it (the mutator edited the ticket in place) and log one activity row, or refuse. A decision
// (Mutator, LedgerMutator) may run more than once for one write, when another write in its batch
// must be undone (group_commit.hpp): only its last run counts, so it changes nothing outside what
// it returns, or only what its last run overwrites.
struct Change {
  std::string action;  // activity verb: "acknowledged", "assigned", ...
  std::string detail;
  std::string reply;
  std::vector<OutboxItem> messages;  // queued in the same transaction as the change
};
struct Refusal {
  std::string reply;  // "#12 is already acknowledged by Alice"
};
using Decision = std::variant<Change, Refusal>;
using Mutator = std::function<Decision(Ticket&)>;

// What a decision about a tenant's entitlements reads, on the writer thread, inside its own
// transaction: counted so, two requests at once cannot both take the last of a quota.
class Ledger {
 public:
  virtual ~Ledger() = default;
  // The tenant's log rows with `action` at or after `since`, oldest first.
  virtual std::vector<TenantActivity> tenant_rows(const std::string& tenant_id, const std::string& action,
                                                  Timestamp since) = 0;
  // The activity rows with `action` on the tenant's tickets, at or after `since`, oldest first.
  virtual std::vector<Activity> ticket_rows(const std::string& tenant_id, const std::string& action,
                                            Timestamp since) = 0;
};

// A ledger decision's change: rows for the tenant's log (their who, when and where from the
// WriteContext), optionally a change of the ticket the write names (edited in place, with its
// activity row), and messages, all in one transaction.
struct LedgerChange {
  std::string reply;
  std::vector<TenantActivity> tenant_rows;  // action and detail; the rest is filled in
  std::optional<Change> ticket_change;      // its reply is unused: `reply` is the answer
  std::vector<OutboxItem> messages;
};
using LedgerDecision = std::variant<LedgerChange, Refusal>;
// `ticket` is the ticket the write names (in scope), or null when it names none.
using LedgerMutator = std::function<LedgerDecision(Ticket* ticket, Ledger& ledger)>;

struct WriteOutcome {
  enum class Kind {
    applied,    // stored durably; `reply` is the change's reply
    refused,    // the mutator refused; nothing stored
    not_found,  // no such ticket in the scope
    duplicate,  // the event was handled before; `reply` is the answer given then
    failed,     // storage error; nothing stored
  };
  Kind kind = Kind::failed;
  std::string reply;
  std::optional<Ticket> ticket;  // the ticket after an applied change
  // The write queued outbox messages (its answer, notices, a dead one again): the outbox has
  // something to send.
  bool queued_messages = false;
  // A duplicate whose first handling was applied (a tap that acted then): answered as it was.
  bool applied_before = false;
};
using WriteDone = std::function<void(WriteOutcome)>;

enum class TicketOrder {
  severity,      // most severe first, then oldest
  response_due,  // earliest response deadline first (the overdue ones lead)
};

struct TicketQuery {
  std::string tenant_id;            // empty: every tenant
  std::vector<TicketState> states;  // empty: every state
  int severity = 0;                 // 0: every severity
  std::string opened_by_id;         // empty: anyone
  std::string assignee_id;          // empty: anyone
  int limit = 20;
  TicketOrder order = TicketOrder::severity;
};

enum class OutboxQuery { pending, dead, superseded, all };

// How many active tickets (open or acknowledged) share a tenant, a severity and a state.
struct TicketTally {
  std::string tenant_id;
  int severity = 0;
  TicketState state = TicketState::open;
  std::size_t count = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Reads. `tenant_scope` empty means every tenant (the support side).
  virtual std::optional<Ticket> find_ticket(TicketId id, const std::string& tenant_scope) = 0;
  virtual std::vector<Ticket> list_tickets(const TicketQuery& query) = 0;
  virtual std::size_t count_tickets(const TicketQuery& query) = 0;
  // Every active ticket, counted by tenant, severity and state (one grouped query: /metrics).
  virtual std::vector<TicketTally> tally_active_tickets() = 0;
  // The newest `limit` activity rows of a ticket, oldest first; rows written in the support
  // side's channel only when `include_internal`.
  virtual std::vector<Activity> timeline(TicketId id, int limit, bool include_internal = true) = 0;
  // How many activity rows timeline() could return with no limit.
  virtual std::size_t count_timeline(TicketId id, bool include_internal = true) = 0;
  // The reply given when this event was handled, if it was.
  virtual std::optional<std::string> processed_reply(const EventKey& key) = 0;
  // True when the database answers.
  virtual bool healthy() = 0;

  // The tenant's log rows (every tenant's when `tenant_id` is empty) with `action` (any when
  // empty) at or after `since`, oldest first.
  virtual std::vector<TenantActivity> tenant_log(const std::string& tenant_id, const std::string& action,
                                                 Timestamp since) = 0;
  // Activity rows with `action` on the tenant's tickets at or after `since`, oldest first.
  virtual std::vector<Activity> tenant_ticket_actions(const std::string& tenant_id, const std::string& action,
                                                      Timestamp since) = 0;

  // Every ticket whose response clock runs (open, never acknowledged since its clock started),
  // streamed to `visit` in id order: what the SLA scheduler loads at start.
  virtual void for_each_running_clock(const std::function<void(const Ticket&)>& visit) = 0;

  // Outbox reads: pending messages due at `now`, oldest first; the earliest pending attempt.
  virtual std::vector<OutboxRow> due_outbox(Timestamp now, int limit) = 0;
  virtual std::optional<Timestamp> next_outbox_attempt() = 0;
  virtual std::vector<OutboxRow> list_outbox(OutboxQuery query, int limit) = 0;
  // The head of each lane of each destination (connection, chat_id, url): its oldest pending
  // row, due or not; at most `limit` heads, oldest first. What the outbox worker may send next,
  // however long any one destination's backlog is.
  virtual std::vector<OutboxRow> outbox_heads(int limit) = 0;
  virtual std::size_t count_outbox(OutboxQuery query) = 0;

  // Each staff member's latest duty hand-over: what the duty roster starts from.
  virtual std::vector<DutyChange> latest_duty() = 0;

  // Writes. Each is durable before `done` runs (possibly on another thread); concurrent writes
  // may share one transaction (group commit), but each succeeds or fails on its own.

  // Stores `draft` as a new ticket with the next id and an "opened" activity row. `reply` may
  // run more than once, as a decision may (above): only its last run counts.
  virtual void open_ticket(Ticket draft, WriteContext context, std::function<std::string(const Ticket&)> reply,
                           WriteDone done) = 0;

  // Runs `decide` on ticket `id` (within `tenant_scope`) and stores what it decided.
  virtual void update_ticket(TicketId id, std::string tenant_scope, WriteContext context, Mutator decide,
                             WriteDone done) = 0;

  // Runs `decide` with the ledger (and ticket `id` within `tenant_scope`, when `id` is not 0) and
  // stores what it decided; a replayed event gets its first answer, as update_ticket does.
  virtual void write_ledger(TicketId id, std::string tenant_scope, WriteContext context, LedgerMutator decide,
                            WriteDone done) = 0;

  // Queues messages that go with no ticket change (an answer to a read-only command).
  virtual void enqueue(std::vector<OutboxItem> items, Timestamp now, WriteDone done) = 0;

  // Records what a delivery attempt of outbox row `id` came to.
  virtual void record_delivery(std::int64_t id, DeliveryUpdate update, WriteDone done) = 0;

  // Puts a dead message back in line, as new (no attempts, no error, its age counted from
  // `now`); not_found unless `id` is dead.
  virtual void retry_dead(std::int64_t id, Timestamp now, WriteDone done) = 0;

  // Appends a duty hand-over typed by `context`'s actor; `reply` is its answer, which a second
  // delivery of the same event gets again, changing nothing.
  virtual void record_duty(DutyChange change, WriteContext context, std::string reply, WriteDone done) = 0;

  // Records the monthly report of `period` ("2026-11") as posted to `tenant_id` and queues its
  // messages, in one transaction: applied, or duplicate (and nothing queued) when it was posted
  // before. Stores that keep no reports answer failed.
  virtual void post_report(std::string tenant_id, std::string period, std::vector<OutboxItem> items, Timestamp now,
                           WriteDone done) {
    (void)tenant_id, (void)period, (void)items, (void)now;
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, std::nullopt});
  }

  // Where a polling stream connection resumes (Telegram: the getUpdates offset past the last
  // update whose answer is durable), or nullopt when it never saved one. Stores that keep no
  // cursors have none, and refuse to save one (failed).
  virtual std::optional<std::int64_t> stream_cursor(const std::string& connection) {
    (void)connection;
    return std::nullopt;
  }
  // Saves the connection's cursor (replacing the one before), durable before `done` runs.
  virtual void save_stream_cursor(std::string connection, std::int64_t cursor, Timestamp now, WriteDone done) {
    (void)connection, (void)cursor, (void)now;
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, std::nullopt});
  }

  // Forgets at most `limit` platform events handled before `before` (the oldest first): their
  // retries are long over, and the table would otherwise grow forever. `done` gets how many went
  // (0 also when the write failed).
  virtual void prune_processed_events(Timestamp before, int limit, std::function<void(std::size_t)> done) = 0;
};

}  // namespace slabot
