#pragma once
// The packages tenants run on: the config's, as `/package` changed them (tenant_log.hpp's
// running_package). Read from the store at start, on a reload and after each change, and
// written into the running config, so everything that reads a tenant's package (the response
// limits of new tickets, the SLA stages, the TAM rung, /sla, /whoami) reads the running one.
#include "config/config.hpp"
#include "storage/store.hpp"

namespace slabot {

Config with_running_packages(Config config, Store& store);

}  // namespace slabot
