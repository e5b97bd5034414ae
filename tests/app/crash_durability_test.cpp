// The real binary under a real crash. `slabot serve` takes /open commands from several threads
// and is SIGKILLed while some are still in flight, four times, at four moments. Afterwards:
// every /open it answered 2xx is a ticket with its "opened" activity row, ticket ids are
// distinct, the file passes PRAGMA integrity_check, a restarted server answers /healthz, and the
// platform's retries of the unanswered ones (same event ids) open each ticket exactly once.
// Escalation notices queued before a kill (held pending by an outbound URL nobody listens on)
// are still there after it, pending or sent.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "storage/sqlite_store.hpp"
#include "tests/app/generic_serve.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kLoadThreads = 12;

struct Open {
  std::string event_id;
  std::string title;
  int severity = 1;
  std::string text() const { return "/open " + std::to_string(severity) + " " + title; }
};

struct Opened {
  Open open;
  TicketId id = 0;
};

// Sends `open` and requires an "opened" answer: for retries after a restart and for setup.
Opened open_now(unsigned short port, const Open& open) {
  const auto result = post_text(port, open.event_id, "pat", open.text());
  INFO("event " << open.event_id << ": HTTP " << result.status << " " << result.body);
  const auto id = opened_id(result);
  REQUIRE(id);
  return {open, *id};
}

struct LoadResult {
  std::vector<Opened> answered;  // 2xx with "#N opened": must survive the kill
  std::vector<Open> unanswered;  // no answer, or not 2xx: the platform would send it again
  std::vector<std::string> odd;  // 2xx without "#N opened": a bug
  int in_flight_at_kill = 0;
};

// Fires /open from kLoadThreads threads, each sending one request after another, until
// `kill_after` were answered (or 4 s passed), then SIGKILLs the server while requests are in
// flight.
LoadResult load_and_kill(ServeProcess& process, unsigned short port, int round, std::size_t kill_after) {
  LoadResult load;
  std::mutex mutex;
  std::atomic<int> in_flight{0};
  std::atomic<std::size_t> answered{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kLoadThreads; ++t) {
      threads.emplace_back([&, t](std::stop_token stop) {
        for (int n = 0; !stop.stop_requested(); ++n) {
          const std::string tag = "r" + std::to_string(round) + "-t" + std::to_string(t) + "-n" + std::to_string(n);
          const Open open{"ev-" + tag, "load " + tag, 1 + (t + n) % 5};
          std::optional<testing::HttpResult> result;
          ++in_flight;
          try {
            result = post_text(port, open.event_id, "pat", open.text());
          } catch (const std::exception&) {
            // reset, refused or cut short by the kill: unanswered
          }
          --in_flight;
          const std::scoped_lock lock(mutex);
          if (!result || !is_2xx(result->status)) {
            load.unanswered.push_back(open);
          } else if (const auto id = opened_id(*result)) {
            load.answered.push_back({open, *id});
            ++answered;
          } else {
            load.odd.push_back(open.event_id + ": HTTP " + std::to_string(result->status) + " " + result->body);
          }
        }
      });
    }
    const auto deadline = Clock::now() + 4s;
    while (answered < kill_after && Clock::now() < deadline) std::this_thread::sleep_for(200us);
    const auto in_flight_deadline = Clock::now() + 1s;
    while (in_flight == 0 && Clock::now() < in_flight_deadline) std::this_thread::yield();
    // No thread starts another request; those in flight meet the kill.
    for (auto& thread : threads) thread.request_stop();
    load.in_flight_at_kill = in_flight;
    process.sigkill();
  }  // joined here, each thread after its request in flight failed or was answered
  return load;
}

// Everything the database must hold after a crash.
void check_database(const std::string& db, const std::vector<Opened>& answered,
                    const std::vector<std::string>& queued_markers) {
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    CHECK(raw.execAndGet("PRAGMA integrity_check").getString() == "ok");
    // Every /open here has its own title, retries included: a title twice is a ticket opened twice.
    SQLite::Statement titles(raw, "SELECT COUNT(*), COUNT(DISTINCT title) FROM tickets");
    REQUIRE(titles.executeStep());
    CHECK(titles.getColumn(0).getInt64() == titles.getColumn(1).getInt64());
  }
  SqliteStore store({db});
  std::set<TicketId> ids;
  std::vector<std::string> lost, no_activity;
  for (const auto& [open, id] : answered) {
    ids.insert(id);
    const auto ticket = store.find_ticket(id, "");
    if (!ticket || ticket->title != open.title || ticket->severity != open.severity) {
      lost.push_back("#" + std::to_string(id) + " (" + open.title + ")");
      continue;
    }
    bool has_opened = false;
    for (const auto& row : store.timeline(id, 10)) has_opened = has_opened || row.action == "opened";
    if (!has_opened) no_activity.push_back("#" + std::to_string(id));
  }
  INFO(answered.size() << " answered /open; lost: " << lost.size() << (lost.empty() ? "" : ", first " + lost.front())
                       << "; without an opened row: " << no_activity.size());
  CHECK(lost.empty());
  CHECK(no_activity.empty());
  CHECK(ids.size() == answered.size());  // no id was given out twice

  const auto outbox = store.list_outbox(OutboxQuery::all, 1'000'000);
  for (const auto& marker : queued_markers) {
    int kept = 0, dead = 0;
    for (const auto& row : outbox) {
      if (row.item.message.text.find(marker) == std::string::npos) continue;
      (row.status == OutboxStatus::dead ? dead : kept) += 1;
    }
    INFO("escalation notices for " << marker);
    // The support group: the tenant's group, where /escalate was typed, hears its reply instead.
    CHECK(kept == 1);
    CHECK(dead == 0);
  }
}

}  // namespace

TEST_CASE("crash: SIGKILL under load loses no answered /open, no queued message, and the file restarts clean") {
  // Writing to a socket the killed server had open must not kill the test.
  std::signal(SIGPIPE, SIG_IGN);
  testing::TempDir dir;
  const std::string db = dir.file("crash.db");
  const unsigned short outbound_port = unused_port();
  std::vector<Opened> answered;      // every /open answered 2xx so far, across rounds
  std::vector<Open> unanswered;      // the last round's unanswered ones, retried after the restart
  std::vector<std::string> markers;  // the escalation reasons queued so far
  std::vector<std::string> log_lines;

  // Killed after the first answers, after some, after many: early, mid and late in a burst, each
  // time on the file the previous kill left.
  const std::vector<std::size_t> kill_after{1, 50, 400, 1500};
  for (std::size_t round = 0; round < kill_after.size(); ++round) {
    INFO("round " << round + 1);
    Server server = start_serve(dir, db, outbound_port, static_cast<int>(round));
    // The platform delivers the unanswered events again: each opens its ticket exactly once,
    // whether or not the killed server had stored it.
    for (const auto& open : unanswered) answered.push_back(open_now(server.port, open));
    unanswered.clear();

    // A message queued before the kill: an escalation's notices to both groups.
    const std::string tag = "r" + std::to_string(round);
    const Opened probe = open_now(server.port, {"probe-open-" + tag, "escalation probe " + tag, 1});
    answered.push_back(probe);
    const std::string marker = "crash-probe-" + tag;
    const auto escalated = post_text(server.port, "probe-escalate-" + tag, "u-erin",
                                     "/escalate " + std::to_string(probe.id) + " " + marker);
    INFO("escalate: HTTP " << escalated.status << " " << escalated.body);
    REQUIRE(is_2xx(escalated.status));
    REQUIRE(reply_of(escalated).find(" escalated to ") != std::string::npos);
    markers.push_back(marker);

    LoadResult load = load_and_kill(*server.process, server.port, static_cast<int>(round), kill_after[round]);
    log_lines.push_back("round " + std::to_string(round + 1) + ": " + std::to_string(load.answered.size()) +
                        " answered, " + std::to_string(load.unanswered.size()) + " unanswered, " +
                        std::to_string(load.in_flight_at_kill) + " in flight at the kill");
    INFO(log_lines.back());
    CHECK(load.odd.empty());
    if (!load.odd.empty()) FAIL_CHECK("first odd answer: " << load.odd.front());
    CHECK(load.in_flight_at_kill > 0);
    answered.insert(answered.end(), load.answered.begin(), load.answered.end());
    unanswered = std::move(load.unanswered);
    check_database(db, answered, markers);
  }

  // After the last crash: a restarted server answers, takes the retries, and stops cleanly.
  Server server = start_serve(dir, db, outbound_port, static_cast<int>(kill_after.size()));
  for (const auto& open : unanswered) answered.push_back(open_now(server.port, open));
  const auto status = server.process->terminate(5s);
  INFO("slabot serve log:\n" << server.process->log());
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  check_database(db, answered, markers);
  // Every /open ever sent is now exactly one ticket: none lost, none doubled by a retry.
  SqliteStore store({db});
  CHECK(store.count_tickets({}) == answered.size());
  std::string summary;
  for (const auto& line : log_lines) summary += line + "\n";
  INFO(summary << answered.size() << " tickets in all");
  SUCCEED();
}
