#include "domain/duty.hpp"

namespace slabot {

void DutyRoster::apply(const DutyChange& change) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = latest_.try_emplace(change.staff_id, change);
  // Changes can reach the roster out of order (two chats at once); the later one stands.
  if (!inserted && it->second.at <= change.at) it->second = change;
}

std::optional<DutyChange> DutyRoster::latest(const std::string& staff_id) const {
  std::lock_guard lock(mutex_);
  const auto it = latest_.find(staff_id);
  if (it == latest_.end()) return std::nullopt;
  return it->second;
}

bool DutyRoster::on_duty(const std::string& staff_id, bool configured) const {
  const auto change = latest(staff_id);
  return change ? change->on_duty : configured;
}

}  // namespace slabot
