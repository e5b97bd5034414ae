#pragma once
// The real binary (or another of the build) run to completion with some arguments: its exit code, stdout and stderr
// apart.
#include <chrono>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace slabot::testing {

struct RunResult {
  int exit_code = -1;  // -1: killed at the time limit, or ended by a signal
  std::string out, err;
};

// Runs `slabot args...` in `dir` (its output files go there too), killed after `limit`.
RunResult run_slabot(const TempDir& dir, const std::vector<std::string>& args,
                     std::chrono::milliseconds limit = std::chrono::seconds(30));

// The same for another program of the build (a benchmark tool): `program` is its path.
RunResult run_program(const std::string& program, const TempDir& dir, const std::vector<std::string>& args,
                      std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace slabot::testing
