#pragma once
// Private to bot/http: the server's connections that are waiting for a request, oldest first, so
// that at the connection cap the server closes the one that is cheapest to lose instead of
// making a new client wait, and so that a graceful stop closes every idle connection at once.
// No sockets here: each connection registers how to close it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace slabot {

class IdleConnections : public std::enable_shared_from_this<IdleConnections> {
 public:
  enum class Kind {
    kept_alive,  // answered at least once, waiting for its next request
    fresh,       // accepted, nothing sent yet
  };

  // Asks the connection to stop waiting: at once (`grace` zero) or after `grace` at most. Called
  // on whatever thread picks the connection; it posts the work to the connection's own executor.
  // The connection may decline (its request is arriving); it is out of the registry either way.
  using Closer = std::function<void(std::chrono::milliseconds grace)>;

  // A connection's place in the registry, for as long as it waits; leaving is the destructor's
  // job, so every way a wait ends (the request came, the connection was closed, the coroutine
  // was destroyed) takes the entry out.
  class Registration {
   public:
    Registration() = default;
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&&) = delete;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration();
    // False after close_all(): the server is stopping and takes no idle connection any more.
    explicit operator bool() const { return registry_ != nullptr; }

   private:
    friend class IdleConnections;
    Registration(std::shared_ptr<IdleConnections> registry, std::uint64_t id)
        : registry_(std::move(registry)), id_(id) {}
    std::shared_ptr<IdleConnections> registry_;
    std::uint64_t id_ = 0;
  };

  // Must be owned by a std::shared_ptr (registrations keep it alive).
  static std::shared_ptr<IdleConnections> create();

  Registration enter(Kind kind, Closer close);

  // Closes the connection that has waited longest among the kept-alive ones (its client has had
  // its answers and reconnects at will), else the one that has waited longest for its first
  // request. False when nobody waits.
  bool close_oldest();

  // Closes every waiting connection: kept-alive ones at once, fresh ones after `fresh_grace` (a
  // client that has just connected is about to send). Every enter() from now on is refused.
  // Returns how many were asked.
  std::size_t close_all(std::chrono::milliseconds fresh_grace);

  std::size_t waiting() const;

 private:
  IdleConnections() = default;
  void leave(std::uint64_t id);

  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;  // ids grow with time: a map's first entry has waited longest
  std::map<std::uint64_t, Closer> kept_alive_;
  std::map<std::uint64_t, Closer> fresh_;
  bool closing_all_ = false;
};

}  // namespace slabot
