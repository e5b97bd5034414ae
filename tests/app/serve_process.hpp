#pragma once
// The real `slabot serve` (or another serving program, such as load_gen's ceiling) as a child
// process, for tests of what only the binary shows: crashes, signals, restarts. Its stdout and
// stderr go to a log file.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace slabot::testing {

// A loopback port nothing listens on right now: bound, read, released. Another process may take
// it before slabot does; callers retry with another.
unsigned short unused_port();

std::string file_text(const std::string& path);

// The destructor SIGKILLs and reaps the child, so a failed REQUIRE leaves no process behind;
// PR_SET_PDEATHSIG covers the test process itself dying.
class ServeProcess {
 public:
  // `env` is added to (or replaces in) the test's own environment.
  ServeProcess(const std::string& config_path, std::string log_path, const std::map<std::string, std::string>& env);
  // Another program that serves, `command` its path and arguments (load_gen's ceiling, say).
  ServeProcess(std::vector<std::string> command, std::string log_path, const std::map<std::string, std::string>& env);
  ~ServeProcess() { sigkill(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // The crash: nothing in the child runs after this, no destructor, no flush.
  void sigkill();
  // Sends `signal` without waiting.
  void signal(int signal);
  // True (and reaped) once the child has exited.
  bool exited();
  // The wait status once exited.
  int status() const { return status_; }
  // A clean stop, as an operator does it: the wait status, or nullopt if it took over `limit`
  // (then it is killed).
  std::optional<int> terminate(std::chrono::milliseconds limit);
  // The wait status once the child exits (after a signal sent before), or nullopt if it took over
  // `limit` (then it is killed).
  std::optional<int> wait_exit(std::chrono::milliseconds limit);

  std::string log() const { return file_text(log_path_); }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  std::string log_path_;
};

}  // namespace slabot::testing
