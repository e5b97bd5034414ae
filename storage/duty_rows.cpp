#include "storage/duty_rows.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include "storage/sqlite_connection.hpp"

namespace slabot {

void insert_duty_change(SqliteConnection& db, const DutyChange& change, const std::string& actor_id,
                        const std::string& channel) {
  auto insert = db.statement(
      "INSERT INTO duty_log (staff_id, on_duty, at, actor_id, actor_name, channel) VALUES (?, ?, ?, ?, ?, ?)");
  insert->bind(1, change.staff_id);
  insert->bind(2, change.on_duty ? 1 : 0);
  insert->bind(3, to_unix_ms(change.at));
  insert->bind(4, actor_id);
  insert->bind(5, change.by_name);
  insert->bind(6, channel);
  insert->exec();
}

std::vector<DutyChange> select_latest_duty(SqliteConnection& db) {
  // The row with the highest seq per staff member (SQLite's bare-column rule for MAX).
  auto select = db.statement(
      "SELECT staff_id, on_duty, at, actor_name, MAX(seq) FROM duty_log GROUP BY staff_id ORDER BY staff_id");
  std::vector<DutyChange> changes;
  while (select->executeStep()) {
    DutyChange change;
    change.staff_id = select->getColumn(0).getString();
    change.on_duty = select->getColumn(1).getInt() != 0;
    change.at = from_unix_ms(select->getColumn(2).getInt64());
    change.by_name = select->getColumn(3).getString();
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace slabot
