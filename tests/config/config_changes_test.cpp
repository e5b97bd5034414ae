// What a reload changes: named by the file's keys, restart-only keys kept as they run.
#include "config/config_changes.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "config/live_config.hpp"

using namespace slabot;

namespace {

Config running_config() {
  Config c;
  c.listen_address = "127.0.0.1";
  c.listen_port = 8080;
  c.database_path = "slabot.db";
  c.tenants.push_back({"acme", "Acme", Package::premium, "tom"});
  c.staff.push_back({"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}, true});
  c.connections.push_back({"hooks", "generic", {{"secret", "s1"}}, "https://chat.example/out"});
  c.channels.push_back({"hooks", "acme-7x24", "acme"});
  return c;
}

}  // namespace

TEST_CASE("config changes: an identical file changes nothing") {
  const auto changes = compare_configs(running_config(), running_config());
  CHECK(changes.applied.empty());
  CHECK(changes.need_restart.empty());
  CHECK(join_keys(changes.applied) == "nothing");
}

TEST_CASE("config changes: each reloadable key is named by the file's own name for it") {
  const Config running = running_config();
  Config next = running;
  next.staff.push_back({"nia", "Nia", Role::engineer, {{"generic", "u-nia"}}, false});
  next.staff[0].on_duty = false;
  next.sla.for_package(Package::premium).warn_at = {0.25};
  next.outbox.max_attempts = 5;
  next.bot_name = "deskbot";
  const auto changes = compare_configs(running, next);
  CHECK(changes.applied == std::vector<std::string>{"bot_name", "staff", "packages", "outbox"});
  CHECK(changes.need_restart.empty());
  CHECK(join_keys(changes.applied) == "bot_name, staff, packages, outbox");
}

TEST_CASE("config changes: a rotated secret shows as connections; tenants and channels too") {
  const Config running = running_config();
  Config next = running;
  next.connections[0].secrets["secret"] = "s2";
  next.tenants[0].package = Package::elite;
  next.channels.push_back({"hooks", "support", ""});
  CHECK(compare_configs(running, next).applied == std::vector<std::string>{"tenants", "connections", "channels"});
}

TEST_CASE("config changes: listen, database and http wait for a restart and keep their running values") {
  const Config running = running_config();
  Config next = running;
  next.listen_port = 9090;
  next.database_path = "other.db";
  next.http.max_connections = 16;
  next.staff.clear();
  const auto changes = compare_configs(running, next);
  CHECK(changes.need_restart == std::vector<std::string>{"listen", "database", "http"});
  CHECK(changes.applied == std::vector<std::string>{"staff"});
  const Config kept = keep_restart_only(running, next);
  CHECK(kept.listen_port == 8080);
  CHECK(kept.database_path == "slabot.db");
  CHECK(kept.http == running.http);
  CHECK(kept.staff.empty());  // what may change, changed
}

TEST_CASE("live config: a snapshot taken before a replace stays whole; the next one is the new config") {
  LiveConfig live(running_config());
  const auto before = live.current();
  const auto generation = live.generation();
  Config next = running_config();
  next.staff.clear();
  live.replace(next);
  CHECK(before->staff.size() == 1);  // still usable: its holder keeps it
  CHECK(live.current()->staff.empty());
  CHECK(live.generation() == generation + 1);
}

TEST_CASE("live config: readers racing replacements always see one whole config") {
  Config a = running_config();
  Config b = running_config();
  b.staff.clear();
  b.tenants.clear();
  LiveConfig live(a);
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!stop) {
      const auto c = live.current();
      if (c->staff.empty() != c->tenants.empty()) ++torn;
    }
  });
  for (int i = 0; i < 2000; ++i) live.replace(i % 2 ? a : b);
  stop = true;
  reader.join();
  CHECK(torn == 0);
  CHECK(live.generation() == 2000);
}
