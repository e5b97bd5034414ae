// The load generator against the real `slabot serve`: what it sends is what the generic webhook
// accepts (signed, fresh, one new event each), every answer it counts is one the server made, and
// its exit status says when they were not all 200 with the work done. The benchmark's figures mean
// nothing otherwise.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "tests/app/generic_serve.hpp"
#include "tests/app/run_slabot.hpp"
#include "tests/support/environment_variable.hpp"

namespace slabot::testing {
namespace {

using nlohmann::json;

json run_load_gen(const TempDir& dir, unsigned short port, const std::vector<std::string>& more, int expected_exit) {
  std::vector<std::string> args{
      "--port", std::to_string(port), "--connections", "3",     "--seconds", "0.5", "--warmup",
      "0",      "--engineer",         "u-erin",        "--json"};
  args.insert(args.end(), more.begin(), more.end());
  const RunResult run = run_program(SLABOT_LOAD_GEN, dir, args);
  INFO("load_gen's stderr: " << run.err);
  REQUIRE(run.exit_code == expected_exit);
  return json::parse(run.out);
}

double monotonic_ms() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

long long count(const std::string& db, const std::string& sql) {
  SQLite::Database raw(db, SQLite::OPEN_READONLY);
  SQLite::Statement query(raw, sql);
  REQUIRE(query.executeStep());
  return query.getColumn(0).getInt64();
}

// `slabot serve` on a fresh database, with load_gen's secret in the environment (or another).
struct ServedDatabase {
  explicit ServedDatabase(const std::string& load_gen_secret = kSecret)
      : secret("SLABOT_GENERIC_SECRET", load_gen_secret.c_str()), server(start_serve(dir, db, unused_port(), 0)) {}
  TempDir dir;
  std::string db = dir.file("slabot.db");
  EnvironmentVariable secret;
  Server server;
};

}  // namespace

TEST_CASE("load_gen: every /open it counts is a signed request the server took, one ticket each") {
  ServedDatabase served;
  auto& [dir, db, secret, server] = served;

  const json result = run_load_gen(dir, server.port, {"--workload", "open"}, 0);
  const auto requests = result.at("requests").get<long long>();
  CHECK(requests > 0);
  CHECK(result.at("ok").get<long long>() == requests);
  CHECK(result.at("transport_errors") == 0);
  CHECK(result.at("statuses") == json{{"200", requests}});
  CHECK(result.at("send_lag_p99_ms") == 0);  // a closed loop waits on no timer
  REQUIRE(server.process->terminate(std::chrono::seconds(10)).has_value());
  // Each answered /open is a ticket of its own, with its own event (with no warm-up every request
  // sent is counted).
  const long long tickets = count(db, "SELECT COUNT(*) FROM tickets WHERE title LIKE 'load test %'");
  CHECK(tickets == requests);
  CHECK(count(db, "SELECT COUNT(DISTINCT title) FROM tickets") == tickets);
  CHECK(count(db, "SELECT COUNT(DISTINCT event_id) FROM processed_events") == tickets);
}

TEST_CASE("load_gen: an open loop sends exactly its offered rate, and says how late it sent") {
  ServedDatabase served;
  auto& [dir, db, secret, server] = served;

  // 400/s for half a second: requests 0..199 are due inside the window, and no other.
  const double before_ms = monotonic_ms();
  const json result =
      run_load_gen(dir, server.port, {"--workload", "open", "--rate", "400", "--trace", dir.file("trace.txt")}, 0);
  const double after_ms = monotonic_ms();
  CHECK(result.at("mode") == "open");
  CHECK(result.at("requests") == 200);
  CHECK(result.at("ok") == 200);
  // Each request waited for its time on the pacer's timer, which fires after it, never before.
  const double lag = result.at("send_lag_p99_ms").get<double>();
  CHECK(lag > 0);
  CHECK(lag <= result.at("max_ms").get<double>());  // each lag is part of its latency
  REQUIRE(server.process->terminate(std::chrono::seconds(10)).has_value());
  CHECK(count(db, "SELECT COUNT(*) FROM tickets") == 200);

  // The trace: a line for each counted request, its intended time on this machine's monotonic
  // clock (that of `perf record -k mono`) 2.5 ms after the one before, and its latency.
  std::ifstream trace(dir.file("trace.txt"));
  std::string header;
  std::getline(trace, header);
  CHECK(header.rfind("# ", 0) == 0);
  std::vector<std::pair<double, double>> lines;
  for (double intended = 0, latency = 0; trace >> intended >> latency;) lines.emplace_back(intended, latency);
  REQUIRE(lines.size() == 200);
  // In the order answered, on one thread: each line's answer time (intended + latency) comes no
  // earlier than the one before, which holds only while each latency stays with its own request.
  for (std::size_t i = 1; i < lines.size(); ++i) {
    CHECK(lines[i].first + lines[i].second >= lines[i - 1].first + lines[i - 1].second - 0.001);
  }
  std::sort(lines.begin(), lines.end());
  CHECK(lines.front().first > before_ms);
  CHECK(lines.back().first + lines.back().second < after_ms);
  for (std::size_t i = 1; i < lines.size(); ++i) CHECK(lines[i].first - lines[i - 1].first == Approx(2.5).margin(0.01));
  double slowest = 0;
  for (const auto& line : lines) slowest = std::max(slowest, line.second);
  CHECK(slowest == Approx(result.at("max_ms").get<double>()).margin(0.001));
}

TEST_CASE("load_gen: the open loop's pacer wakes at most once a tick, and its lateness is counted") {
  ServedDatabase served;
  auto& [dir, db, secret, server] = served;

  // 400/s with a 20 ms tick: a wake sends the requests due since the last one, up to 20 ms late,
  // and each is still timed from its own intended send, so the delay is in its latency.
  const json result = run_load_gen(dir, server.port, {"--workload", "open", "--rate", "400", "--tick", "20"}, 0);
  CHECK(result.at("requests") == 200);
  CHECK(result.at("ok") == 200);
  const double lag = result.at("send_lag_p99_ms").get<double>();
  CHECK(lag >= 10);
  CHECK(lag <= result.at("max_ms").get<double>());
  REQUIRE(server.process->terminate(std::chrono::seconds(10)).has_value());

  const RunResult bad = run_program(SLABOT_LOAD_GEN, dir, {"--rate", "400", "--tick", "-1"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("usage:") != std::string::npos);
}

TEST_CASE("load_gen: a trace it cannot write is a usage error before anything is sent") {
  TempDir dir;
  const RunResult run = run_program(SLABOT_LOAD_GEN, dir, {"--trace", dir.file("no-such-dir/trace.txt")});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("cannot write") != std::string::npos);
}

TEST_CASE("load_gen: the mixed workload, /ack and /healthz are all answered 200") {
  ServedDatabase served;
  auto& [dir, db, secret, server] = served;

  for (const std::string workload : {"mixed", "ack", "healthz"}) {
    INFO(workload);
    const json result = run_load_gen(dir, server.port, {"--workload", workload, "--prepare", "40"}, 0);
    CHECK(result.at("requests").get<long long>() > 0);
    CHECK(result.at("ok") == result.at("requests"));
  }
  REQUIRE(server.process->terminate(std::chrono::seconds(10)).has_value());
  CHECK(count(db, "SELECT COUNT(*) FROM tickets WHERE acked_at IS NOT NULL") > 0);
  CHECK(count(db, "SELECT COUNT(*) FROM activity WHERE action = 'noted'") > 0);
}

TEST_CASE("load_gen: /ack acknowledges each prepared ticket once, then the run ends, early if need be") {
  ServedDatabase served;
  auto& [dir, db, secret, server] = served;

  // 40 tickets go in far less than the 30 s asked: the run stops at the last, and its rate counts
  // up to that answer, not over the 30 s.
  const json result = run_load_gen(dir, server.port, {"--workload", "ack", "--prepare", "40", "--seconds", "30"}, 0);
  CHECK(result.at("requests") == 40);
  CHECK(result.at("ok") == 40);
  CHECK(result.at("counted_s").get<double>() < 30);
  CHECK(result.at("per_s").get<double>() > 40.0 / 30);
  // The same in an open loop: 40 more at 400/s take a tenth of a second, and the rate says 400,
  // not 40 over 30 s.
  const json paced =
      run_load_gen(dir, server.port, {"--workload", "ack", "--prepare", "40", "--seconds", "30", "--rate", "400"}, 0);
  CHECK(paced.at("requests") == 40);
  CHECK(paced.at("ok") == 40);
  CHECK(paced.at("per_s").get<double>() > 10);
  REQUIRE(server.process->terminate(std::chrono::seconds(10)).has_value());
  CHECK(count(db, "SELECT COUNT(*) FROM tickets") == 80);
  CHECK(count(db, "SELECT COUNT(*) FROM tickets WHERE acked_at IS NOT NULL") == 80);
  CHECK(count(db, "SELECT COUNT(*) FROM activity WHERE action = 'acknowledged'") == 80);
}

TEST_CASE("load_gen: a 200 that is not the work done (a refusal) is not ok, and it exits 1") {
  ServedDatabase served;
  auto& [dir, db, secret, server] = served;

  // The partner may not acknowledge: every /ack is answered 200, with a refusal.
  const json result =
      run_load_gen(dir, server.port, {"--workload", "ack", "--prepare", "10", "--engineer", "u-pat"}, 1);
  CHECK(result.at("requests") == 10);
  CHECK(result.at("statuses") == json{{"200", 10}});
  CHECK(result.at("unexpected_replies") == 10);
  CHECK(result.at("ok") == 0);
  REQUIRE(server.process->terminate(std::chrono::seconds(10)).has_value());
  CHECK(count(db, "SELECT COUNT(*) FROM tickets WHERE acked_at IS NOT NULL") == 0);
}

TEST_CASE("load_gen: a server that answers 200 to anything is not slabot: open, ack and mixed all fail") {
  TempDir dir;
  EnvironmentVariable secret("SLABOT_GENERIC_SECRET", kSecret.c_str());
  // load_gen's own ceiling: 200 and `{"reply":""}` to every request, signed or not. A benchmark
  // pointed at it by mistake (as bench-http.sh once was) must not report its figures as slabot's.
  Server ceiling = start_answering(
      [&](unsigned short port, int attempt) {
        return std::make_unique<ServeProcess>(
            std::vector<std::string>{SLABOT_LOAD_GEN, "--serve-ceiling", std::to_string(port)},
            dir.file("ceiling-" + std::to_string(attempt) + ".log"), std::map<std::string, std::string>{});
      },
      "load_gen --serve-ceiling");

  const json opened = run_load_gen(dir, ceiling.port, {"--workload", "open"}, 1);
  CHECK(opened.at("requests").get<long long>() > 0);
  CHECK(opened.at("statuses") == json{{"200", opened.at("requests")}});
  CHECK(opened.at("unexpected_replies") == opened.at("requests"));
  CHECK(opened.at("ok") == 0);
  // /ack and the mixed chat open their tickets first, and no ticket is opened: nothing is run.
  for (const std::string workload : {"ack", "mixed"}) {
    const RunResult refused = run_program(
        SLABOT_LOAD_GEN, dir, {"--port", std::to_string(ceiling.port), "--workload", workload, "--prepare", "5"});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("could open only 0 of 5 tickets") != std::string::npos);
    CHECK(refused.out.empty());
  }
  const json healthz = run_load_gen(dir, ceiling.port, {"--workload", "healthz"}, 0);
  CHECK(healthz.at("ok") == healthz.at("requests"));  // /healthz is not checked: the ceiling's row
}

TEST_CASE("load_gen: with the wrong secret every answer is 401 and it exits 1") {
  ServedDatabase served("not-the-secret");
  auto& [dir, db, secret, server] = served;

  const json result = run_load_gen(dir, server.port, {"--workload", "open"}, 1);
  CHECK(result.at("ok") == 0);
  CHECK(result.at("statuses").size() == 1);
  CHECK(result.at("statuses").value("401", 0) > 0);
  REQUIRE(server.process->terminate(std::chrono::seconds(10)).has_value());
  CHECK(count(db, "SELECT COUNT(*) FROM tickets") == 0);
}

}  // namespace slabot::testing
