#include "bot/buffered_log_sink.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include <spdlog/spdlog.h>

namespace slabot {

BufferedFdSink::BufferedFdSink(int fd, std::size_t capacity) : fd_(fd), capacity_(capacity) {
  held_.reserve(capacity_);
}

BufferedFdSink::~BufferedFdSink() {
  // The last lines of a stopping process ("slabot stopped") must not stay behind. No lock: nothing
  // else holds the sink any more.
  write_out();
}

void BufferedFdSink::sink_it_(const spdlog::details::log_msg& message) {
  formatter_->format(message, held_);  // appends
  if (held_.size() >= capacity_) write_out();
}

void BufferedFdSink::flush_() { write_out(); }

void BufferedFdSink::write_out() {
  std::size_t done = 0;
  while (done < held_.size()) {
    const ssize_t wrote = ::write(fd_, held_.data() + done, held_.size() - done);
    if (wrote > 0) {
      done += static_cast<std::size_t>(wrote);
      continue;
    }
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A non-blocking stderr (some supervisors hand one over): wait as a blocking one would.
      pollfd ready{fd_, POLLOUT, 0};
      if (::poll(&ready, 1, -1) >= 0 || errno == EINTR) continue;
    }
    // Any other failure (a full disk; a closed pipe, where SIGPIPE is ignored): what is held is
    // dropped, as a failed write to stderr would have dropped its line.
    break;
  }
  held_.clear();
}

ServiceLog::ServiceLog() {
  if (::isatty(STDERR_FILENO)) return;
  auto logger = spdlog::default_logger();
  previous_sinks_ = logger->sinks();
  previous_flush_level_ = logger->flush_level();
  logger->sinks().assign({std::make_shared<BufferedFdSink>(STDERR_FILENO)});
  logger->flush_on(spdlog::level::warn);
  flusher_ = std::make_unique<PeriodicTask>("log-flush", "flush the log", std::chrono::milliseconds(100),
                                            [] { spdlog::default_logger()->flush(); });
  flusher_->start();
}

ServiceLog::~ServiceLog() {
  if (!flusher_) return;
  flusher_->stop();
  auto logger = spdlog::default_logger();
  logger->flush();
  logger->sinks() = previous_sinks_;
  logger->flush_on(previous_flush_level_);
}

std::ostream& after_log(std::ostream& err) {
  spdlog::default_logger()->flush();
  return err;
}

}  // namespace slabot
