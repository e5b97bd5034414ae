#include "tests/e2e/redirect_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace slabot::e2e {
namespace {

// Closes a descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

int connect_loopback(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

struct RedirectProxy::Impl {
  unsigned short target_port = 0;
  unsigned short port = 0;
  int listener = -1;
  std::atomic<bool> stopping{false};
  std::thread acceptor;
  mutable std::mutex mutex;
  std::vector<std::string> targets;
  std::vector<std::thread> tunnels;

  // Reads the CONNECT request's head, answers 200, then relays both ways until either side
  // closes or the proxy stops (polled every 50 ms).
  void tunnel(int client_fd) {
    Fd client(client_fd);
    // A client that connects and says nothing must not hold up the destructor for long.
    timeval patience{2, 0};
    ::setsockopt(client.fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    std::string head;
    char buffer[16384];
    while (head.find("\r\n\r\n") == std::string::npos) {
      if (head.size() > 8192) return;
      const ssize_t got = ::recv(client.fd, buffer, sizeof buffer, 0);
      if (got <= 0) return;
      head.append(buffer, static_cast<std::size_t>(got));
    }
    const auto line_end = head.find("\r\n");
    const std::string line = head.substr(0, line_end);
    if (!line.starts_with("CONNECT ")) {
      const std::string refused = "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n";
      send_all(client.fd, refused.data(), refused.size());
      return;
    }
    {
      std::lock_guard lock(mutex);
      targets.push_back(line.substr(8, line.find(' ', 8) - 8));
    }
    Fd upstream(connect_loopback(target_port));
    if (upstream.fd < 0) {
      const std::string failed = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
      send_all(client.fd, failed.data(), failed.size());
      return;
    }
    const std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
    if (!send_all(client.fd, established.data(), established.size())) return;
    // Bytes the client sent after the head (its TLS hello, if it did not wait) go on upstream.
    const std::string early = head.substr(head.find("\r\n\r\n") + 4);
    if (!early.empty() && !send_all(upstream.fd, early.data(), early.size())) return;

    pollfd fds[2] = {{client.fd, POLLIN, 0}, {upstream.fd, POLLIN, 0}};
    while (!stopping) {
      const int ready = ::poll(fds, 2, 50);
      if (ready < 0 && errno != EINTR) return;
      for (int i = 0; i < 2; ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        const ssize_t got = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
        if (got <= 0) return;
        if (!send_all(fds[1 - i].fd, buffer, static_cast<std::size_t>(got))) return;
      }
    }
  }

  void accept_loop() {
    while (!stopping) {
      pollfd fd{listener, POLLIN, 0};
      if (::poll(&fd, 1, 50) <= 0) continue;
      const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      std::lock_guard lock(mutex);
      tunnels.emplace_back([this, client] { tunnel(client); });
    }
  }
};

RedirectProxy::RedirectProxy(unsigned short target_port) : impl_(std::make_unique<Impl>()) {
  impl_->target_port = target_port;
  impl_->listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (impl_->listener < 0) throw std::runtime_error("redirect proxy: socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(impl_->listener, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(impl_->listener, 16) != 0 ||
      ::getsockname(impl_->listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(impl_->listener);
    throw std::runtime_error("redirect proxy: cannot listen on 127.0.0.1");
  }
  impl_->port = ntohs(address.sin_port);
  impl_->acceptor = std::thread([impl = impl_.get()] { impl->accept_loop(); });
}

RedirectProxy::~RedirectProxy() {
  impl_->stopping = true;
  impl_->acceptor.join();
  std::vector<std::thread> tunnels;
  {
    std::lock_guard lock(impl_->mutex);
    tunnels.swap(impl_->tunnels);
  }
  for (auto& tunnel : tunnels) tunnel.join();
  ::close(impl_->listener);
}

std::string RedirectProxy::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

std::vector<std::string> RedirectProxy::connect_targets() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->targets;
}

}  // namespace slabot::e2e
