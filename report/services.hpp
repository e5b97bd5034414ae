#pragma once
// Health checks and consulting services (cloud migration, landing zone design) done in a period.
//
// They are the rows `/done` appends to the tenant's own log, `tenant_activity` (action
// "service_done", detail "healthcheck|migration|landing[: note]"); ReportReader::services reads
// the period's.
#include <optional>
#include <string>
#include <vector>

#include "domain/time.hpp"

namespace slabot {

struct TenantActivityRow {
  Timestamp at{};
  std::string action;  // "service_done"
  std::string detail;  // "healthcheck: note"
};

struct ServiceDone {
  std::string kind;  // "healthcheck", "migration", "landing"
  Timestamp at{};
  std::string note;
};

// The health check the package asks for in the cadence period holding the period's last day.
struct HealthCheckDue {
  std::string due_by;  // that cadence period's last day, "2026-12-31"
  bool done = false;   // one was recorded in it by the period's end
};

struct ServiceFigures {
  bool recorded = false;          // whether the log of services was read at all (a report computed without it says so)
  std::vector<ServiceDone> done;  // in time order
  std::optional<HealthCheckDue> health_check;  // none when the package promises none
};

// What `rows` (any order, any period) say was done in [start, end): rows of other actions, and
// details naming no known service, are left out.
ServiceFigures services_done(const std::vector<TenantActivityRow>& rows, Timestamp start, Timestamp end);

// "health check", "cloud migration consulting", "landing zone design"; the kind itself if unknown.
std::string service_title(const std::string& kind);

}  // namespace slabot
