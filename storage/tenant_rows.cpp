#include "storage/tenant_rows.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/sqlite_connection.hpp"
#include "storage/ticket_rows.hpp"

namespace slabot {

void insert_tenant_activity(SqliteConnection& db, const TenantActivity& row) {
  auto insert = db.statement(
      "INSERT INTO tenant_activity (tenant_id, at, actor_id, actor_name, action, detail, channel) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert->bind(1, row.tenant_id);
  insert->bind(2, to_unix_ms(row.at));
  insert->bind(3, row.actor_id);
  insert->bind(4, row.actor_name);
  insert->bind(5, row.action);
  insert->bind(6, row.detail);
  insert->bind(7, row.channel);
  insert->exec();
}

std::vector<TenantActivity> select_tenant_activity(SqliteConnection& db, const std::string& tenant_id,
                                                   const std::string& action, Timestamp since) {
  // Only the filters given, so the usual question (one tenant, one action) is answered from the
  // index tenant_activity_by_action rather than by a scan: four fixed texts, each cached.
  std::string sql =
      "SELECT seq, tenant_id, at, actor_id, actor_name, action, detail, channel FROM tenant_activity WHERE at >= ?";
  if (!tenant_id.empty()) sql += " AND tenant_id = ?";
  if (!action.empty()) sql += " AND action = ?";
  auto select = db.statement(sql + " ORDER BY seq");
  int index = 1;
  select->bind(index++, to_unix_ms(since));
  if (!tenant_id.empty()) select->bind(index++, tenant_id);
  if (!action.empty()) select->bind(index++, action);
  std::vector<TenantActivity> rows;
  while (select->executeStep()) {
    TenantActivity row;
    row.seq = select->getColumn(0).getInt64();
    row.tenant_id = select->getColumn(1).getString();
    row.at = from_unix_ms(select->getColumn(2).getInt64());
    row.actor_id = select->getColumn(3).getString();
    row.actor_name = select->getColumn(4).getString();
    row.action = select->getColumn(5).getString();
    row.detail = select->getColumn(6).getString();
    row.channel = select->getColumn(7).getString();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Activity> select_tenant_ticket_actions(SqliteConnection& db, const std::string& tenant_id,
                                                   const std::string& action, Timestamp since) {
  auto select = db.statement(
      "SELECT a.seq, a.ticket_id, a.at, a.actor_id, a.actor_name, a.action, a.detail, a.channel, a.internal "
      "FROM activity a JOIN tickets t ON t.id = a.ticket_id "
      "WHERE a.action = ? AND a.at >= ? AND t.tenant_id = ? ORDER BY a.seq");
  select->bind(1, action);
  select->bind(2, to_unix_ms(since));
  select->bind(3, tenant_id);
  std::vector<Activity> rows;
  while (select->executeStep()) rows.push_back(read_activity(*select));
  return rows;
}

}  // namespace slabot
