#include "bot/http/idle_connections.hpp"

#include <utility>
#include <vector>

namespace slabot {

IdleConnections::Registration::Registration(Registration&& other) noexcept
    : registry_(std::move(other.registry_)), id_(other.id_) {}

IdleConnections::Registration::~Registration() {
  if (registry_) registry_->leave(id_);
}

std::shared_ptr<IdleConnections> IdleConnections::create() {
  return std::shared_ptr<IdleConnections>(new IdleConnections());
}

IdleConnections::Registration IdleConnections::enter(Kind kind, Closer close) {
  std::lock_guard lock(mutex_);
  if (closing_all_) return {};
  const std::uint64_t id = next_id_++;
  (kind == Kind::kept_alive ? kept_alive_ : fresh_).emplace(id, std::move(close));
  return Registration(shared_from_this(), id);
}

void IdleConnections::leave(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  if (kept_alive_.erase(id) == 0) fresh_.erase(id);
}

bool IdleConnections::close_oldest() {
  Closer close;
  {
    std::lock_guard lock(mutex_);
    auto& pool = kept_alive_.empty() ? fresh_ : kept_alive_;
    if (pool.empty()) return false;
    close = std::move(pool.begin()->second);
    pool.erase(pool.begin());
  }
  // Outside the lock: a closer may post, and the connection may leave() from another thread.
  close(std::chrono::milliseconds::zero());
  return true;
}

std::size_t IdleConnections::close_all(std::chrono::milliseconds fresh_grace) {
  std::vector<std::pair<Closer, std::chrono::milliseconds>> asked;
  {
    std::lock_guard lock(mutex_);
    closing_all_ = true;
    for (auto& [id, close] : kept_alive_) asked.emplace_back(std::move(close), std::chrono::milliseconds::zero());
    for (auto& [id, close] : fresh_) asked.emplace_back(std::move(close), fresh_grace);
    kept_alive_.clear();
    fresh_.clear();
  }
  for (auto& [close, grace] : asked) close(grace);
  return asked.size();
}

std::size_t IdleConnections::waiting() const {
  std::lock_guard lock(mutex_);
  return kept_alive_.size() + fresh_.size();
}

}  // namespace slabot
