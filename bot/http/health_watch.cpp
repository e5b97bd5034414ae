#include "bot/http/health_watch.hpp"

#include <exception>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "domain/thread_name.hpp"

namespace slabot {

HealthWatch::HealthWatch(std::function<bool()> probe, Millis every, Millis stale_after)
    : probe_(std::move(probe)), every_(every), stale_after_(stale_after) {}

HealthWatch::~HealthWatch() { stop(); }

void HealthWatch::start() {
  if (thread_.joinable()) throw std::logic_error("HealthWatch::start called twice");
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "health-watch");
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, stale_after_, [this] { return have_result_; });
}

void HealthWatch::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool HealthWatch::healthy() const {
  std::lock_guard lock(mutex_);
  return have_result_ && last_healthy_ && std::chrono::steady_clock::now() - last_finished_ < stale_after_;
}

void HealthWatch::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    bool healthy = false;
    try {
      healthy = !probe_ || probe_();
    } catch (const std::exception& e) {
      spdlog::warn("health probe threw: {}", e.what());
    } catch (...) {
      spdlog::warn("health probe threw a non-standard exception");
    }
    lock.lock();
    // Changes only: a healthy probe every second is not news.
    if (have_result_ ? healthy != last_healthy_ : !healthy) {
      if (healthy) {
        spdlog::info("health probe passes again; /healthz says 200");
      } else {
        spdlog::warn("health probe fails; /healthz says 503");
      }
    }
    have_result_ = true;
    last_healthy_ = healthy;
    last_finished_ = std::chrono::steady_clock::now();
    changed_.notify_all();
    changed_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

}  // namespace slabot
