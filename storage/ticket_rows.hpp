#pragma once
// Mapping between Ticket/Activity values and their SQLite rows, in one place.
#include <string>
#include <vector>

#include "domain/ticket.hpp"

namespace SQLite {
class Statement;
}  // namespace SQLite

namespace slabot {

class SqliteConnection;

// The column list every ticket SELECT uses, in the order read_ticket expects.
extern const char* const kTicketColumns;

Ticket read_ticket(SQLite::Statement& row);
Activity read_activity(SQLite::Statement& row);

// INSERT of a new ticket; returns its id.
TicketId insert_ticket(SqliteConnection& db, const Ticket& ticket);
// UPDATE of an existing ticket to `ticket`, from `stored` (the row as read in the same
// transaction): the columns an index holds are assigned only when one of them changed.
void update_ticket_row(SqliteConnection& db, const Ticket& ticket, const Ticket& stored);
// The columns of `tickets` that update_ticket_row treats as indexed, id included (for the
// schema's test).
std::vector<std::string> ticket_indexed_columns();
void insert_activity(SqliteConnection& db, const Activity& activity);

}  // namespace slabot
