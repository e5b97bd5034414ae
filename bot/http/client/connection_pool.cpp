#include "bot/http/client/connection_pool.hpp"

#include <boost/asio/post.hpp>

namespace slabot::http_internal {

void retire(std::shared_ptr<Connection> connection) {
  if (!connection) return;
  const auto strand = connection->strand;
  asio::post(strand, [connection = std::move(connection)] { connection->close(); });
}

HttpResponse no_answer(Failure failure) {
  HttpResponse response;
  response.failure = failure.kind;
  response.body = std::move(failure.text);
  return response;
}

ConnectionPool::ConnectionPool(std::size_t max_idle_per_host, std::chrono::milliseconds idle_timeout)
    : max_idle_per_host_(max_idle_per_host), idle_timeout_(idle_timeout) {}

std::shared_ptr<Connection> ConnectionPool::take_idle(const std::string& key) {
  std::vector<std::shared_ptr<Connection>> expired;
  std::shared_ptr<Connection> found;
  {
    std::lock_guard lock(mutex_);
    const auto slot = idle_.find(key);
    if (slot == idle_.end()) return nullptr;
    const auto now = SteadyClock::now();
    auto& list = slot->second;
    while (!list.empty() && !found) {
      Idle entry = std::move(list.back());  // the most recently used: the least likely closed
      list.pop_back();
      if (now - entry.since < idle_timeout_) {
        found = std::move(entry.connection);
      } else {
        expired.push_back(std::move(entry.connection));
      }
    }
    if (list.empty()) idle_.erase(slot);
  }
  for (auto& connection : expired) retire(std::move(connection));
  return found;
}

void ConnectionPool::park(const std::string& key, std::shared_ptr<Connection> connection) {
  std::shared_ptr<Connection> dropped;
  {
    std::lock_guard lock(mutex_);
    if (stopped_ || max_idle_per_host_ == 0) {
      dropped = std::move(connection);
    } else {
      auto& list = idle_[key];
      if (list.size() >= max_idle_per_host_) {
        dropped = std::move(list.front().connection);
        list.erase(list.begin());
      }
      list.push_back({std::move(connection), SteadyClock::now()});
    }
  }
  retire(std::move(dropped));
}

bool ConnectionPool::activate(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (stopped_) return false;
  active_.insert(connection);
  return true;
}

void ConnectionPool::deactivate(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  active_.erase(connection);
}

void ConnectionPool::sweep_idle() {
  std::vector<std::shared_ptr<Connection>> expired;
  {
    std::lock_guard lock(mutex_);
    const auto now = SteadyClock::now();
    for (auto slot = idle_.begin(); slot != idle_.end();) {
      auto& list = slot->second;
      // Oldest first: the expired ones are a prefix.
      auto keep = list.begin();
      while (keep != list.end() && now - keep->since >= idle_timeout_) {
        expired.push_back(std::move(keep->connection));
        ++keep;
      }
      list.erase(list.begin(), keep);
      slot = list.empty() ? idle_.erase(slot) : std::next(slot);
    }
  }
  for (auto& connection : expired) retire(std::move(connection));
}

bool ConnectionPool::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

std::vector<std::shared_ptr<Connection>> ConnectionPool::stop() {
  std::vector<std::shared_ptr<Connection>> in_use;
  std::vector<std::shared_ptr<Connection>> idle;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    in_use.assign(active_.begin(), active_.end());
    for (auto& [key, list] : idle_) {
      for (auto& entry : list) idle.push_back(std::move(entry.connection));
    }
    idle_.clear();
  }
  for (auto& connection : idle) retire(std::move(connection));
  return in_use;
}

void ConnectionPool::forget_active() {
  std::lock_guard lock(mutex_);
  active_.clear();
}

}  // namespace slabot::http_internal
