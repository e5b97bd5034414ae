#include "bot/work_queue.hpp"

#include <spdlog/spdlog.h>

#include "domain/thread_name.hpp"

namespace slabot {

WorkQueue::WorkQueue(int threads) {
  for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) {
    name_thread(threads_.emplace_back([this] { run(); }), "dispatch");
  }
}

WorkQueue::~WorkQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkQueue::post(std::function<void()> work) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(work));
  }
  wake_.notify_one();
}

void WorkQueue::run() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      work();
    } catch (const std::exception& e) {
      spdlog::error("work queue: {}", e.what());
    } catch (...) {
      spdlog::error("work queue: a non-standard exception");
    }
  }
}

}  // namespace slabot
