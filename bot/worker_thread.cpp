#include "bot/worker_thread.hpp"

#include <exception>

#include <spdlog/spdlog.h>

#include "domain/thread_name.hpp"

namespace slabot {

void WorkerThread::start(Round round) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  woken_ = false;
  round_ = std::move(round);
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, name_);
}

void WorkerThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WorkerThread::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void WorkerThread::run() {
  for (;;) {
    std::chrono::nanoseconds sleep{0};
    try {
      sleep = round_();
    } catch (const std::exception& e) {
      spdlog::error("{}: {}", name_, e.what());
      sleep = std::chrono::seconds(1);
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (!woken_ && sleep > std::chrono::nanoseconds::zero()) {
      wake_.wait_for(lock, sleep, [this] { return woken_ || stopping_; });
    }
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace slabot
