#pragma once
// serve's log when it runs as a service (stderr a pipe, a file or journald's socket, not a
// terminal): lines gather in memory and leave in one write() when the buffer fills or the logger
// flushes (a warning or worse at once, otherwise within a tenth of a second), instead of one
// write() per line: with a reader on the other end (journald, a pipe), each command's line cost
// about a tenth of an /open.
#include <cstddef>
#include <memory>
#include <mutex>
#include <ostream>
#include <vector>

#include <spdlog/common.h>
#include <spdlog/sinks/base_sink.h>

#include "bot/periodic_task.hpp"

namespace slabot {

class BufferedFdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Writes to `fd` (not closed here) once `capacity` bytes are held, or on flush.
  explicit BufferedFdSink(int fd, std::size_t capacity = 64 * 1024);
  ~BufferedFdSink() override;  // what is still held is written

  BufferedFdSink(const BufferedFdSink&) = delete;
  BufferedFdSink& operator=(const BufferedFdSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override;

 private:
  void write_out();

  int fd_;
  std::size_t capacity_;
  spdlog::memory_buf_t held_;
};

// serve's log for its lifetime. With stderr not a terminal, the default logger writes through a
// BufferedFdSink on stderr, flushed at once by a warning or worse and otherwise every 100 ms by a
// thread of its own ("log-flush"); the end writes the rest. A terminal keeps its coloured
// line-by-line output. Make it before any other thread logs, and before setting the log format.
// Its end also puts the logger's sinks and flush level back (serve also runs inside tests).
class ServiceLog {
 public:
  ServiceLog();
  ~ServiceLog();
  ServiceLog(const ServiceLog&) = delete;
  ServiceLog& operator=(const ServiceLog&) = delete;

  bool buffered() const { return flusher_ != nullptr; }

 private:
  std::vector<spdlog::sink_ptr> previous_sinks_;
  spdlog::level::level_enum previous_flush_level_ = spdlog::level::off;
  std::unique_ptr<PeriodicTask> flusher_;
};

// `err` after the log's held lines are written: for a message that goes straight to stderr, so it
// comes after the log lines written before it.
std::ostream& after_log(std::ostream& err);

}  // namespace slabot
