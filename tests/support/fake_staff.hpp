#pragma once
// A StaffDirectory over a fixed list, for command tests without a config.
#include <algorithm>
#include <vector>

#include "commands/chat_context.hpp"

namespace slabot::testing {

class FakeStaff final : public StaffDirectory {
 public:
  explicit FakeStaff(std::vector<Actor> staff) : staff_(std::move(staff)) {}
  std::optional<Actor> find_staff(const std::string& id_or_name) const override {
    const std::string key = !id_or_name.empty() && id_or_name[0] == '@' ? id_or_name.substr(1) : id_or_name;
    for (const auto& a : staff_) {
      if (a.id == key || a.name == key) return a;
    }
    return std::nullopt;
  }

 private:
  std::vector<Actor> staff_;
};

}  // namespace slabot::testing
