#include "storage/migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <iterator>
#include <string>

namespace slabot {
namespace {

// Never edit a shipped migration: add the next number instead (append an entry; the count follows).
constexpr const char* kMigrations[] = {
    // 1: tickets and their activity log.
    R"sql(
      CREATE TABLE tickets (
        id               INTEGER PRIMARY KEY,
        tenant_id        TEXT    NOT NULL,
        sub_customer     TEXT    NOT NULL DEFAULT '',
        title            TEXT    NOT NULL,
        severity         INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
        state            TEXT    NOT NULL,
        opened_by_id     TEXT    NOT NULL,
        opened_by_name   TEXT    NOT NULL,
        assignee_id      TEXT    NOT NULL DEFAULT '',
        assignee_name    TEXT    NOT NULL DEFAULT '',
        escalation_level INTEGER NOT NULL DEFAULT 0,
        opened_at        INTEGER NOT NULL,
        clock_started_at INTEGER NOT NULL,
        response_due_at  INTEGER NOT NULL,
        acked_at         INTEGER,
        acked_by_name    TEXT    NOT NULL DEFAULT '',
        resolved_at      INTEGER,
        closed_at        INTEGER,
        updated_at       INTEGER NOT NULL
      );
      CREATE INDEX tickets_by_tenant_state ON tickets (tenant_id, state, id);
      CREATE INDEX tickets_by_due ON tickets (state, response_due_at);
      CREATE TABLE activity (
        seq        INTEGER PRIMARY KEY,
        ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
        at         INTEGER NOT NULL,
        actor_id   TEXT    NOT NULL,
        actor_name TEXT    NOT NULL,
        action     TEXT    NOT NULL,
        detail     TEXT    NOT NULL,
        channel    TEXT    NOT NULL
      );
      CREATE INDEX activity_by_ticket ON activity (ticket_id, seq);
    )sql",
    // 2: platform events already handled (a replay changes nothing), and an activity log that
    // the database itself keeps append-only.
    R"sql(
      CREATE TABLE processed_events (
        connection TEXT    NOT NULL,
        chat_id    TEXT    NOT NULL,
        event_id   TEXT    NOT NULL,
        reply      TEXT    NOT NULL,
        at         INTEGER NOT NULL,
        PRIMARY KEY (connection, chat_id, event_id)
      ) WITHOUT ROWID;
      CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
        BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
      CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
        BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
    )sql",
    // 3: the SLA stage each ticket's clock has reached, and the outbox: every message the bot
    // sends is a row first, so a crash means a resend, never a loss.
    R"sql(
      ALTER TABLE tickets ADD COLUMN sla_stage INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE activity ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tickets_running_clocks ON tickets (state, acked_at, id);
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        connection      TEXT    NOT NULL,
        chat_id         TEXT    NOT NULL,
        url             TEXT    NOT NULL DEFAULT '',
        text            TEXT    NOT NULL,
        mentions        TEXT    NOT NULL DEFAULT '[]',
        lane            INTEGER NOT NULL,
        idempotency_key TEXT    NOT NULL UNIQUE,
        status          TEXT    NOT NULL DEFAULT 'pending',
        attempts        INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT    NOT NULL DEFAULT ''
      );
      CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
    )sql",
    // 4: the head of each lane of each destination, found without reading the rows queued behind
    // it (Store::outbox_heads). Pending rows only: sent ones pile up and are never looked up so.
    R"sql(
      CREATE INDEX outbox_lane_heads ON outbox (connection, chat_id, url, lane, id) WHERE status = 'pending';
    )sql",
    // 5: platform events are forgotten once their retries are long over (Store::prune_processed_events).
    R"sql(
      CREATE INDEX processed_events_by_age ON processed_events (at);
    )sql",
    // 6: what an SLA notice is about (a stale warning is superseded, not sent late), and the
    // platform's waits and refusals counted apart from failures (only refusals have a limit).
    R"sql(
      ALTER TABLE outbox ADD COLUMN ticket_id INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN stage_clock INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN waits INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 7: the group a ticket was opened in, where its notices go; older tickets read it from the
    // activity log's "opened" row (the channel it was written in), which every ticket has.
    R"sql(
      ALTER TABLE tickets ADD COLUMN origin TEXT NOT NULL DEFAULT '';
      UPDATE tickets SET origin = COALESCE(
          (SELECT channel FROM activity WHERE activity.ticket_id = tickets.id AND action = 'opened'
           ORDER BY seq LIMIT 1), '');
    )sql",
    // 8: duty hand-overs from chat (/duty on|off), append-only like the activity log; each staff
    // member's latest row is their duty now, over the config's on_duty.
    R"sql(
      CREATE TABLE duty_log (
        seq        INTEGER PRIMARY KEY,
        staff_id   TEXT    NOT NULL,
        on_duty    INTEGER NOT NULL,
        at         INTEGER NOT NULL,
        actor_id   TEXT    NOT NULL,
        actor_name TEXT    NOT NULL,
        channel    TEXT    NOT NULL
      );
      CREATE INDEX duty_log_by_staff ON duty_log (staff_id, seq);
      CREATE TRIGGER duty_log_no_update BEFORE UPDATE ON duty_log
        BEGIN SELECT RAISE(ABORT, 'the duty log is append-only'); END;
      CREATE TRIGGER duty_log_no_delete BEFORE DELETE ON duty_log
        BEGIN SELECT RAISE(ABORT, 'the duty log is append-only'); END;
    )sql",
    // 9: the monthly reports posted to tenants' groups, written with their outbox row: never twice.
    R"sql(
      CREATE TABLE report_posts (
        tenant_id TEXT    NOT NULL,
        period    TEXT    NOT NULL,
        posted_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, period)
      ) WITHOUT ROWID;
    )sql",
    // 10: what a package promises: a tenant's own append-only log (package changes, services
    // done, CTG exceptions, reminders sent), the Critical Time Guarantee on a ticket, and the
    // partner's rating of a finished one.
    R"sql(
      CREATE TABLE tenant_activity (
        seq        INTEGER PRIMARY KEY,
        tenant_id  TEXT    NOT NULL,
        at         INTEGER NOT NULL,
        actor_id   TEXT    NOT NULL,
        actor_name TEXT    NOT NULL,
        action     TEXT    NOT NULL,
        detail     TEXT    NOT NULL,
        channel    TEXT    NOT NULL
      );
      CREATE INDEX tenant_activity_by_action ON tenant_activity (tenant_id, action, at);
      CREATE TRIGGER tenant_activity_no_update BEFORE UPDATE ON tenant_activity
        BEGIN SELECT RAISE(ABORT, 'the tenant activity log is append-only'); END;
      CREATE TRIGGER tenant_activity_no_delete BEFORE DELETE ON tenant_activity
        BEGIN SELECT RAISE(ABORT, 'the tenant activity log is append-only'); END;
      ALTER TABLE tickets ADD COLUMN ctg INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tickets ADD COLUMN rating INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tickets ADD COLUMN rated_at INTEGER;
      CREATE INDEX activity_by_action ON activity (action, at);
    )sql",
    // Where each polling connection (Telegram getUpdates) resumes: the offset past the last
    // update whose answer is durable. A restart polls from it, so Telegram hands back whatever
    // was not answered yet.
    R"sql(
      CREATE TABLE stream_cursors (
        connection TEXT    PRIMARY KEY,
        cursor     INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    )sql",
    // Buttons on the bot's messages (issue 13): the actions a message carries and, for the answer
    // to a tap, the tapped message it updates; JSON, '' for a message without either.
    R"sql(
      ALTER TABLE outbox ADD COLUMN buttons TEXT NOT NULL DEFAULT '';
    )sql",
    // The thread an answer goes to (Mattermost's root post, issue 13); '' for the channel itself.
    R"sql(
      ALTER TABLE outbox ADD COLUMN thread_id TEXT NOT NULL DEFAULT '';
    )sql",
    // A tenant's active tickets, most severe first (/list, issue 10): a page is read straight
    // from this index, where before every active ticket of the tenant was read and sorted.
    // Partial, so resolved and closed tickets, most of a year's, take no room in it.
    R"sql(
      CREATE INDEX tickets_active_by_severity ON tickets (tenant_id, severity, id)
        WHERE state IN ('open', 'acknowledged');
    )sql",
    // Whether an event's first handling changed what it was about: a tap the platform delivers
    // again (its first answer lost) is answered as the first was, the tapped card updated, not with
    // its text as a refusal. Events recorded before this read as not applied.
    R"sql(
      ALTER TABLE processed_events ADD COLUMN applied INTEGER NOT NULL DEFAULT 0;
    )sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(std::size(kMigrations)); }

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

void refuse_newer(SQLite::Database& db) {
  const int current = schema_version(db);
  if (current > latest_schema_version()) {
    throw SchemaTooNew("database schema version " + std::to_string(current) +
                       " is newer than this slabot understands (" + std::to_string(latest_schema_version()) +
                       "); run a newer slabot or restore a matching backup");
  }
}

void migrate(SQLite::Database& db, int target) {
  refuse_newer(db);
  for (;;) {
    // IMMEDIATE, and the version read inside: two processes starting on one file take turns
    // instead of both applying the same migration.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    refuse_newer(db);
    const int version = schema_version(db) + 1;
    if (version > target || version > latest_schema_version()) return;  // rolls back nothing
    db.exec(kMigrations[version - 1]);
    db.exec("PRAGMA user_version = " + std::to_string(version));  // a pragma cannot be bound
    transaction.commit();
  }
}

}  // namespace slabot
