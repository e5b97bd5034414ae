// `slabot report` through the real binary: main hands it over, and `slabot help` knows it.
#include <catch2/catch.hpp>

#include "tests/app/run_slabot.hpp"

using namespace slabot::testing;

TEST_CASE("slabot report: the binary dispatches it, its help and its mistakes") {
  TempDir dir;
  const RunResult help = run_slabot(dir, {"help", "report"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.starts_with("usage: slabot report --config FILE --tenant ID --period YYYY-MM"));
  const RunResult listed = run_slabot(dir, {"help"});
  CHECK(listed.out.find("slabot report --config FILE --tenant ID --period YYYY-MM") != std::string::npos);
  const RunResult bare = run_slabot(dir, {"report"});
  CHECK(bare.exit_code == 2);
  CHECK(bare.err.starts_with("slabot report: missing --config FILE\n"));
  const RunResult missing =
      run_slabot(dir, {"report", "--config", dir.file("none.json"), "--tenant", "acme", "--period", "2026-11"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
}
