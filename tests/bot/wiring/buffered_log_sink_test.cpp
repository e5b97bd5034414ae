// serve's log as a service: lines held and written together, never lost at a flush, a warning or
// the end; a terminal keeps the logger as it was.
#include "bot/buffered_log_sink.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "tests/support/thread_names.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

// A pipe whose read end never blocks: what the sink has written so far.
class Pipe {
 public:
  Pipe() {
    REQUIRE(::pipe(ends_) == 0);
    REQUIRE(::fcntl(ends_[0], F_SETFL, O_NONBLOCK) == 0);
  }
  ~Pipe() {
    ::close(ends_[0]);
    if (ends_[1] >= 0) ::close(ends_[1]);
  }
  int write_end() const { return ends_[1]; }
  std::string drain() {
    char buffer[65536];
    for (;;) {
      const ssize_t got = ::read(ends_[0], buffer, sizeof buffer);
      if (got <= 0) break;
      seen_.append(buffer, static_cast<std::size_t>(got));
    }
    return seen_;
  }

 private:
  int ends_[2] = {-1, -1};
  std::string seen_;
};

// Makes fd 2 the pipe for a scope (and puts the old one and the default logger's sinks back).
class StderrInto {
 public:
  explicit StderrInto(const Pipe& pipe) : saved_(::dup(STDERR_FILENO)), sinks_(spdlog::default_logger()->sinks()) {
    REQUIRE(::dup2(pipe.write_end(), STDERR_FILENO) == STDERR_FILENO);
  }
  ~StderrInto() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    spdlog::default_logger()->sinks() = sinks_;
    spdlog::default_logger()->flush_on(spdlog::level::off);
  }

 private:
  int saved_;
  std::vector<spdlog::sink_ptr> sinks_;
};

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("log sink: lines are held until a flush, then written whole and in order") {
  Pipe pipe;
  auto sink = std::make_shared<BufferedFdSink>(pipe.write_end());
  spdlog::logger logger("held", sink);
  logger.set_pattern("%v");
  logger.info("first");
  logger.info("second");
  CHECK(pipe.drain().empty());
  logger.flush();
  CHECK(pipe.drain() == "first\nsecond\n");
  logger.flush();  // nothing new held: nothing written again
  CHECK(pipe.drain() == "first\nsecond\n");
}

TEST_CASE("log sink: a full buffer is written without a flush; the end writes the rest") {
  Pipe pipe;
  {
    auto sink = std::make_shared<BufferedFdSink>(pipe.write_end(), 64);
    spdlog::logger logger("small", sink);
    logger.set_pattern("%v");
    for (int i = 0; i < 9; ++i) logger.info("line number {}", i);  // 14 bytes each
    // The fifth line took it past 64 bytes: those five went out; the last four wait.
    CHECK(pipe.drain() == "line number 0\nline number 1\nline number 2\nline number 3\nline number 4\n");
  }
  std::string all;
  for (int i = 0; i < 9; ++i) all += "line number " + std::to_string(i) + "\n";
  CHECK(pipe.drain() == all);
}

TEST_CASE("service log: off a terminal, warnings go out at once, the rest within a tenth of a second") {
  Pipe pipe;
  StderrInto redirected(pipe);
  const auto sinks_before = spdlog::default_logger()->sinks();
  {
    ServiceLog log;
    REQUIRE(log.buffered());
    const auto names = slabot::testing::thread_names();
    CHECK(std::find(names.begin(), names.end(), "log-flush") != names.end());

    spdlog::info("held command line");
    spdlog::warn("a warning");
    // The warning flushed everything before it too, in order.
    const std::string after_warning = pipe.drain();
    CHECK(after_warning.find("held command line") < after_warning.find("a warning"));
    CHECK(count(after_warning, "a warning") == 1);

    spdlog::info("a quiet line");
    CHECK(eventually([&] { return pipe.drain().find("a quiet line") != std::string::npos; }));
    spdlog::info("the last line");
  }
  // The end wrote the rest: a stopping serve's last lines are not lost.
  CHECK(count(pipe.drain(), "the last line") == 1);
  CHECK(count(pipe.drain(), "held command line") == 1);
  // And put the logger back as it found it (serve also runs inside tests).
  CHECK(spdlog::default_logger()->sinks() == sinks_before);
  CHECK(spdlog::default_logger()->flush_level() == spdlog::level::off);
}

TEST_CASE("service log: a message written straight to stderr comes after the lines logged before it") {
  Pipe pipe;
  StderrInto redirected(pipe);
  ServiceLog log;
  REQUIRE(log.buffered());
  spdlog::info("opened the store");
  std::ostringstream err;
  after_log(err) << "slabot: cannot listen\n";
  CHECK(count(pipe.drain(), "opened the store") == 1);
  CHECK(err.str() == "slabot: cannot listen\n");
}

TEST_CASE("service log: on a terminal the logger is left as it is, line by line") {
  int controller = -1, terminal = -1;
  REQUIRE(::openpty(&controller, &terminal, nullptr, nullptr, nullptr) == 0);
  const int saved = ::dup(STDERR_FILENO);
  REQUIRE(::dup2(terminal, STDERR_FILENO) == STDERR_FILENO);
  const auto sinks_before = spdlog::default_logger()->sinks();
  bool buffered = true;
  {
    ServiceLog log;
    buffered = log.buffered();
    CHECK(spdlog::default_logger()->sinks() == sinks_before);
  }
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(terminal);
  ::close(controller);
  CHECK_FALSE(buffered);
}
