#pragma once
// Health checks and consulting services (cloud migration, landing zone design) done in a period.
//
// HOOK: they are recorded by `/done` as rows of a tenant-level log, `tenant_activity` (action
// "service_done", detail "healthcheck|migration|landing[: note]"), built in parallel with this
// report. Until it lands, the report is given no rows and says nothing was recorded; after the
// merge the reader passes that table's rows of the period here (report_source.cpp).
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

struct ServiceFigures {
  bool recorded = false;  // whether the log of services was read at all (false until the hook is wired)
  std::vector<ServiceDone> done;  // in time order
};

// What `rows` (any order, any period) say was done in [start, end): rows of other actions, and
// details naming no known service, are left out.
ServiceFigures services_done(const std::vector<TenantActivityRow>& rows, Timestamp start, Timestamp end);

// "health check", "cloud migration consulting", "landing zone design"; the kind itself if unknown.
std::string service_title(const std::string& kind);

}  // namespace slabot
