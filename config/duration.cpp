#include "config/duration.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace slabot {
namespace {

constexpr std::array<std::pair<char, std::int64_t>, 4> kUnits{{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  const std::int64_t max_seconds = std::chrono::duration_cast<std::chrono::seconds>(kMaxConfigDuration).count();
  std::int64_t total = 0;     // seconds
  std::size_t next_unit = 0;  // index into kUnits: units come largest first, each once
  std::size_t pos = 0;
  if (text.empty()) return std::nullopt;
  while (pos < text.size()) {
    const std::size_t start = pos;
    std::int64_t number = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      number = number * 10 + (text[pos] - '0');
      if (number > max_seconds) return std::nullopt;  // too long in any unit; no overflow either
      ++pos;
    }
    if (pos == start || pos == text.size()) return std::nullopt;  // no number, or no unit after it
    const char unit = text[pos++];
    std::size_t index = next_unit;
    while (index < kUnits.size() && kUnits[index].first != unit) ++index;
    if (index == kUnits.size()) return std::nullopt;  // not a unit, or out of order, or repeated
    next_unit = index + 1;
    total += number * kUnits[index].second;
    if (total > max_seconds) return std::nullopt;
  }
  if (total == 0) return std::nullopt;
  return std::chrono::seconds(total);
}

std::string format_config_duration(Duration duration) {
  std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  if (seconds == 0) return "0s";
  std::string out;
  if (seconds < 0) {
    out = "-";
    seconds = -seconds;  // safe: a count of seconds is far from the int64 limit of milliseconds
  }
  for (const auto& [unit, size] : kUnits) {
    if (seconds >= size) {
      out += std::to_string(seconds / size);
      out += unit;
      seconds %= size;
    }
  }
  return out;
}

}  // namespace slabot
