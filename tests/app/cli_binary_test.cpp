// The real binary's command line: what main dispatches, and the start-up failures that only a
// real process shows (a port held by another, a database that cannot go where the config says),
// and a backup taken while serve answers.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "storage/sqlite_store.hpp"
#include "tests/app/generic_serve.hpp"
#include "tests/app/run_slabot.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/ticket_draft.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;

namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// A loopback port held by a listening socket of the test's own, as another service would.
class HeldPort {
 public:
  HeldPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~HeldPort() { ::close(fd_); }
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;
  unsigned short port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

}  // namespace

TEST_CASE("slabot --help, -h, help and help COMMAND print usage on stdout and exit 0") {
  TempDir dir;
  for (const std::string flag : {"--help", "-h", "help"}) {
    const auto r = run_slabot(dir, {flag});
    CHECK(r.exit_code == 0);
    CHECK(r.out.starts_with("usage:\n"));
    CHECK(r.out.find("slabot backup --config FILE [--force] OUT") != std::string::npos);
    CHECK(r.out.find("slabot report --config FILE --engagement TENANT|ID") != std::string::npos);
    CHECK(r.out.find("exit codes: 0 ok, 1 runtime failure, 2 usage or config problem") != std::string::npos);
  }
  const auto serve = run_slabot(dir, {"help", "serve"});
  CHECK(serve.exit_code == 0);
  CHECK(serve.out.starts_with("usage: slabot serve --config FILE [--log-format text|json]\n"));
  for (const std::string command : {"serve", "console", "check-config", "outbox", "backup"}) {
    INFO(command);
    const auto r = run_slabot(dir, {command, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.starts_with("usage: slabot " + command));
    CHECK(r.err.empty());
  }
}

TEST_CASE("slabot with a wrong command or option: one line saying what, the usage, on stderr; exit 2") {
  TempDir dir;
  const auto none = run_slabot(dir, {});
  CHECK(none.exit_code == 2);
  CHECK(first_line(none.err) == "slabot: missing command");
  const auto unknown = run_slabot(dir, {"frob"});
  CHECK(unknown.exit_code == 2);
  CHECK(first_line(unknown.err) == "slabot: unknown command 'frob'");
  CHECK(unknown.out.empty());
  const auto option = run_slabot(dir, {"serve", "--config", "x.json", "--port", "80"});
  CHECK(option.exit_code == 2);
  CHECK(first_line(option.err) == "slabot serve: unknown option '--port'");
  CHECK(option.err.find("usage: slabot serve --config FILE") != std::string::npos);
  const auto check = run_slabot(dir, {"check-config", "--help-me"});
  CHECK(check.exit_code == 2);
  CHECK(first_line(check.err) == "slabot check-config: unknown option '--help-me'");
}

TEST_CASE("slabot serve on a port another holds exits 1 naming the address and what to do") {
  TempDir dir;
  HeldPort held;
  ::setenv(kSecretVariable.c_str(), kSecret.c_str(), 1);
  const std::string config = write_config(dir, dir.file("bot.db"), held.port(), unused_port());
  const auto r = run_slabot(dir, {"serve", "--config", config}, 20s);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("slabot: cannot listen on 127.0.0.1:" + std::to_string(held.port()) +
                   ": Address already in use; another slabot or service holds it (set \"listen\")\n") !=
        std::string::npos);
}

TEST_CASE("slabot serve that cannot listen stops before its SLA clocks fire or its outbox sends") {
  TempDir dir;
  HeldPort held;
  ::setenv(kSecretVariable.c_str(), kSecret.c_str(), 1);
  const std::string db = dir.file("bot.db");
  {
    // A critical ticket whose response limit passed an hour ago: a serve that starts its clocks
    // fires the breach at once, and queues its pings.
    SqliteStore store({db});
    const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const Ticket ticket = ticket_draft("DB down", 1, now - std::chrono::hours(2), std::chrono::hours(1));
    const auto opened = wait_for([&](WriteDone done) {
      store.open_ticket(
          ticket, WriteContext{"generic:u-pat", "Pat", "hooks:acme-7x24", ticket.opened_at, std::nullopt},
          [](const Ticket&) { return std::string(); }, std::move(done));
    });
    REQUIRE(opened.kind == WriteOutcome::Kind::applied);
  }
  const std::string config = write_config(dir, db, held.port(), unused_port());
  const auto r = run_slabot(dir, {"serve", "--config", config}, 20s);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cannot listen on 127.0.0.1:" + std::to_string(held.port())) != std::string::npos);
  SqliteStore store({db});
  CHECK(store.count_outbox(OutboxQuery::all) == 0);
  CHECK(store.count_timeline(1) == 1);  // "opened", and no breach
}

TEST_CASE("slabot serve with its database in a missing directory names the path; check-config flags it") {
  TempDir dir;
  ::setenv(kSecretVariable.c_str(), kSecret.c_str(), 1);
  const std::string database = dir.file("not-made-yet/bot.db");
  const std::string config = write_config(dir, database, unused_port(), unused_port());
  const auto serve = run_slabot(dir, {"serve", "--config", config}, 20s);
  CHECK(serve.exit_code == 2);
  CHECK(serve.err.find("/database: " + database + ": its directory " + dir.file("not-made-yet") +
                       " does not exist (No such file or directory)") != std::string::npos);
  const auto check = run_slabot(dir, {"check-config", config});
  CHECK(check.exit_code == 2);
  CHECK(check.out.find("/database: " + database + ": its directory") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("not-made-yet")));
}

TEST_CASE("slabot serve on a file that is not a database names it as the working directory resolves it") {
  TempDir dir;
  ::setenv(kSecretVariable.c_str(), kSecret.c_str(), 1);
  std::ofstream(dir.file("junk.db")) << std::string(4096, 'j');
  const std::string config = write_config(dir, "junk.db", unused_port(), unused_port());  // relative
  const auto r = run_slabot(dir, {"serve", "--config", config}, 20s);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("slabot: cannot open the database " + dir.file("junk.db") + ": ") != std::string::npos);
  CHECK(r.err.find("(set \"database\")") != std::string::npos);
}

TEST_CASE("slabot backup while serve answers /open: the copy holds every ticket answered before it") {
  TempDir dir;
  ::setenv(kSecretVariable.c_str(), kSecret.c_str(), 1);
  const std::string db = dir.file("bot.db");
  auto server = start_serve(dir, db, unused_port(), 0);
  std::mutex mutex;
  std::set<TicketId> answered;
  std::atomic<bool> stop{false};
  std::thread partner([&] {
    for (int n = 0; !stop; ++n) {
      const auto result =
          post_text(server.port, "e" + std::to_string(n), "u-pat", "/open 2 API errors " + std::to_string(n));
      if (const auto id = opened_id(result); id && is_2xx(result.status)) {
        std::lock_guard lock(mutex);
        answered.insert(*id);
      }
    }
  });
  const auto answered_now = [&] {
    std::lock_guard lock(mutex);
    return answered;
  };
  while (answered_now().size() < 50) std::this_thread::sleep_for(5ms);
  const auto before = answered_now();
  const std::string copy = dir.file("copy.db");
  const auto r = run_slabot(dir, {"backup", "--config", dir.file("slabot.json"), copy});
  stop = true;
  partner.join();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("backup: " + copy + ", "));
  CHECK(r.out.find(" tickets, integrity_check ok, ") != std::string::npos);
  CHECK(answered_now().size() > before.size());  // serve kept answering meanwhile
  SQLite::Database copied(copy, SQLite::OPEN_READONLY);
  for (const auto id : before) {
    CHECK(copied.execAndGet("SELECT COUNT(*) FROM tickets WHERE id = " + std::to_string(id)).getInt() == 1);
  }
  // A second backup to the same file is refused; nothing is touched.
  const auto again = run_slabot(dir, {"backup", "--config", dir.file("slabot.json"), copy});
  CHECK(again.exit_code == 2);
  CHECK(again.err == "slabot backup: " + copy + " exists; give --force to replace it\n");
  CHECK(server.process->terminate(15s).has_value());
}
