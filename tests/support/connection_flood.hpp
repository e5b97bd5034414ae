#pragma once
// Many raw loopback connections against a server, for the connection-pressure test and bench:
// silent ones (connect, send nothing) and slow-loris ones (a request header trickled a byte at a
// time, never finished). POSIX sockets only, no Asio: a thousand of them cost a descriptor each.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace slabot::testing {

// Raises the soft limit on open files to at least `wanted`, if the hard limit allows; true when
// the soft limit is now at least `wanted`.
bool raise_open_file_limit(rlim_t wanted);

class ConnectionFlood {
 public:
  explicit ConnectionFlood(unsigned short port) : port_(port) {}
  ~ConnectionFlood();  // stops trickling and closes every connection
  ConnectionFlood(const ConnectionFlood&) = delete;
  ConnectionFlood& operator=(const ConnectionFlood&) = delete;

  // Connects `count` clients that send nothing. Throws std::runtime_error when a connect fails.
  void open_silent(std::size_t count);
  // Connects `count` clients that each send the start of a request header at once, and then one
  // more byte of it every `every` (from a thread of the flood's own), never ending the header.
  void open_slow_loris(std::size_t count, std::chrono::milliseconds every);

  // How many of each the server has closed (the client reads end of stream or a reset).
  std::size_t silent_closed() const;
  std::size_t slow_loris_closed() const;

 private:
  int connect_one() const;
  void trickle(std::chrono::milliseconds every);

  const unsigned short port_;
  std::vector<int> silent_;
  mutable std::mutex slow_mutex_;
  std::vector<int> slow_;
  std::atomic<bool> stopping_{false};
  std::thread trickler_;
};

}  // namespace slabot::testing
