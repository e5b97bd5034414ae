#pragma once
// One row of a tenant's own append-only log: what happened to the tenant rather than to one
// ticket. Actions: "package" (detail "Premium -> Elite"), "service_done" (detail
// "healthcheck|migration|landing[: note]"), "ctg_exception" (the reason), "reminded" (the
// reminder's key, so each fires once).
#include <cstdint>
#include <string>

#include "domain/time.hpp"

namespace slabot {

struct TenantActivity {
  std::int64_t seq = 0;
  std::string tenant_id;
  Timestamp at{};
  std::string actor_id;
  std::string actor_name;
  std::string action;
  std::string detail;
  std::string channel;  // "<connection>:<chat id>"; "reminders" for the bot's own
};

}  // namespace slabot
