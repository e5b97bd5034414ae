#include "storage/sqlite_store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "domain/severity.hpp"
#include "storage/duty_rows.hpp"
#include "storage/group_commit.hpp"
#include "storage/migrations.hpp"
#include "storage/outbox_rows.hpp"
#include "storage/sqlite_connection.hpp"
#include "storage/tenant_rows.hpp"
#include "storage/ticket_query.hpp"
#include "storage/ticket_rows.hpp"

namespace slabot {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// SQLite counts every allocation under one process-wide mutex for sqlite3_memory_used(), which
// nothing here reads. Only possible before the library initializes (the first open): a process
// that opened a database some other way first keeps the counting, and is only slower.
void stop_counting_memory() {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)done;
}

std::unique_ptr<SQLite::Database> open_database(const std::string& path, int flags) {
  stop_counting_memory();
  // No mutex on the connection: each is used by one thread at a time (the writer's by the
  // writer thread, a reader by whoever holds it from the pool), as SQLite's multi-thread mode asks.
  auto db = std::make_unique<SQLite::Database>(path, flags | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
  // A ticket reported as opened must survive a power loss: fsync on every COMMIT.
  db->exec("PRAGMA synchronous = FULL");
  db->exec("PRAGMA foreign_keys = ON");
  // Temporary data in memory: the savepoint journal of a batch that must undo one write alone
  // (group_commit.hpp), and the statement journals, which on a file cost a pwrite per page
  // touched again; also the readers' sorts.
  db->exec("PRAGMA temp_store = MEMORY");
  return db;
}

std::optional<Ticket> select_ticket(SqliteConnection& db, TicketId id, const std::string& tenant_scope) {
  static const std::string sql =
      std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE id = ? AND (? = '' OR tenant_id = ?)";
  auto select = db.statement(sql);
  select->bind(1, id);
  select->bind(2, tenant_scope);
  select->bind(3, tenant_scope);
  if (!select->executeStep()) return std::nullopt;
  return read_ticket(*select);
}

Activity activity_row(TicketId id, const WriteContext& context, std::string action, std::string detail) {
  Activity row;
  row.ticket_id = id;
  row.at = context.at;
  row.actor_id = context.actor_id;
  row.actor_name = context.actor_name;
  row.action = std::move(action);
  row.detail = std::move(detail);
  row.channel = context.channel;
  row.internal = context.internal;
  return row;
}

// An event handled before: the answer it got, and whether that handling was applied.
struct StoredReply {
  std::string reply;
  bool applied = false;
};

std::optional<StoredReply> stored_reply(SqliteConnection& db, const EventKey& key) {
  auto select =
      db.statement("SELECT reply, applied FROM processed_events WHERE connection = ? AND chat_id = ? AND event_id = ?");
  select->bind(1, key.connection);
  select->bind(2, key.chat_id);
  select->bind(3, key.event_id);
  if (!select->executeStep()) return std::nullopt;
  return StoredReply{select->getColumn(0).getString(), select->getColumn(1).getInt() != 0};
}

// A replay of an event handled before: its first answer, and nothing runs again. Checked on the
// writer thread, so a retry racing its original cannot run twice either.
std::optional<WriteOutcome> replayed(SqliteConnection& db, const WriteContext& context) {
  if (!context.event) return std::nullopt;
  auto stored = stored_reply(db, *context.event);
  if (!stored) return std::nullopt;
  WriteOutcome outcome{WriteOutcome::Kind::duplicate, std::move(stored->reply), std::nullopt};
  outcome.applied_before = stored->applied;
  return outcome;
}

// Records the event with the answer it got, in the same transaction as whatever it changed
// (refusals too: a retry must get the same answer, even after the ticket moved on), and queues
// the answer when the platform takes answers only as outbound messages.
WriteOutcome recorded(SqliteConnection& db, const WriteContext& context, WriteOutcome outcome) {
  if (context.reply_message && !outcome.reply.empty()) {
    OutboxItem item = *context.reply_message;
    item.message.text = outcome.reply;
    const bool applied = outcome.kind == WriteOutcome::Kind::applied;
    // The answer to a tap updates the tapped message only when the tap changed something.
    if (item.message.tap) item.message.tap->acted = applied;
    // Buttons that name no ticket are about the one this change made (an opened ticket).
    for (auto& action : item.message.actions) {
      if (action.ticket == 0 && outcome.ticket) action.ticket = outcome.ticket->id;
    }
    // A refusal carries no buttons: they were for the ticket the change would have made.
    if (!applied) item.message.actions.clear();
    insert_outbox_item(db, item, context.at);
    outcome.queued_messages = true;
  }
  if (!context.event) return outcome;
  auto insert = db.statement(
      "INSERT INTO processed_events (connection, chat_id, event_id, reply, at, applied) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  // Every platform message passes here: no copies (the values outlive the statement's use).
  insert->bindNoCopy(1, context.event->connection);
  insert->bindNoCopy(2, context.event->chat_id);
  insert->bindNoCopy(3, context.event->event_id);
  insert->bindNoCopy(4, outcome.reply);
  insert->bind(5, to_unix_ms(context.at));
  insert->bind(6, outcome.kind == WriteOutcome::Kind::applied ? 1 : 0);
  insert->exec();
  return outcome;
}

// Queues what a change sends, in its transaction.
void queue_messages(SqliteConnection& db, const WriteContext& context, const std::vector<OutboxItem>& messages) {
  for (const auto& item : messages) insert_outbox_item(db, item, context.at);
}

// The outbox queries are a handful of fixed texts: cached.
std::vector<OutboxRow> select_outbox(SqliteConnection& db, const std::string& where_and_order, int limit,
                                     const std::function<void(SQLite::Statement&)>& bind) {
  auto select = db.statement(std::string("SELECT ") + kOutboxColumns + " FROM outbox " + where_and_order + " LIMIT ?");
  bind(*select);
  select->bind(select->getBindParameterCount(), limit);
  std::vector<OutboxRow> rows;
  while (select->executeStep()) rows.push_back(read_outbox_row(*select));
  return rows;
}

const char* outbox_filter(OutboxQuery query) {
  switch (query) {
    case OutboxQuery::pending: return "WHERE status = 'pending'";
    case OutboxQuery::dead: return "WHERE status = 'dead'";
    case OutboxQuery::superseded: return "WHERE status = 'superseded'";
    case OutboxQuery::all: break;
  }
  return "";
}

}  // namespace

// Readers share a pool of connections; WAL lets them read while the writer commits.
class ReaderPool {
 public:
  ReaderPool(const std::string& path, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      idle_.push_back(std::make_unique<SqliteConnection>(open_database(path, SQLite::OPEN_READONLY)));
    }
  }

  template <typename Fn>
  auto with(Fn&& fn) {
    std::unique_ptr<SqliteConnection> connection;
    {
      std::unique_lock lock(mutex_);
      available_.wait(lock, [this] { return !idle_.empty(); });
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
    struct GiveBack {
      ReaderPool& pool;
      std::unique_ptr<SqliteConnection>& connection;
      ~GiveBack() {
        {
          std::lock_guard lock(pool.mutex_);
          pool.idle_.push_back(std::move(connection));
        }
        pool.available_.notify_one();
      }
    } give_back{*this, connection};
    return fn(*connection);
  }

 private:
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

struct SqliteStore::Impl {
  explicit Impl(const SqliteStoreOptions& options)
      : writer_db(open_writer(options.path)),
        readers(options.path, options.read_connections == 0 ? 1 : options.read_connections),
        writer(writer_db, options.max_batch) {}

  static std::unique_ptr<SQLite::Database> open_writer(const std::string& path) {
    auto db = open_database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    refuse_newer(*db);  // before anything changes the file, even its journal mode
    db->exec("PRAGMA journal_mode = WAL");
    migrate(*db);
    return db;
  }

  SqliteConnection writer_db;  // only the writer thread uses it (and its statement cache)
  ReaderPool readers;
  GroupCommitWriter writer;  // last: its thread stops (draining the queue) before the rest goes
};

SqliteStore::SqliteStore(SqliteStoreOptions options) : impl_(std::make_unique<Impl>(options)) {}

SqliteStore::~SqliteStore() = default;

std::optional<Ticket> SqliteStore::find_ticket(TicketId id, const std::string& tenant_scope) {
  return impl_->readers.with([&](SqliteConnection& db) { return select_ticket(db, id, tenant_scope); });
}

std::vector<Ticket> SqliteStore::list_tickets(const TicketQuery& query) {
  return impl_->readers.with([&](SqliteConnection& db) {
    // A few dozen texts at most (which filters are set, which order): cached like the rest.
    const TicketQuerySql sql(query);
    auto select = db.statement(sql.select());
    sql.bind(*select, /*with_limit=*/true);
    std::vector<Ticket> tickets;
    while (select->executeStep()) tickets.push_back(read_ticket(*select));
    return tickets;
  });
}

std::size_t SqliteStore::count_tickets(const TicketQuery& query) {
  return impl_->readers.with([&](SqliteConnection& db) {
    const TicketQuerySql sql(query);
    auto count = db.statement(sql.count());
    sql.bind(*count, /*with_limit=*/false);
    count->executeStep();
    return static_cast<std::size_t>(count->getColumn(0).getInt64());
  });
}

void SqliteStore::observe_commits(CommitObserver observer) { impl_->writer.observe(std::move(observer)); }

std::vector<TicketTally> SqliteStore::tally_active_tickets() {
  return impl_->readers.with([&](SqliteConnection& db) {
    auto select = db.statement(
        "SELECT tenant_id, severity, state, COUNT(*) FROM tickets WHERE state IN (?, ?) "
        "GROUP BY tenant_id, severity, state ORDER BY tenant_id, severity, state");
    select->bind(1, std::string(state_name(TicketState::open)));
    select->bind(2, std::string(state_name(TicketState::acknowledged)));
    std::vector<TicketTally> tallies;
    while (select->executeStep()) {
      tallies.push_back(TicketTally{select->getColumn(0).getString(), select->getColumn(1).getInt(),
                                    parse_state(select->getColumn(2).getString()).value_or(TicketState::open),
                                    static_cast<std::size_t>(select->getColumn(3).getInt64())});
    }
    return tallies;
  });
}

std::vector<Activity> SqliteStore::timeline(TicketId id, int limit, bool include_internal) {
  return impl_->readers.with([&](SqliteConnection& db) {
    auto select = db.statement(
        "SELECT * FROM (SELECT seq, ticket_id, at, actor_id, actor_name, action, detail, channel, "
        "internal FROM activity WHERE ticket_id = ? AND (? OR internal = 0) "
        "ORDER BY seq DESC LIMIT ?) ORDER BY seq");
    select->bind(1, id);
    select->bind(2, include_internal ? 1 : 0);
    select->bind(3, limit);
    std::vector<Activity> rows;
    while (select->executeStep()) rows.push_back(read_activity(*select));
    return rows;
  });
}

std::size_t SqliteStore::count_timeline(TicketId id, bool include_internal) {
  return impl_->readers.with([&](SqliteConnection& db) {
    auto count = db.statement("SELECT COUNT(*) FROM activity WHERE ticket_id = ? AND (? OR internal = 0)");
    count->bind(1, id);
    count->bind(2, include_internal ? 1 : 0);
    count->executeStep();
    return static_cast<std::size_t>(count->getColumn(0).getInt64());
  });
}

std::optional<std::string> SqliteStore::processed_reply(const EventKey& key) {
  return impl_->readers.with([&](SqliteConnection& db) -> std::optional<std::string> {
    auto stored = stored_reply(db, key);
    if (!stored) return std::nullopt;
    return std::move(stored->reply);
  });
}

bool SqliteStore::healthy() {
  try {
    // The writer's last commit counts too: reads can succeed while every write fails.
    if (impl_->writer.last_batch_failed()) return false;
    return impl_->readers.with([](SqliteConnection& db) { return db.database().execAndGet("SELECT 1").getInt() == 1; });
  } catch (const std::exception& e) {
    spdlog::warn("store: health check failed: {}", e.what());
    return false;
  }
}

void SqliteStore::open_ticket(Ticket draft, WriteContext context, std::function<std::string(const Ticket&)> reply,
                              WriteDone done) {
  impl_->writer.submit(
      [draft = std::move(draft), context = std::move(context), reply = std::move(reply)](SqliteConnection& db) mutable {
        if (auto replay = replayed(db, context)) return *replay;
        draft.id = insert_ticket(db, draft);
        insert_activity(db, activity_row(draft.id, context, "opened",
                                         std::string(severity_name(draft.severity)) + ": " + draft.title));
        WriteOutcome outcome{WriteOutcome::Kind::applied, reply(draft), draft};
        return recorded(db, context, std::move(outcome));
      },
      std::move(done));
}

void SqliteStore::update_ticket(TicketId id, std::string tenant_scope, WriteContext context, Mutator decide,
                                WriteDone done) {
  // A ticket's own change is a ledger write that reads no ledger: one path stores both.
  LedgerMutator as_ledger = [decide = std::move(decide)](Ticket* ticket, Ledger&) -> LedgerDecision {
    Decision decision = decide(*ticket);
    if (auto* refusal = std::get_if<Refusal>(&decision)) return std::move(*refusal);
    LedgerChange change;
    change.reply = std::move(std::get<Change>(decision).reply);
    change.ticket_change = std::move(std::get<Change>(decision));
    return change;
  };
  write_ledger(id, std::move(tenant_scope), std::move(context), std::move(as_ledger), std::move(done));
}

std::vector<TenantActivity> SqliteStore::tenant_log(const std::string& tenant_id, const std::string& action,
                                                    Timestamp since) {
  return impl_->readers.with(
      [&](SqliteConnection& db) { return select_tenant_activity(db, tenant_id, action, since); });
}

std::vector<Activity> SqliteStore::tenant_ticket_actions(const std::string& tenant_id, const std::string& action,
                                                         Timestamp since) {
  return impl_->readers.with(
      [&](SqliteConnection& db) { return select_tenant_ticket_actions(db, tenant_id, action, since); });
}

void SqliteStore::write_ledger(TicketId id, std::string tenant_scope, WriteContext context, LedgerMutator decide,
                               WriteDone done) {
  impl_->writer.submit(
      [id, tenant_scope = std::move(tenant_scope), context = std::move(context),
       decide = std::move(decide)](SqliteConnection& db) {
        if (auto replay = replayed(db, context)) return *replay;
        std::optional<Ticket> ticket;
        if (id != 0) {
          ticket = select_ticket(db, id, tenant_scope);
          if (!ticket) {
            return recorded(db, context,
                            WriteOutcome{WriteOutcome::Kind::not_found, context.not_found_reply, std::nullopt});
          }
        }
        ConnectionLedger ledger(db);
        const std::optional<Ticket> stored = ticket;  // the row as read: what the UPDATE changes
        LedgerDecision decision = decide(ticket ? &*ticket : nullptr, ledger);
        if (auto* refusal = std::get_if<Refusal>(&decision)) {
          return recorded(db, context,
                          WriteOutcome{WriteOutcome::Kind::refused, std::move(refusal->reply), std::nullopt});
        }
        auto& change = std::get<LedgerChange>(decision);
        for (auto& row : change.tenant_rows) {
          row.at = context.at;
          row.actor_id = context.actor_id;
          row.actor_name = context.actor_name;
          row.channel = context.channel;
          insert_tenant_activity(db, row);
        }
        if (ticket && change.ticket_change) {
          ticket->updated_at = context.at;
          update_ticket_row(db, *ticket, *stored);
          insert_activity(db, activity_row(id, context, std::move(change.ticket_change->action),
                                           std::move(change.ticket_change->detail)));
          queue_messages(db, context, change.ticket_change->messages);
        }
        queue_messages(db, context, change.messages);
        const bool queued =
            !change.messages.empty() || (change.ticket_change && !change.ticket_change->messages.empty());
        return recorded(db, context,
                        WriteOutcome{WriteOutcome::Kind::applied, std::move(change.reply),
                                     change.ticket_change ? std::move(ticket) : std::nullopt, queued});
      },
      std::move(done));
}

void SqliteStore::for_each_running_clock(const std::function<void(const Ticket&)>& visit) {
  impl_->readers.with([&](SqliteConnection& db) {
    static const std::string sql =
        std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE state = 'open' AND acked_at IS NULL ORDER BY id";
    auto select = db.statement(sql);
    while (select->executeStep()) visit(read_ticket(*select));
  });
}

std::vector<OutboxRow> SqliteStore::due_outbox(Timestamp now, int limit) {
  return impl_->readers.with([&](SqliteConnection& db) {
    return select_outbox(db, "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id", limit,
                         [&](SQLite::Statement& s) { s.bind(1, to_unix_ms(now)); });
  });
}

std::optional<Timestamp> SqliteStore::next_outbox_attempt() {
  return impl_->readers.with([](SqliteConnection& db) -> std::optional<Timestamp> {
    auto select = db.statement("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'");
    if (!select->executeStep() || select->isColumnNull(0)) return std::nullopt;
    return from_unix_ms(select->getColumn(0).getInt64());
  });
}

std::vector<OutboxRow> SqliteStore::list_outbox(OutboxQuery query, int limit) {
  return impl_->readers.with([&](SqliteConnection& db) {
    return select_outbox(db, std::string(outbox_filter(query)) + " ORDER BY id", limit, [](SQLite::Statement&) {});
  });
}

std::vector<OutboxRow> SqliteStore::outbox_heads(int limit) {
  return impl_->readers.with([&](SqliteConnection& db) {
    // One pass over the pending rows' entries in outbox_lane_heads (migration 4), in lane order,
    // reading no row but the heads. INDEXED BY: without statistics the planner would rather
    // take outbox_due and sort every pending row.
    return select_outbox(db,
                         "WHERE id IN (SELECT MIN(id) FROM outbox INDEXED BY outbox_lane_heads "
                         "WHERE status = 'pending' GROUP BY connection, chat_id, url, lane) ORDER BY id",
                         limit, [](SQLite::Statement&) {});
  });
}

std::size_t SqliteStore::count_outbox(OutboxQuery query) {
  return impl_->readers.with([&](SqliteConnection& db) {
    return static_cast<std::size_t>(
        db.database().execAndGet(std::string("SELECT COUNT(*) FROM outbox ") + outbox_filter(query)).getInt64());
  });
}

void SqliteStore::enqueue(std::vector<OutboxItem> items, Timestamp now, WriteDone done) {
  impl_->writer.submit(
      [items = std::move(items), now](SqliteConnection& db) {
        for (const auto& item : items) insert_outbox_item(db, item, now);
        return WriteOutcome{WriteOutcome::Kind::applied, {}, std::nullopt, !items.empty()};
      },
      std::move(done));
}

void SqliteStore::post_report(std::string tenant_id, std::string period, std::vector<OutboxItem> items, Timestamp now,
                              WriteDone done) {
  impl_->writer.submit(
      [tenant_id = std::move(tenant_id), period = std::move(period), items = std::move(items),
       now](SqliteConnection& db) {
        auto insert = db.statement(
            "INSERT INTO report_posts (tenant_id, period, posted_at) VALUES (?, ?, ?) "
            "ON CONFLICT (tenant_id, period) DO NOTHING");
        insert->bind(1, tenant_id);
        insert->bind(2, period);
        insert->bind(3, to_unix_ms(now));
        if (insert->exec() == 0) return WriteOutcome{WriteOutcome::Kind::duplicate, {}, std::nullopt};
        for (const auto& item : items) insert_outbox_item(db, item, now);
        return WriteOutcome{WriteOutcome::Kind::applied, {}, std::nullopt, !items.empty()};
      },
      std::move(done));
}

void SqliteStore::record_delivery(std::int64_t id, DeliveryUpdate update, WriteDone done) {
  impl_->writer.submit(
      [id, update = std::move(update)](SqliteConnection& db) {
        const bool found = update_outbox_delivery(db, id, update);
        return WriteOutcome{found ? WriteOutcome::Kind::applied : WriteOutcome::Kind::not_found, {}, std::nullopt};
      },
      std::move(done));
}

void SqliteStore::retry_dead(std::int64_t id, Timestamp now, WriteDone done) {
  impl_->writer.submit(
      [id, now](SqliteConnection& db) {
        // Queued anew, its age too: created_at is what outbox.max_age counts from, and a
        // message that died of old age would otherwise die again on its first failure.
        auto revive = db.statement(
            "UPDATE outbox SET status = 'pending', attempts = 0, waits = 0, refusals = 0, created_at = ?1, "
            "next_attempt_at = ?1, last_error = '' WHERE id = ?2 AND status = 'dead'");
        revive->bind(1, to_unix_ms(now));
        revive->bind(2, id);
        const bool revived = revive->exec() == 1;
        return WriteOutcome{
            revived ? WriteOutcome::Kind::applied : WriteOutcome::Kind::not_found, {}, std::nullopt, revived};
      },
      std::move(done));
}

std::vector<DutyChange> SqliteStore::latest_duty() {
  return impl_->readers.with([](SqliteConnection& db) { return select_latest_duty(db); });
}

void SqliteStore::record_duty(DutyChange change, WriteContext context, std::string reply, WriteDone done) {
  impl_->writer.submit(
      [change = std::move(change), context = std::move(context), reply = std::move(reply)](SqliteConnection& db) {
        if (auto replay = replayed(db, context)) return *replay;
        insert_duty_change(db, change, context.actor_id, context.channel);
        return recorded(db, context, WriteOutcome{WriteOutcome::Kind::applied, reply, std::nullopt});
      },
      std::move(done));
}

void SqliteStore::prune_processed_events(Timestamp before, int limit, std::function<void(std::size_t)> done) {
  auto removed = std::make_shared<std::size_t>(0);
  impl_->writer.submit(
      [before, limit, removed](SqliteConnection& db) {
        // A bounded chunk per write, so pruning a large backlog never holds the writer for long.
        auto prune = db.statement(
            "DELETE FROM processed_events WHERE (connection, chat_id, event_id) IN "
            "(SELECT connection, chat_id, event_id FROM processed_events WHERE at < ? ORDER BY at LIMIT ?)");
        prune->bind(1, to_unix_ms(before));
        prune->bind(2, limit);
        *removed = static_cast<std::size_t>(prune->exec());
        return WriteOutcome{WriteOutcome::Kind::applied, {}, std::nullopt};
      },
      [removed, done = std::move(done)](WriteOutcome outcome) {
        done(outcome.kind == WriteOutcome::Kind::applied ? *removed : 0);
      });
}

std::optional<std::int64_t> SqliteStore::stream_cursor(const std::string& connection) {
  return impl_->readers.with([&](SqliteConnection& db) -> std::optional<std::int64_t> {
    auto select = db.statement("SELECT cursor FROM stream_cursors WHERE connection = ?");
    select->bind(1, connection);
    if (!select->executeStep()) return std::nullopt;
    return select->getColumn(0).getInt64();
  });
}

void SqliteStore::save_stream_cursor(std::string connection, std::int64_t cursor, Timestamp now, WriteDone done) {
  impl_->writer.submit(
      [connection = std::move(connection), cursor, now](SqliteConnection& db) {
        auto upsert = db.statement(
            "INSERT INTO stream_cursors (connection, cursor, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (connection) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at");
        upsert->bind(1, connection);
        upsert->bind(2, cursor);
        upsert->bind(3, to_unix_ms(now));
        upsert->exec();
        return WriteOutcome{WriteOutcome::Kind::applied, {}, std::nullopt};
      },
      std::move(done));
}

std::size_t SqliteStore::batches_committed() const { return impl_->writer.batches_committed(); }

}  // namespace slabot
