#pragma once
// Internal to the HTTP client: kept-alive connections by (scheme, host, port), and the set of
// connections in use, which the client's destructor cancels. Thread-safe.
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "bot/http/client/connection.hpp"

namespace slabot::http_internal {

class ConnectionPool {
 public:
  // At most `max_idle_per_host` idle connections per key, each closed after idling `idle_timeout`.
  ConnectionPool(std::size_t max_idle_per_host, std::chrono::milliseconds idle_timeout);

  // The most recently parked live connection for `key` (the least likely closed by its server),
  // or nullptr; expired ones met on the way are closed.
  std::shared_ptr<Connection> take_idle(const std::string& key);
  // Keeps a connection that may carry another request; the oldest goes when the key is full, and
  // every one once stopped.
  void park(const std::string& key, std::shared_ptr<Connection> connection);
  // Counts a connection as in use; false once stopped (the caller retires it).
  bool activate(const std::shared_ptr<Connection>& connection);
  void deactivate(const std::shared_ptr<Connection>& connection);
  // Closes the idle connections past idle_timeout.
  void sweep_idle();

  bool stopped() const;
  // Stops handing out and keeping connections, closes the idle ones and returns those in use, for
  // the caller to cancel.
  std::vector<std::shared_ptr<Connection>> stop();
  // Drops the references to connections still in use (after the client's threads are joined,
  // while the io_context lives: a socket must not outlive it).
  void forget_active();

 private:
  struct Idle {
    std::shared_ptr<Connection> connection;
    SteadyClock::time_point since;
  };

  const std::size_t max_idle_per_host_;
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  bool stopped_ = false;
  std::map<std::string, std::vector<Idle>> idle_;  // oldest first; emptied by stop()
  std::set<std::shared_ptr<Connection>> active_;
};

}  // namespace slabot::http_internal
