#pragma once
// The config the running bot works from, replaced whole when the operator reloads it (SIGHUP).
//
// Readers take a snapshot for one piece of work (a command, a stage fired, a pass of the outbox)
// and use it to the end, so a reload never shows them half of one config and half of another,
// and never frees what they are using: a snapshot lives as long as someone holds it.
#include <cstdint>
#include <memory>
#include <mutex>

#include "config/config.hpp"

namespace slabot {

class LiveConfig {
 public:
  explicit LiveConfig(Config config);
  LiveConfig(const LiveConfig&) = delete;
  LiveConfig& operator=(const LiveConfig&) = delete;

  std::shared_ptr<const Config> current() const;
  // Counts replacements: a reader that built something from a snapshot rebuilds it when this moved.
  std::uint64_t generation() const;

  void replace(Config next);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Config> current_;
  std::uint64_t generation_ = 0;
};

}  // namespace slabot
