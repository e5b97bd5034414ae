// A ticket's UPDATE: the columns an index holds are assigned only when one of them changed, so a
// change of anything else (an SLA stage, an assignment) leaves every index alone. What that rests
// on, the list of indexed columns, is checked against the schema itself.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>
#include <set>
#include <string>

#include "storage/sqlite_connection.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/ticket_rows.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/ticket_draft.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329930000);

std::set<std::string> indexed_columns() {
  const auto names = ticket_indexed_columns();
  return {names.begin(), names.end()};
}

// The words of a partial index's WHERE clause, outside its quoted literals, in lower case.
std::set<std::string> identifiers_in(const std::string& where) {
  std::set<std::string> words;
  std::string word;
  bool quoted = false;
  for (const char c : where + " ") {
    if (c == '\'') quoted = !quoted;
    if (!quoted && (std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  return words;
}

WriteContext context() { return WriteContext{"erin", "Erin", "hooks:acme", kT0 + 1min, std::nullopt}; }

}  // namespace

TEST_CASE("every column an index on tickets holds, or a partial index's WHERE names, is listed as indexed") {
  testing::TempDir dir;
  const std::string path = dir.file("schema.db");
  { SqliteStore migrated({path}); }
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement indexes(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'");
  const auto listed = indexed_columns();
  int seen = 0;
  while (indexes.executeStep()) {
    ++seen;
    const std::string name = indexes.getColumn(0).getString();
    SQLite::Statement columns(db, "SELECT name FROM pragma_index_info(?)");
    columns.bind(1, name);
    while (columns.executeStep()) {
      INFO(name);
      CHECK(listed.contains(columns.getColumn(0).getString()));
    }
    const std::string sql = indexes.getColumn(1).getString();
    const auto where = sql.find(" WHERE ");
    if (where == std::string::npos) continue;
    for (const auto& word : identifiers_in(sql.substr(where + 7))) {
      INFO(name << ": " << word);
      CHECK((listed.contains(word) || word == "in" || word == "and" || word == "or" || word == "not" || word == "is" ||
             word == "null"));
    }
  }
  CHECK(seen >= 4);  // the schema's own indexes were read, not an empty list
}

TEST_CASE("a change of unindexed columns and one of indexed ones both land whole, and the indexes stay right") {
  testing::TempDir dir;
  const std::string path = dir.file("rows.db");
  SqliteStore store({path});
  auto opened = testing::wait_for([&](WriteDone done) {
    store.open_ticket(
        testing::ticket_draft("DB down", 2, kT0, 40min), context(),
        [](const Ticket& t) { return "#" + std::to_string(t.id); }, std::move(done));
  });
  REQUIRE(opened.kind == WriteOutcome::Kind::applied);
  const TicketId id = opened.ticket->id;

  // Nothing indexed changes: assignee, stage, escalation, title.
  auto assigned = testing::wait_for([&](WriteDone done) {
    store.update_ticket(
        id, "acme", context(),
        [](Ticket& t) -> Decision {
          t.assignee_id = "erin";
          t.assignee_name = "Erin";
          t.sla_stage = 2;
          t.escalation_level = 1;
          t.title = "DB down (primary)";
          return Change{"assigned", "Erin", "ok"};
        },
        std::move(done));
  });
  REQUIRE(assigned.kind == WriteOutcome::Kind::applied);
  auto t = store.find_ticket(id, "acme");
  REQUIRE(t);
  CHECK(t->assignee_name == "Erin");
  CHECK(t->sla_stage == 2);
  CHECK(t->escalation_level == 1);
  CHECK(t->title == "DB down (primary)");
  CHECK(t->state == TicketState::open);
  CHECK(t->response_due_at == kT0 + 40min);
  CHECK(t->updated_at == kT0 + 1min);

  // Indexed columns change: acknowledged, severity raised.
  auto acked = testing::wait_for([&](WriteDone done) {
    store.update_ticket(
        id, "acme", context(),
        [](Ticket& t) -> Decision {
          t.state = TicketState::acknowledged;
          t.acked_at = kT0 + 2min;
          t.acked_by_name = "Erin";
          t.severity = 1;
          return Change{"acknowledged", "", "ok"};
        },
        std::move(done));
  });
  REQUIRE(acked.kind == WriteOutcome::Kind::applied);
  t = store.find_ticket(id, "acme");
  REQUIRE(t);
  CHECK(t->state == TicketState::acknowledged);
  CHECK(t->acked_at == kT0 + 2min);
  CHECK(t->severity == 1);
  CHECK(t->assignee_name == "Erin");  // kept from the earlier change

  // Found through the indexes by what changed, and not by what it was.
  TicketQuery critical;
  critical.tenant_id = "acme";
  critical.states = {TicketState::open, TicketState::acknowledged};
  critical.severity = 1;
  CHECK(store.list_tickets(critical).size() == 1);
  critical.severity = 2;
  CHECK(store.list_tickets(critical).empty());
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("each indexed column, changed alone, is written") {
  struct Case {
    const char* column;
    void (*change)(Ticket&);
    bool (*landed)(const Ticket&);
  };
  const Case cases[] = {
      {"tenant_id", [](Ticket& t) { t.tenant_id = "globex"; }, [](const Ticket& t) { return t.tenant_id == "globex"; }},
      {"severity", [](Ticket& t) { t.severity = 1; }, [](const Ticket& t) { return t.severity == 1; }},
      {"state", [](Ticket& t) { t.state = TicketState::resolved; },
       [](const Ticket& t) { return t.state == TicketState::resolved; }},
      {"response_due_at", [](Ticket& t) { t.response_due_at += 1h; },
       [](const Ticket& t) { return t.response_due_at == kT0 + 40min + 1h; }},
      {"acked_at", [](Ticket& t) { t.acked_at = kT0 + 5min; },
       [](const Ticket& t) { return t.acked_at == kT0 + 5min; }},
  };
  REQUIRE(std::size(cases) + 1 == ticket_indexed_columns().size());  // every one but id, which never changes
  testing::TempDir dir;
  SqliteStore store({dir.file("alone.db")});
  for (const Case& c : cases) {
    INFO(c.column);
    auto opened = testing::wait_for([&](WriteDone done) {
      store.open_ticket(
          testing::ticket_draft("DB down", 2, kT0, 40min), context(),
          [](const Ticket& t) { return "#" + std::to_string(t.id); }, std::move(done));
    });
    REQUIRE(opened.kind == WriteOutcome::Kind::applied);
    auto changed = testing::wait_for([&](WriteDone done) {
      store.update_ticket(
          opened.ticket->id, "", context(),
          [&c](Ticket& t) -> Decision {
            c.change(t);
            return Change{"changed", c.column, "ok"};
          },
          std::move(done));
    });
    REQUIRE(changed.kind == WriteOutcome::Kind::applied);
    const auto stored = store.find_ticket(opened.ticket->id, "");
    REQUIRE(stored);
    CHECK(c.landed(*stored));
  }
}

namespace {

// Every field of a ticket apart from the others, none at its default, so a value bound to the
// wrong column shows.
Ticket distinct_ticket() {
  Ticket t;
  t.tenant_id = "acme";
  t.sub_customer = "retail";
  t.title = "DB down";
  t.severity = 2;
  t.state = TicketState::acknowledged;
  t.opened_by_id = "u-pat";
  t.opened_by_name = "Pat";
  t.assignee_id = "erin";
  t.assignee_name = "Erin";
  t.escalation_level = 3;
  t.opened_at = kT0;
  t.clock_started_at = kT0 + 1min;
  t.response_due_at = kT0 + 2min;
  t.acked_at = kT0 + 3min;
  t.acked_by_name = "Wei";
  t.resolved_at = kT0 + 4min;
  t.closed_at = kT0 + 5min;
  t.updated_at = kT0 + 6min;
  t.sla_stage = 1;
  t.origin = "hooks:acme-7x24";
  t.ctg = true;
  t.rating = 4;
  t.rated_at = kT0 + 7min;
  return t;
}

void check_same(const Ticket& read, const Ticket& written) {
  CHECK(read.id == written.id);
  CHECK(read.tenant_id == written.tenant_id);
  CHECK(read.sub_customer == written.sub_customer);
  CHECK(read.title == written.title);
  CHECK(read.severity == written.severity);
  CHECK(read.state == written.state);
  CHECK(read.opened_by_id == written.opened_by_id);
  CHECK(read.opened_by_name == written.opened_by_name);
  CHECK(read.assignee_id == written.assignee_id);
  CHECK(read.assignee_name == written.assignee_name);
  CHECK(read.escalation_level == written.escalation_level);
  CHECK(read.opened_at == written.opened_at);
  CHECK(read.clock_started_at == written.clock_started_at);
  CHECK(read.response_due_at == written.response_due_at);
  CHECK(read.acked_at == written.acked_at);
  CHECK(read.acked_by_name == written.acked_by_name);
  CHECK(read.resolved_at == written.resolved_at);
  CHECK(read.closed_at == written.closed_at);
  CHECK(read.updated_at == written.updated_at);
  CHECK(read.sla_stage == written.sla_stage);
  CHECK(read.origin == written.origin);
  CHECK(read.ctg == written.ctg);
  CHECK(read.rating == written.rating);
  CHECK(read.rated_at == written.rated_at);
}

Ticket read_back(SqliteConnection& db, TicketId id) {
  SQLite::Statement select(db.database(), std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE id = ?");
  select.bind(1, id);
  REQUIRE(select.executeStep());
  return read_ticket(select);
}

}  // namespace

TEST_CASE("every column lands in its own place: the INSERT and both UPDATEs bind each by its position") {
  testing::TempDir dir;
  const std::string path = dir.file("columns.db");
  { SqliteStore migrated({path}); }
  SqliteConnection db(std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE));

  Ticket written = distinct_ticket();
  written.id = insert_ticket(db, written);
  CHECK(written.id > 0);
  check_same(read_back(db, written.id), written);

  // Only unindexed columns change: the UPDATE without the indexed ones.
  const Ticket stored = written;
  written.sub_customer = "wholesale";
  written.title = "DB down (primary)";
  written.opened_by_id = "u-lee";
  written.opened_by_name = "Lee";
  written.assignee_id = "wei";
  written.assignee_name = "Wei";
  written.escalation_level = 1;
  written.opened_at = kT0 + 10min;
  written.clock_started_at = kT0 + 11min;
  written.acked_by_name = "Erin";
  written.resolved_at = std::nullopt;
  written.closed_at = kT0 + 12min;
  written.updated_at = kT0 + 13min;
  written.sla_stage = 4;
  written.origin = "hooks:support";
  written.ctg = false;
  written.rating = 5;
  written.rated_at = std::nullopt;
  update_ticket_row(db, written, stored);
  check_same(read_back(db, written.id), written);

  // An indexed column changes too: the UPDATE of every column.
  const Ticket before = written;
  written.tenant_id = "globex";
  written.severity = 3;
  written.state = TicketState::open;
  written.response_due_at = kT0 + 20min;
  written.acked_at = std::nullopt;
  written.title = "DB down again";
  update_ticket_row(db, written, before);
  check_same(read_back(db, written.id), written);
}
