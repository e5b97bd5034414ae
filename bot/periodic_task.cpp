#include "bot/periodic_task.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace slabot {

PeriodicTask::PeriodicTask(std::string what, std::chrono::milliseconds every, std::function<void()> work)
    : what_(std::move(what)), every_(every), work_(std::move(work)) {}

void PeriodicTask::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void PeriodicTask::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      work_();
    } catch (const std::exception& e) {
      spdlog::warn("could not {}: {}", what_, e.what());
    }
    lock.lock();
    wake_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

}  // namespace slabot
