#pragma once
// Response limits per severity. Defaults are seed 000's table; a package may override them.
#include <array>

#include "domain/severity.hpp"

namespace slabot {

struct SlaPolicy {
  std::array<Duration, 5> response_limits{default_response_limit(1), default_response_limit(2),
                                          default_response_limit(3), default_response_limit(4),
                                          default_response_limit(5)};

  Duration response_limit(int severity) const {
    return is_valid_severity(severity) ? response_limits[severity - 1] : Duration::zero();
  }
};

}  // namespace slabot
