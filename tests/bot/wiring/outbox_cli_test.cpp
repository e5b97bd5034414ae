#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bot/app.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);  // 2026-11-22 06:45:00 UTC

struct Result {
  int code;
  std::string out, err;
};

Result outbox(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run_outbox(args, out, err);
  return {code, out.str(), err.str()};
}

// A config file on a database holding one dead message (1) and one waiting (2).
std::string prepare(testing::TempDir& dir) {
  const std::string db = dir.file("bot.db");
  const std::string path = dir.file("slabot.json");
  std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << db << R"(",
    "staff": [{"id": "erin", "name": "Erin", "role": "engineer", "ids": {"generic": "u-erin"}}],
    "tenants": [{"id": "acme", "name": "Acme", "package": "premium"}],
    "connections": [{"name": "hooks", "adapter": "generic", "secrets": {"secret": "s"}}],
    "channels": [{"connection": "hooks", "chat_id": "acme-7x24", "tenant": "acme"}]})";
  SqliteStore store({db});
  auto item = [](const std::string& text) {
    OutboxItem i;
    i.message = OutboundMessage{"hooks", "acme-7x24", text, {}, ""};
    i.idempotency_key = text;
    return i;
  };
  testing::wait_for([&](WriteDone done) { store.enqueue({item("#1 breached"), item("#2 opened")}, kT0, done); });
  testing::wait_for([&](WriteDone done) {
    store.record_delivery(1, {OutboxStatus::dead, 12, kT0, "HTTP 500 (undelivered for 1d, outbox.max_age)", 2}, done);
  });
  return path;
}

}  // namespace

TEST_CASE("outbox cli: list shows the dead message first, then the waiting one") {
  testing::TempDir dir;
  const auto config = prepare(dir);
  const auto r = outbox({"list", "--config", config});
  CHECK(r.code == 0);
  CHECK(
      r.out ==
      "outbox: 1 waiting, 1 dead\n"
      "message 1 to [Acme] acme-7x24 (hooks): dead after 10 failed tries, asked to wait 2 times: HTTP 500 (undelivered "
      "for 1d, outbox.max_age); "
      "queued 2026-11-22 06:45 UTC; \"#1 breached\"\n"
      "message 2 to [Acme] acme-7x24 (hooks): waiting; queued 2026-11-22 06:45 UTC; \"#2 opened\"\n");
}

TEST_CASE("outbox cli: retry queues a dead message again, once") {
  testing::TempDir dir;
  const auto config = prepare(dir);
  const auto first = outbox({"retry", "1", "--config", config});
  CHECK(first.code == 0);
  CHECK(first.out.starts_with("message 1 is queued again"));
  const auto again = outbox({"retry", "1", "--config", config});
  CHECK(again.code == 1);
  CHECK(again.err == "no dead message 1; see slabot outbox list\n");
  CHECK(outbox({"retry", "2", "--config", config}).code == 1);  // waiting, not dead
  CHECK(outbox({"list", "--config", config}).out.starts_with("outbox: 2 waiting, 0 dead\n"));
}

TEST_CASE("outbox cli: a wrong command line gets the usage and touches nothing") {
  testing::TempDir dir;
  const auto config = prepare(dir);
  for (const auto& args : std::vector<std::vector<std::string>>{{},
                                                                {"list"},
                                                                {"frob", "--config", config},
                                                                {"retry", "--config", config},
                                                                {"retry", "one", "--config", config},
                                                                {"retry", "1", "2", "--config", config},
                                                                {"list", "extra", "--config", config}}) {
    const auto r = outbox(args);
    CHECK(r.code == 2);
    CHECK(r.err.find("usage: slabot outbox list --config FILE | slabot outbox retry ID --config FILE") !=
          std::string::npos);
  }
  CHECK(outbox({"list", "--config", dir.file("missing.json")}).code == 2);
  CHECK(outbox({"list", "--config", config}).out.starts_with("outbox: 1 waiting, 1 dead\n"));  // untouched
  // A config whose database does not exist (a typo, another working directory) creates nothing.
  std::filesystem::remove(dir.file("bot.db"));
  const auto moved = outbox({"list", "--config", config});
  CHECK(moved.code == 2);
  CHECK(moved.err.starts_with("slabot outbox: no database at " + dir.file("bot.db")));
  CHECK_FALSE(std::filesystem::exists(dir.file("bot.db")));
}
