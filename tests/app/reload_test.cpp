// The real binary reloading its config on SIGHUP, as `systemctl reload slabot` does it: a file
// that is whole is applied between requests (a new engineer acks at once, a rotated secret signs
// the next request), a broken one is refused and the running config kept, keys that need a
// restart are named, and requests arriving across reloads are all answered.
#include <catch2/catch.hpp>

#include <atomic>
#include <cctype>
#include <csignal>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/sqlite_store.hpp"
#include "tests/app/generic_serve.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

// Sends SIGHUP and waits (bounded) for the reload's log line: applied or refused.
bool reload(Server& server) {
  const std::string before = server.process->log();
  const auto done = [&](const std::string& log) {
    return occurrences(log, "config: reloaded") + occurrences(log, "config: reload refused") >
           occurrences(before, "config: reloaded") + occurrences(before, "config: reload refused");
  };
  server.process->signal(SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done(server.process->log())) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

json staff_with(const std::vector<std::pair<std::string, std::string>>& engineers) {
  json staff = json::array();
  for (const auto& [id, user] : engineers) {
    staff.push_back({{"id", id},
                     {"name", std::string(1, static_cast<char>(std::toupper(id[0]))) + id.substr(1)},
                     {"role", "engineer"},
                     {"ids", {{"generic", user}}}});
  }
  return staff;
}

// The config serve was started with, written again with `extra` (same port, same database).
void rewrite(const TempDir& dir, const Server& server, const std::string& db, const json& extra) {
  write_config(dir, db, server.port, 9, extra);
}

std::string metrics_of(const Server& server) { return http_request(server.port, "GET", "/metrics", {}, "").body; }

}  // namespace

TEST_CASE("reload: an engineer added to the file can /ack at once; the log names what changed") {
  TempDir dir;
  const std::string db = dir.file("reload.db");
  Server server = start_serve(dir, db, 9, 0);
  const auto id = opened_id(post_text(server.port, "e1", "pat", "/open 2 VPN flapping"));
  REQUIRE(id);
  const std::string ack = "/ack " + std::to_string(*id);
  const std::string before = reply_of(post_text(server.port, "e2", "u-nia", ack));
  CHECK(before.find("acknowledged by") == std::string::npos);  // a partner, as far as serve knows

  rewrite(dir, server, db, {{"staff", staff_with({{"erin", "u-erin"}, {"nia", "u-nia"}})}});
  REQUIRE(reload(server));
  const std::string after = reply_of(post_text(server.port, "e3", "u-nia", ack));
  CHECK(after.starts_with("#" + std::to_string(*id) + " acknowledged by Nia"));

  const std::string log = server.process->log();
  INFO("slabot serve log:\n" << log);
  CHECK(log.find("config: reloaded " + dir.file("slabot.json") + "; changed: staff") != std::string::npos);
  CHECK(metrics_of(server).find("slabot_config_reloads_total{result=\"applied\"} 1") != std::string::npos);
  CHECK(server.process->terminate(10s) == 0);
}

TEST_CASE("reload: a broken file is refused with its problems logged, and serve goes on with the old config") {
  TempDir dir;
  const std::string db = dir.file("broken.db");
  Server server = start_serve(dir, db, 9, 0);
  // A channel of a tenant nobody defined, and the only engineer gone: neither may take effect.
  rewrite(dir, server, db,
          {{"staff", json::array()},
           {"channels", {{{"connection", kConnection}, {"chat_id", kGroup}, {"tenant", "nobody"}}}}});
  REQUIRE(reload(server));
  // Then a file that is not JSON at all.
  std::ofstream(dir.file("slabot.json")) << "{\"listen\": ";
  REQUIRE(reload(server));

  const auto id = opened_id(post_text(server.port, "b1", "pat", "/open 1 still here?"));
  REQUIRE(id);  // the group is still Acme's
  const std::string acked = reply_of(post_text(server.port, "b2", "u-erin", "/ack " + std::to_string(*id)));
  CHECK(acked.starts_with("#" + std::to_string(*id) + " acknowledged by Erin"));  // Erin is still staff

  const std::string log = server.process->log();
  INFO("slabot serve log:\n" << log);
  CHECK(occurrences(log, "config: reload refused") == 2);
  CHECK(log.find("still running the config loaded before") != std::string::npos);
  CHECK(log.find("/channels/0/tenant") != std::string::npos);
  CHECK(log.find("config: reloaded") == std::string::npos);
  const std::string metrics = metrics_of(server);
  CHECK(metrics.find("slabot_config_reloads_total{result=\"refused\"} 2") != std::string::npos);
  CHECK(metrics.find("slabot_config_last_reload_successful 0") != std::string::npos);
  CHECK(server.process->terminate(10s) == 0);
}

TEST_CASE("reload: a rotated secret signs the next request; a new listen address waits for a restart") {
  TempDir dir;
  const std::string db = dir.file("rotate.db");
  Server server = start_serve(dir, db, 9, 0);
  json connections = {{{"name", kConnection},
                       {"adapter", "generic"},
                       {"secrets", {{"secret", "rotated-secret"}}},
                       {"outbound_url", "http://127.0.0.1:9/outbound"}}};
  rewrite(dir, server, db, {{"connections", connections}, {"listen", "127.0.0.1:" + std::to_string(unused_port())}});
  const std::string path = dir.file("slabot.json");
  REQUIRE(reload(server));

  const auto body = [](const std::string& event) {
    return json{{"event_id", event}, {"chat_id", kGroup}, {"user_id", "pat"}, {"user_name", "pat"}, {"text", "/list"}}
        .dump();
  };
  const auto now = static_cast<long long>(std::time(nullptr));
  CHECK(post_generic(server.port, kConnection, kSecret, now, body("r1")).status == 401);  // the old one no more
  CHECK(post_generic(server.port, kConnection, "rotated-secret", now, body("r2")).status == 200);

  const std::string log = server.process->log();
  INFO("slabot serve log:\n" << log);
  CHECK(log.find("changed: connections") != std::string::npos);
  CHECK(log.find("config: listen changed in " + path +
                 " but take effect only at a restart; still listening on "
                 "127.0.0.1:" +
                 std::to_string(server.port)) != std::string::npos);
  CHECK(log.find("rotated-secret") == std::string::npos);  // a secret is never logged
  CHECK(server.process->terminate(10s) == 0);
}

TEST_CASE("reload: requests arriving across 20 reloads are all answered, and every ticket answered is stored") {
  TempDir dir;
  const std::string db = dir.file("busy.db");
  Server server = start_serve(dir, db, 9, 0);
  std::atomic<bool> stop{false};
  std::vector<int> statuses;
  std::size_t opened = 0;
  std::thread client([&] {
    for (int i = 0; !stop || i < 50; ++i) {
      const auto result =
          post_text(server.port, "busy-" + std::to_string(i), "pat", "/open 3 load " + std::to_string(i));
      statuses.push_back(result.status);
      if (opened_id(result)) ++opened;
    }
  });
  bool all_reloaded = true;
  for (int i = 0; i < 20; ++i) {
    rewrite(dir, server, db,
            {{"staff", staff_with(i % 2 ? std::vector<std::pair<std::string, std::string>>{{"erin", "u-erin"}}
                                        : std::vector<std::pair<std::string, std::string>>{{"erin", "u-erin"},
                                                                                           {"nia", "u-nia"}})}});
    all_reloaded = reload(server) && all_reloaded;
  }
  stop = true;
  client.join();
  CHECK(all_reloaded);
  CHECK(server.process->terminate(10s) == 0);
  std::size_t answered = 0;
  for (const int status : statuses) answered += status == 200 ? 1 : 0;
  CHECK(answered == statuses.size());
  CHECK(opened == statuses.size());
  SqliteStore store({db});
  CHECK(store.count_tickets(TicketQuery{}) == opened);
  CHECK(occurrences(server.process->log(), "config: reloaded") == 20);
}
