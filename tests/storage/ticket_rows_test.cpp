// A ticket's UPDATE: the columns an index holds are assigned only when one of them changed, so a
// change of anything else (an SLA stage, an assignment) leaves every index alone. What that rests
// on, the list of indexed columns, is checked against the schema itself.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <string>

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
