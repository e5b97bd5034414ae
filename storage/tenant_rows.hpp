#pragma once
// The tenant activity log's rows (migration 8), and the Ledger read on one connection: the same
// bound queries serve the readers' pool and the writer's transaction.
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace slabot {

class SqliteConnection;

void insert_tenant_activity(SqliteConnection& db, const TenantActivity& row);

// `tenant_id` or `action` empty: any.
std::vector<TenantActivity> select_tenant_activity(SqliteConnection& db, const std::string& tenant_id,
                                                   const std::string& action, Timestamp since);
std::vector<Activity> select_tenant_ticket_actions(SqliteConnection& db, const std::string& tenant_id,
                                                   const std::string& action, Timestamp since);

class ConnectionLedger final : public Ledger {
 public:
  explicit ConnectionLedger(SqliteConnection& db) : db_(db) {}
  std::vector<TenantActivity> tenant_rows(const std::string& tenant_id, const std::string& action,
                                          Timestamp since) override {
    return select_tenant_activity(db_, tenant_id, action, since);
  }
  std::vector<Activity> ticket_rows(const std::string& tenant_id, const std::string& action, Timestamp since) override {
    return select_tenant_ticket_actions(db_, tenant_id, action, since);
  }

 private:
  SqliteConnection& db_;
};

}  // namespace slabot
