#pragma once
// The duty log's rows: each hand-over appended, and each staff member's latest read back.
#include <string>
#include <vector>

#include "domain/duty.hpp"

namespace slabot {

class SqliteConnection;

// Appends `change`, typed by `actor_id` in `channel` ("<connection>:<chat id>").
void insert_duty_change(SqliteConnection& db, const DutyChange& change, const std::string& actor_id,
                        const std::string& channel);

// Each staff member's latest change, by staff id.
std::vector<DutyChange> select_latest_duty(SqliteConnection& db);

}  // namespace slabot
