#pragma once
// Severity levels and their response limits: seed 000, section 4 (clock runs 7x24).
#include <optional>
#include <string_view>

#include "domain/time.hpp"

namespace slabot {

constexpr int kMostSevere = 1;
constexpr int kLeastSevere = 5;

inline bool is_valid_severity(int level) { return level >= kMostSevere && level <= kLeastSevere; }

// "Critical", "Urgent", "High", "Medium", "Low".
std::string_view severity_name(int level);

// 15 min, 40 min, 4 h, 8 h, 18 h.
Duration default_response_limit(int level);

// Accepts 1..5, sev1..sev5 and the names, case-insensitively.
std::optional<int> parse_severity(std::string_view text);

}  // namespace slabot
