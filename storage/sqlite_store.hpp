#pragma once
// The Store on one SQLite file: WAL mode, synchronous=FULL, one group-commit writer and a small
// pool of read connections.
#include <cstddef>
#include <memory>
#include <string>

#include "storage/group_commit.hpp"
#include "storage/store.hpp"

namespace slabot {

struct SqliteStoreOptions {
  std::string path;
  // Writes per transaction at most. Chat traffic never queues this many (a client waits for its
  // answer); a burst of SLA stages does, and each transaction fewer is an fsync fewer.
  std::size_t max_batch = 1024;
  std::size_t read_connections = 4;  // readers at once before a reader waits
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) and migrates the file; throws SchemaTooNew or SQLite::Exception.
  explicit SqliteStore(SqliteStoreOptions options);
  ~SqliteStore() override;

  std::optional<Ticket> find_ticket(TicketId id, const std::string& tenant_scope) override;
  std::vector<Ticket> list_tickets(const TicketQuery& query) override;
  std::size_t count_tickets(const TicketQuery& query) override;
  std::vector<TicketTally> tally_active_tickets() override;
  std::vector<Activity> timeline(TicketId id, int limit, bool include_internal = true) override;
  std::size_t count_timeline(TicketId id, bool include_internal = true) override;
  std::optional<std::string> processed_reply(const EventKey& key) override;
  bool healthy() override;
  std::vector<TenantActivity> tenant_log(const std::string& tenant_id, const std::string& action,
                                         Timestamp since) override;
  std::vector<Activity> tenant_ticket_actions(const std::string& tenant_id, const std::string& action,
                                              Timestamp since) override;
  void for_each_running_clock(const std::function<void(const Ticket&)>& visit) override;
  std::vector<OutboxRow> due_outbox(Timestamp now, int limit) override;
  std::optional<Timestamp> next_outbox_attempt() override;
  std::vector<OutboxRow> list_outbox(OutboxQuery query, int limit) override;
  std::vector<OutboxRow> outbox_heads(int limit) override;
  std::size_t count_outbox(OutboxQuery query) override;

  void open_ticket(Ticket draft, WriteContext context, std::function<std::string(const Ticket&)> reply,
                   WriteDone done) override;
  void update_ticket(TicketId id, std::string tenant_scope, WriteContext context, Mutator decide,
                     WriteDone done) override;
  void write_ledger(TicketId id, std::string tenant_scope, WriteContext context, LedgerMutator decide,
                    WriteDone done) override;
  void enqueue(std::vector<OutboxItem> items, Timestamp now, WriteDone done) override;
  void record_delivery(std::int64_t id, DeliveryUpdate update, WriteDone done) override;
  void retry_dead(std::int64_t id, Timestamp now, WriteDone done) override;
  std::vector<DutyChange> latest_duty() override;
  void record_duty(DutyChange change, WriteContext context, std::string reply, WriteDone done) override;
  void post_report(std::string tenant_id, std::string period, std::vector<OutboxItem> items, Timestamp now,
                   WriteDone done) override;
  void prune_processed_events(Timestamp before, int limit, std::function<void(std::size_t)> done) override;
  std::optional<std::int64_t> stream_cursor(const std::string& connection) override;
  void save_stream_cursor(std::string connection, std::int64_t cursor, Timestamp now, WriteDone done) override;

  std::size_t batches_committed() const;
  // Every committed batch from now on is reported to `observer` (see CommitObserver); an empty
  // one stops the reports, and once this returns the previous observer is no longer called.
  void observe_commits(CommitObserver observer);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot
