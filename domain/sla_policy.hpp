#pragma once
// The response SLA of one support package: limits per severity (seed 000's table by default),
// when to warn before a breach, and how often to ping after one.
#include <array>
#include <optional>
#include <vector>

#include "domain/severity.hpp"
#include "domain/tenant.hpp"

namespace slabot {

struct SlaPolicy {
  std::array<Duration, 5> response_limits{default_response_limit(1), default_response_limit(2),
                                          default_response_limit(3), default_response_limit(4),
                                          default_response_limit(5)};
  // Fractions of the response window at which the group is warned, ascending, each in (0, 1).
  std::vector<double> warn_at{0.5, 0.8};
  // How long after a breach (and after each repeat) the next ping comes; unset: the smaller of
  // the severity's limit and 30 minutes.
  std::optional<Duration> repeat_every;

  Duration response_limit(int severity) const {
    return is_valid_severity(severity) ? response_limits[severity - 1] : Duration::zero();
  }
  Duration repeat_interval(int severity) const;
  bool operator==(const SlaPolicy&) const = default;
};

// One policy per package.
struct SlaPolicies {
  std::array<SlaPolicy, 4> by_package{};  // indexed by Package
  const SlaPolicy& for_package(Package package) const { return by_package[static_cast<std::size_t>(package)]; }
  SlaPolicy& for_package(Package package) { return by_package[static_cast<std::size_t>(package)]; }
  bool operator==(const SlaPolicies&) const = default;
};

}  // namespace slabot
