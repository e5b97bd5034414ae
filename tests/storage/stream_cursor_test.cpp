// Where a polling connection resumes: one cursor per connection, replaced by each save, kept
// across a reopen of the file.
#include <catch2/catch.hpp>

#include "storage/forwarding_store.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using testing::TempDir;
using testing::wait_for;

namespace {

const Timestamp kT0 = from_unix_ms(1795329930000);

WriteOutcome::Kind save(Store& store, const std::string& connection, std::int64_t cursor) {
  return wait_for([&](WriteDone done) { store.save_stream_cursor(connection, cursor, kT0, std::move(done)); }).kind;
}

}  // namespace

TEST_CASE("stream cursors: none until saved, then the latest save, per connection, across a reopen") {
  TempDir dir;
  const std::string path = dir.file("cursors.db");
  {
    SqliteStore store({path});
    CHECK_FALSE(store.stream_cursor("tg"));
    CHECK(save(store, "tg", 871234568) == WriteOutcome::Kind::applied);
    CHECK(store.stream_cursor("tg") == 871234568);
    CHECK(save(store, "tg", 871234570) == WriteOutcome::Kind::applied);
    CHECK(store.stream_cursor("tg") == 871234570);
    // A name is data, never SQL.
    CHECK(save(store, "tg'); DROP TABLE stream_cursors; --", 5) == WriteOutcome::Kind::applied);
    CHECK_FALSE(store.stream_cursor("other"));
  }
  SqliteStore reopened({path});
  CHECK(reopened.stream_cursor("tg") == 871234570);
  CHECK(reopened.stream_cursor("tg'); DROP TABLE stream_cursors; --") == 5);
}

TEST_CASE("stream cursors: a decorating store passes them through") {
  TempDir dir;
  SqliteStore inner({dir.file("cursors.db")});
  ForwardingStore store(inner);
  CHECK(save(store, "tg", 12) == WriteOutcome::Kind::applied);
  CHECK(store.stream_cursor("tg") == 12);
  CHECK(inner.stream_cursor("tg") == 12);
}
