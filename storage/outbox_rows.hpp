#pragma once
// Mapping between outbox rows and OutboxItem/OutboxRow values.
#include "domain/outbox_item.hpp"

namespace SQLite {
class Statement;
}  // namespace SQLite

namespace slabot {

class SqliteConnection;

// The column list every outbox SELECT uses, in the order read_outbox_row expects.
extern const char* const kOutboxColumns;

OutboxRow read_outbox_row(SQLite::Statement& row);

// Queues `item` as pending from `now`; a key stored before is left alone (sent once).
void insert_outbox_item(SqliteConnection& db, const OutboxItem& item, Timestamp now);

// Applies a delivery attempt's outcome; false when there is no such row.
bool update_outbox_delivery(SqliteConnection& db, std::int64_t id, const DeliveryUpdate& update);

}  // namespace slabot
