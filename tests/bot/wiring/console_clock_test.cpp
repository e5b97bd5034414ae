#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "bot/app.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

std::string run_script(const ConsoleOptions& options, const std::string& script) {
  std::istringstream in(script);
  std::ostringstream out;
  REQUIRE(run_console(options, in, out, false) == 0);
  return out.str();
}

}  // namespace

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("console: at --speed 600 a critical ticket breaches within a :wait and climbs to the TAM") {
  testing::TempDir dir;
  // 600x: the 15-minute limit passes in 1.5 s of real time, the warnings 450 ms apart (a busy
  // machine may be that late; at 3600x a late warning would rightly collapse into the next).
  const auto out = run_script({dir.file("c.db"), 600}, "/open critical DB down\n:wait 16m\n");
  CHECK(out.find("slabot: #1 opened: Critical \"DB down\"") != std::string::npos);
  CHECK(count(out, "slabot: #1 Critical \"DB down\": no response yet, ") == 2);  // at 50% and 80%
  CHECK(out.find("slabot: #1 Critical \"DB down\": response SLA of 15m breached; escalated to TAM: Tom") !=
        std::string::npos);
  // The climb is told to the support side too, marked as such.
  CHECK(out.find("slabot (support): #1 [Demo Partner Ltd] Critical \"DB down\": response SLA of 15m breached") !=
        std::string::npos);
  // Warnings come before the breach: the outbox keeps one group's order.
  CHECK(out.find("no response yet") < out.find("breached"));
}

TEST_CASE("console: an acknowledged ticket stays quiet; :wait explains itself when malformed") {
  testing::TempDir dir;
  const auto out =
      run_script({dir.file("c.db"), 600}, "/open critical DB down\n:as erin\n/ack 1\n:wait 16m\n:wait soon\n");
  CHECK(out.find("slabot: #1 acknowledged by Erin") != std::string::npos);
  CHECK(out.find("breached") == std::string::npos);
  CHECK(out.find("usage: :wait <time>, e.g. :wait 30s, :wait 20m, :wait 1h30m") != std::string::npos);
}

TEST_CASE("console: a sped-up run's temporary database is removed when it ends") {
  testing::TempDir dir;
  ConsoleOptions options{dir.file("speed.db"), 600, true};
  run_script(options, "/open 3 slow page\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("speed.db")));
  CHECK_FALSE(std::filesystem::exists(dir.file("speed.db-wal")));
}
