#include "tests/bot/metrics/exposition.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.hpp"

namespace slabot::testing {

std::optional<double> sample(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

std::optional<PromtoolVerdict> promtool_check(const std::string& exposition) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
  TempDir dir;
  const std::string input = dir.file("scrape.txt");
  const std::string output = dir.file("promtool.txt");
  std::ofstream(input) << exposition;
  const std::string command = "promtool check metrics < '" + input + "' > '" + output + "' 2>&1";
  const int raw = std::system(command.c_str());
  PromtoolVerdict verdict;
  verdict.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ostringstream printed;
  printed << std::ifstream(output).rdbuf();
  verdict.output = printed.str();
  return verdict;
}

}  // namespace slabot::testing
