#include <catch2/catch.hpp>

#include <sstream>

#include "bot/app.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

std::string run_script(const std::string& db, const std::string& script) {
  std::istringstream in(script);
  std::ostringstream out;
  REQUIRE(run_console(ConsoleOptions{db}, in, out, false) == 0);
  return out.str();
}

}  // namespace

TEST_CASE("console: a scripted chat opens, acknowledges and lists a ticket") {
  testing::TempDir dir;
  const auto out = run_script(dir.file("c.db"),
                              "/open critical DB down for:BigCo\n"
                              ":as erin\n"
                              "/ack 1\n"
                              "/list\n");
  CHECK(out.find("slabot: #1 opened: Critical \"DB down\" for BigCo; response due ") != std::string::npos);
  CHECK(out.find("you are now Erin, engineer\n") != std::string::npos);
  CHECK(out.find("slabot: #1 acknowledged by Erin after ") != std::string::npos);
  CHECK(out.find("slabot: 1 open ticket:\n#1 Critical acknowledged \"DB down\" for BigCo, Erin\n") !=
        std::string::npos);
}

TEST_CASE("console: the demo partner may not acknowledge; the demo staff may") {
  testing::TempDir dir;
  const auto out = run_script(dir.file("c.db"), "/open 2 API errors\n/ack 1\n:as tom\n/ack 1\n");
  CHECK(out.find("slabot: only support staff may ack tickets\n") != std::string::npos);
  CHECK(out.find("slabot: #1 acknowledged by Tom after") != std::string::npos);
}

TEST_CASE("console: its own commands list people, switch, explain, and refuse unknown names") {
  testing::TempDir dir;
  const auto out = run_script(dir.file("c.db"), ":people\n:as nobody\n:help\n:frob\n");
  CHECK(out.find("* pat - Pat, partner\n  erin - Erin, engineer\n  tom - Tom, TAM\n"
                 "  maria - Maria, service manager\n") != std::string::npos);
  CHECK(out.find("no one called \"nobody\" here; usage: :as <person> (see :people)\n") != std::string::npos);
  CHECK(out.find(":as <person>   type as someone else") != std::string::npos);
  CHECK(out.find("unknown console command :frob; try :help\n") != std::string::npos);
}

TEST_CASE("console: ordinary chat gets no answer, a malformed command its usage, :quit ends") {
  testing::TempDir dir;
  const auto out = run_script(dir.file("c.db"), "hello everyone\n/sev 1\n:quit\n/open 1 never read\n");
  CHECK(out.find("hello") == std::string::npos);
  CHECK(out.find("usage: /sev <id> <level>") != std::string::npos);
  CHECK(out.find("never read") == std::string::npos);
  CHECK(out.find("#1 opened") == std::string::npos);
}

TEST_CASE("console: the demo database keeps tickets between sessions") {
  testing::TempDir dir;
  run_script(dir.file("c.db"), "/open 3 kept\n");
  const auto out = run_script(dir.file("c.db"), "/show 1\n");
  CHECK(out.find("#1 High open \"kept\"") != std::string::npos);
}
