#include "tests/support/connection_flood.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace slabot::testing {

namespace {

// A header that never ends: this prefix, then 'a' after 'a' (a slow header value).
constexpr std::string_view loris_start = "POST /hooks/main HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

bool closed_by_peer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) != 1) return false;
  char byte;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

std::size_t count_closed(const std::vector<int>& fds) {
  return static_cast<std::size_t>(std::count_if(fds.begin(), fds.end(), closed_by_peer));
}

}  // namespace

bool raise_open_file_limit(rlim_t wanted) {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return false;
  if (files.rlim_cur == RLIM_INFINITY || files.rlim_cur >= wanted) return true;
  if (files.rlim_max != RLIM_INFINITY && files.rlim_max < wanted) return false;
  files.rlim_cur = wanted;
  return ::setrlimit(RLIMIT_NOFILE, &files) == 0;
}

ConnectionFlood::~ConnectionFlood() {
  stopping_ = true;
  if (trickler_.joinable()) trickler_.join();
  for (const int fd : silent_) ::close(fd);
  for (const int fd : slow_) ::close(fd);
}

int ConnectionFlood::connect_one() const {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port_);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error(std::string("connect: ") + std::strerror(error));
  }
  return fd;
}

void ConnectionFlood::open_silent(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) silent_.push_back(connect_one());
}

void ConnectionFlood::open_slow_loris(std::size_t count, std::chrono::milliseconds every) {
  for (std::size_t i = 0; i < count; ++i) {
    const int fd = connect_one();
    // The start at once: from its first byte the connection is in the middle of a request.
    ::send(fd, loris_start.data(), loris_start.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    std::lock_guard lock(slow_mutex_);
    slow_.push_back(fd);
  }
  if (!trickler_.joinable()) trickler_ = std::thread([this, every] { trickle(every); });
}

void ConnectionFlood::trickle(std::chrono::milliseconds every) {
  while (!stopping_) {
    const auto next = std::chrono::steady_clock::now() + every;
    {
      std::lock_guard lock(slow_mutex_);
      for (const int fd : slow_) ::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    while (!stopping_ && std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

std::size_t ConnectionFlood::silent_closed() const { return count_closed(silent_); }

std::size_t ConnectionFlood::slow_loris_closed() const {
  std::lock_guard lock(slow_mutex_);
  return count_closed(slow_);
}

}  // namespace slabot::testing
