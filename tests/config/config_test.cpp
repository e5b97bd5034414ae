#include <catch2/catch.hpp>

#include "config/config.hpp"

using namespace slabot;

namespace {

Config sample() {
  Config config;
  config.tenants = {{"acme", "Acme", Package::premium}, {"globex", "Globex", Package::elite}};
  config.staff = {
      {"alice", "Alice Wang", Role::tam, {{"slack", "U01ALICE"}, {"generic", "u-alice"}}},
      {"wei", "Wei Zhang", Role::engineer, {{"generic", "u-wei"}}},
      // A name equal to another member's id: the id must win.
      {"bob", "alice", Role::engineer, {}},
  };
  config.connections = {{"hooks", "generic", {{"secret", "x"}}, ""}, {"local", "console", {}, ""}};
  config.channels = {{"hooks", "acme-7x24", "acme"}, {"hooks", "escalations", ""}, {"local", "acme-7x24", "globex"}};
  return config;
}

}  // namespace

TEST_CASE("find_tenant and find_connection match exactly") {
  Config config = sample();
  REQUIRE(config.find_tenant("globex") != nullptr);
  CHECK(config.find_tenant("globex")->name == "Globex");
  CHECK(config.find_tenant("Globex") == nullptr);
  CHECK(config.find_tenant("") == nullptr);
  REQUIRE(config.find_connection("local") != nullptr);
  CHECK(config.find_connection("local")->adapter == "console");
  CHECK(config.find_connection("nope") == nullptr);
}

TEST_CASE("find_channel needs both the connection and the chat id") {
  Config config = sample();
  const Channel* on_hooks = config.find_channel("hooks", "acme-7x24");
  const Channel* on_local = config.find_channel("local", "acme-7x24");
  REQUIRE(on_hooks != nullptr);
  REQUIRE(on_local != nullptr);
  CHECK(on_hooks->tenant_id == "acme");
  CHECK(on_local->tenant_id == "globex");
  REQUIRE(config.find_channel("hooks", "escalations") != nullptr);
  CHECK(config.find_channel("hooks", "escalations")->support_side());
  CHECK(config.find_channel("local", "escalations") == nullptr);
}

TEST_CASE("find_staff_by_platform looks only at that platform's id") {
  Config config = sample();
  REQUIRE(config.find_staff_by_platform("slack", "U01ALICE") != nullptr);
  CHECK(config.find_staff_by_platform("slack", "U01ALICE")->id == "alice");
  CHECK(config.find_staff_by_platform("generic", "u-wei")->id == "wei");
  CHECK(config.find_staff_by_platform("generic", "U01ALICE") == nullptr);
  CHECK(config.find_staff_by_platform("slack", "u01alice") == nullptr);
  CHECK(config.find_staff_by_platform("console", "u-wei") == nullptr);
}

TEST_CASE("find_staff takes an id or a name, in any ASCII case, with or without '@'") {
  Config config = sample();
  auto id_of = [&](const std::string& query) {
    const StaffMember* member = config.find_staff(query);
    return member == nullptr ? std::string("<none>") : member->id;
  };
  CHECK(id_of("wei") == "wei");
  CHECK(id_of("WEI") == "wei");
  CHECK(id_of("@Wei") == "wei");
  CHECK(id_of("wei zhang") == "wei");
  CHECK(id_of("@Wei Zhang") == "wei");
  CHECK(id_of("alice") == "alice");  // id beats bob's name "alice"
  CHECK(id_of("Alice Wang") == "alice");
  CHECK(id_of("@@wei") == "<none>");  // only one '@' is a mention
  CHECK(id_of("@") == "<none>");
  CHECK(id_of("") == "<none>");
  CHECK(id_of("we") == "<none>");
}
