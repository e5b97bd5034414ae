#include "domain/severity.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace slabot {
namespace {

struct SeverityRow {
  std::string_view name;
  Duration limit;
};

using namespace std::chrono_literals;
constexpr std::array<SeverityRow, 5> kTable{{
    {"Critical", 15min},
    {"Urgent", 40min},
    {"High", 4h},
    {"Medium", 8h},
    {"Low", 18h},
}};

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view severity_name(int level) {
  return is_valid_severity(level) ? kTable[level - 1].name : std::string_view{"Unknown"};
}

Duration default_response_limit(int level) {
  return is_valid_severity(level) ? kTable[level - 1].limit : Duration::zero();
}

std::optional<int> parse_severity(std::string_view text) {
  const std::string word = lowercase(text);
  const std::string digits = word.starts_with("sev") ? word.substr(3) : word;
  if (digits.size() == 1 && digits[0] >= '1' && digits[0] <= '5') return digits[0] - '0';
  for (int level = kMostSevere; level <= kLeastSevere; ++level) {
    if (word == lowercase(kTable[level - 1].name)) return level;
  }
  return std::nullopt;
}

}  // namespace slabot
