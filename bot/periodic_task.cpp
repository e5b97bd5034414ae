#include "bot/periodic_task.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace slabot {

PeriodicTask::PeriodicTask(std::string thread, std::string what, std::chrono::milliseconds every,
                           std::function<void()> work)
    : what_(std::move(what)), every_(every), work_(std::move(work)), thread_(std::move(thread)) {}

void PeriodicTask::start() {
  thread_.start([this]() -> std::chrono::nanoseconds {
    try {
      work_();
    } catch (const std::exception& e) {
      spdlog::warn("could not {}: {}", what_, e.what());
    }
    return every_;
  });
}

void PeriodicTask::stop() { thread_.stop(); }

}  // namespace slabot
