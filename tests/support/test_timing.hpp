#pragma once
// Slack for the sanitizer builds, which run the code 2 to 15 times slower: SLABOT_TEST_TIME_SCALE
// (scripts/sanitize.sh sets it; 1 when unset) stretches every duration of a timing-sensitive
// test together, its delays, its bounds and the limits they are checked against, so what it
// checks is unchanged: the same test on a slower clock.
#include <chrono>
#include <cstdlib>

namespace slabot::testing {

inline double time_scale() {
  static const double scale = [] {
    const char* text = std::getenv("SLABOT_TEST_TIME_SCALE");
    const double value = text ? std::atof(text) : 1.0;
    return value >= 1.0 ? value : 1.0;
  }();
  return scale;
}

template <class Rep, class Period>
std::chrono::milliseconds scaled(std::chrono::duration<Rep, Period> duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double, std::milli>(duration) *
                                                               time_scale());
}

}  // namespace slabot::testing
