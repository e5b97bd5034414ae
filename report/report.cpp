#include "report/report.hpp"

#include <numeric>

namespace slabot {
namespace {

// The nearest-rank percentile of ascending `times`: the smallest value with at least `per_cent`
// of them at or below it (integers only, so every run gives the same answer).
std::optional<Duration> nearest_rank(const std::vector<Duration>& times, int per_cent) {
  if (times.empty()) return std::nullopt;
  const std::size_t rank = (times.size() * static_cast<std::size_t>(per_cent) + 99) / 100;
  return times[rank == 0 ? 0 : rank - 1];
}

}  // namespace

std::optional<Duration> SeverityFigures::median() const { return nearest_rank(ack_times, 50); }
std::optional<Duration> SeverityFigures::p90() const { return nearest_rank(ack_times, 90); }
std::optional<Duration> SeverityFigures::worst() const {
  if (ack_times.empty()) return std::nullopt;
  return ack_times.back();
}

int Report::opened() const {
  return std::accumulate(severities.begin(), severities.end(), 0,
                         [](int sum, const SeverityFigures& s) { return sum + s.opened; });
}
int Report::met() const {
  return std::accumulate(severities.begin(), severities.end(), 0,
                         [](int sum, const SeverityFigures& s) { return sum + s.met; });
}
int Report::missed() const {
  return std::accumulate(severities.begin(), severities.end(), 0,
                         [](int sum, const SeverityFigures& s) { return sum + s.missed; });
}

std::string percent(int part, int whole) {
  if (whole <= 0) return "-";
  // Tenths of a per cent, rounded half up, in integers.
  const long long tenths = (2000LL * part + whole) / (2LL * whole);
  std::string text = std::to_string(tenths / 10);
  if (tenths % 10) text += "." + std::to_string(tenths % 10);
  return text + "%";
}

}  // namespace slabot
