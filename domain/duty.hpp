#pragma once
// Who is on duty: the engineers on the escalation ladder's first rung. The config's `on_duty` is
// where each starts; `/duty on|off` changes it from chat, and the latest change (kept in the
// store, reloaded at start) wins over the config from then on.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "domain/time.hpp"

namespace slabot {

// One hand-over, as the store keeps it.
struct DutyChange {
  std::string staff_id;
  bool on_duty = false;
  Timestamp at{};
  std::string by_name;  // who typed it (the engineer themself, or a service manager or admin)
};

// The latest change per staff member, shared by the commands (which change it) and the ladder
// (which reads it on the SLA scheduler's thread): thread-safe.
class DutyRoster {
 public:
  void apply(const DutyChange& change);
  // The latest change for `staff_id`, if there was one since the database began.
  std::optional<DutyChange> latest(const std::string& staff_id) const;
  // Whether `staff_id` is on duty now: their latest change, else `configured` (the config's).
  bool on_duty(const std::string& staff_id, bool configured) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, DutyChange> latest_;
};

}  // namespace slabot
