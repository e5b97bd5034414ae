#pragma once
// A Store that hands every call to another: the base for decorators (a test's store that loses
// some writes, a benchmark's that times them), which override only what they watch. A new Store
// method is added here once, not in every decorator.
#include <utility>

#include "storage/store.hpp"

namespace slabot {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  std::optional<Ticket> find_ticket(TicketId id, const std::string& tenant_scope) override {
    return inner_.find_ticket(id, tenant_scope);
  }
  std::vector<Ticket> list_tickets(const TicketQuery& query) override { return inner_.list_tickets(query); }
  std::size_t count_tickets(const TicketQuery& query) override { return inner_.count_tickets(query); }
  std::vector<Activity> timeline(TicketId id, int limit, bool include_internal) override {
    return inner_.timeline(id, limit, include_internal);
  }
  std::size_t count_timeline(TicketId id, bool include_internal) override {
    return inner_.count_timeline(id, include_internal);
  }
  std::optional<std::string> processed_reply(const EventKey& key) override { return inner_.processed_reply(key); }
  bool healthy() override { return inner_.healthy(); }
  void for_each_running_clock(const std::function<void(const Ticket&)>& visit) override {
    inner_.for_each_running_clock(visit);
  }
  std::vector<OutboxRow> due_outbox(Timestamp now, int limit) override { return inner_.due_outbox(now, limit); }
  std::optional<Timestamp> next_outbox_attempt() override { return inner_.next_outbox_attempt(); }
  std::vector<OutboxRow> list_outbox(OutboxQuery query, int limit) override { return inner_.list_outbox(query, limit); }
  std::vector<OutboxRow> outbox_heads(int limit) override { return inner_.outbox_heads(limit); }
  std::size_t count_outbox(OutboxQuery query) override { return inner_.count_outbox(query); }
  std::vector<DutyChange> latest_duty() override { return inner_.latest_duty(); }
  std::vector<TenantActivity> tenant_log(const std::string& tenant_id, const std::string& action,
                                         Timestamp since) override {
    return inner_.tenant_log(tenant_id, action, since);
  }
  std::vector<Activity> tenant_ticket_actions(const std::string& tenant_id, const std::string& action,
                                              Timestamp since) override {
    return inner_.tenant_ticket_actions(tenant_id, action, since);
  }
  void write_ledger(TicketId id, std::string tenant_scope, WriteContext context, LedgerMutator decide,
                    WriteDone done) override {
    inner_.write_ledger(id, std::move(tenant_scope), std::move(context), std::move(decide), std::move(done));
  }
  std::vector<TicketTally> tally_active_tickets() override { return inner_.tally_active_tickets(); }
  void open_ticket(Ticket draft, WriteContext context, std::function<std::string(const Ticket&)> reply,
                   WriteDone done) override {
    inner_.open_ticket(std::move(draft), std::move(context), std::move(reply), std::move(done));
  }
  void update_ticket(TicketId id, std::string tenant_scope, WriteContext context, Mutator decide,
                     WriteDone done) override {
    inner_.update_ticket(id, std::move(tenant_scope), std::move(context), std::move(decide), std::move(done));
  }
  void enqueue(std::vector<OutboxItem> items, Timestamp now, WriteDone done) override {
    inner_.enqueue(std::move(items), now, std::move(done));
  }
  void record_delivery(std::int64_t id, DeliveryUpdate update, WriteDone done) override {
    inner_.record_delivery(id, std::move(update), std::move(done));
  }
  void retry_dead(std::int64_t id, Timestamp now, WriteDone done) override {
    inner_.retry_dead(id, now, std::move(done));
  }
  void record_duty(DutyChange change, WriteContext context, std::string reply, WriteDone done) override {
    inner_.record_duty(std::move(change), std::move(context), std::move(reply), std::move(done));
  }
  void post_report(std::string tenant_id, std::string period, std::vector<OutboxItem> items, Timestamp now,
                   WriteDone done) override {
    inner_.post_report(std::move(tenant_id), std::move(period), std::move(items), now, std::move(done));
  }
  std::optional<std::int64_t> stream_cursor(const std::string& connection) override {
    return inner_.stream_cursor(connection);
  }
  void save_stream_cursor(std::string connection, std::int64_t cursor, Timestamp now, WriteDone done) override {
    inner_.save_stream_cursor(std::move(connection), cursor, now, std::move(done));
  }
  void prune_processed_events(Timestamp before, int limit, std::function<void(std::size_t)> done) override {
    inner_.prune_processed_events(before, limit, std::move(done));
  }

 protected:
  Store& inner() { return inner_; }

 private:
  Store& inner_;
};

}  // namespace slabot
