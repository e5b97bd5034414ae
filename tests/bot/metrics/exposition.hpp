#pragma once
// Reading a Prometheus text exposition back in tests: one sample's value, and promtool's verdict.
#include <optional>
#include <string>

namespace slabot::testing {

// The value of the sample written exactly as `series` (name and labels, labels in name order as
// the registry writes them); nullopt when there is no such line.
std::optional<double> sample(const std::string& exposition, const std::string& series);

// `promtool check metrics` on `exposition` through its standard input: nullopt when promtool is
// not installed (Debian's `prometheus` package), else its exit status and what it printed.
struct PromtoolVerdict {
  int status = 0;
  std::string output;
};
std::optional<PromtoolVerdict> promtool_check(const std::string& exposition);

}  // namespace slabot::testing
