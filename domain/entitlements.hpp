#pragma once
// What each support package promises beyond the response SLA (seed 000, section 3.2; the table
// in design/domain.md): the Critical Time Guarantee, health checks and consulting services per
// contract year or cadence, and the discounts on paid services (shown, never priced).
#include <array>
#include <optional>
#include <string_view>

#include "domain/tenant.hpp"

namespace slabot {

// Services staff record as done (`/done`), by the word typed and stored.
enum class Service { healthcheck, migration, landing };
std::string_view service_name(Service service);               // "healthcheck", "migration", "landing"
std::string_view service_title(Service service);              // "health check", "cloud migration consulting", ...
std::optional<Service> parse_service(std::string_view text);  // the names, any letter case

// How many a package includes, and over how many months: 1 every 3 months, 2 every 12.
struct Quota {
  int count = 0;
  int months = 12;
};

// A paid service and the package's discount on it, in percent (0: none).
struct Discount {
  std::string_view what;
  int percent = 0;
};

struct PackageFacts {
  int ctg_per_year = 0;  // Critical Time Guarantee uses a contract year
  Quota health_check;
  Quota migration;  // cloud migration consulting
  Quota landing;    // landing zone general design
  std::array<Discount, 3> discounts;
};

const PackageFacts& package_facts(Package package);
Quota quota_of(Package package, Service service);

// "a year", "a quarter", "a month", "every 6 months": a quota's cadence in words.
std::string_view cadence_words(int months);

}  // namespace slabot
