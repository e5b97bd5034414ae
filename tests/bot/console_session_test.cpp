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

TEST_CASE("console: :in switches to the support side's channel, where /outbox works; :channels lists") {
  testing::TempDir dir;
  const auto out = run_script(dir.file("c.db"),
                              ":channels\n:as erin\n/outbox\n:in support\n:channels\n/outbox\n"
                              ":in Demo-Group\n/list\n:in nowhere\n:in\n");
  CHECK(out.find("* demo-group - Demo Partner Ltd's group\n  support - the support side's channel\n") !=
        std::string::npos);
  CHECK(out.find("you are now in support, the support side's channel\n") != std::string::npos);
  CHECK(out.find("  demo-group - Demo Partner Ltd's group\n* support - the support side's channel\n") !=
        std::string::npos);
  // In the partner's group /outbox points to the support side's channel; there it answers.
  const auto in_support = out.find("you are now in support");
  REQUIRE(in_support != std::string::npos);
  CHECK(out.substr(0, in_support).find("support side's channel") != std::string::npos);
  CHECK(out.substr(0, in_support).find("slabot: outbox:") == std::string::npos);
  CHECK(out.find("slabot: outbox: every message delivered", in_support) != std::string::npos);
  CHECK(out.find("you are now in demo-group, Demo Partner Ltd's group\n") != std::string::npos);
  CHECK(out.find("no channel \"nowhere\" here; usage: :in <channel> (see :channels)\n") != std::string::npos);
  CHECK(out.find("no channel \"\" here; usage: :in <channel> (see :channels)\n") != std::string::npos);
}

TEST_CASE("console: a line with control characters is answered like any typo, never silence") {
  testing::TempDir dir;
  // The Up arrow read from a pipe is ESC [ A: alone, after a command, inside one, before a console command.
  const auto out = run_script(dir.file("c.db"), "\x1b[A\n/lsit\x1b[A\n/list \x1b[A\n:in supp\x1b[A\n/lsit\n");
  CHECK(out ==
        "slabot: unknown command ^[[A; usage: /help\n"
        "slabot: unknown command /lsit^[[A; usage: /help\n"
        "slabot: control characters are not allowed; usage: /list [open|mine|all] [sevN] [tenant]\n"
        "no channel \"supp^[[A\" here; usage: :in <channel> (see :channels)\n"
        "slabot: unknown command /lsit; usage: /help\n");
}

TEST_CASE("console: notices say which channel they come from when it is not the current one") {
  testing::TempDir dir;
  std::istringstream in("/open critical DB down\n:as erin\n:in support\n:wait 16m\n");
  std::ostringstream out;
  ConsoleOptions options{dir.file("c.db")};
  options.speed = 600;  // 16m of the bot's clock in 1.6 s
  REQUIRE(run_console(options, in, out, false) == 0);
  // The partner's group hears the warnings, marked; the support channel, now current, is not.
  CHECK(out.str().find("slabot (demo-group): #1 Critical \"DB down\": no response yet") != std::string::npos);
  CHECK(out.str().find("\nslabot: #1 [Demo Partner Ltd] Critical \"DB down\": response SLA of 15m breached") !=
        std::string::npos);
  CHECK(out.str().find("slabot (support)") == std::string::npos);
}
