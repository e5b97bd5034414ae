#pragma once
// A CommandService on a temporary SQLite store and a manual clock, with two tenants' groups
// (`a`, `b`) and the support side's channel to type in: what the command tests talk to.
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite_store.hpp"
#include "tests/support/fake_staff.hpp"
#include "tests/support/say_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace slabot::testing {

struct CommandChat {
  CommandChat(Timestamp start, std::vector<Actor> staff_members, Tenant a, Tenant b)
      : clock(start), staff(std::move(staff_members), {a, b}), tenant_a(std::move(a)), tenant_b(std::move(b)) {}

  TempDir dir;
  SqliteStore store{{dir.file("t.db")}};
  ManualClock clock;
  FakeStaff staff;
  CommandService service{store, clock, staff};
  Tenant tenant_a, tenant_b;

  std::string say(const Actor& who, const std::optional<Tenant>& tenant, const std::string& text,
                  std::vector<Actor> mentioned = {}) {
    return say_command(service, who, tenant, text, std::move(mentioned));
  }
  std::string in_a(const Actor& who, const std::string& text, std::vector<Actor> mentioned = {}) {
    return say(who, tenant_a, text, std::move(mentioned));
  }
  std::string in_b(const Actor& who, const std::string& text) { return say(who, tenant_b, text); }
  std::string in_support(const Actor& who, const std::string& text) { return say(who, std::nullopt, text); }
};

}  // namespace slabot::testing
