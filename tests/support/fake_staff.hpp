#pragma once
// A Directory over fixed lists, for command tests without a config.
#include <algorithm>
#include <vector>

#include "commands/chat_context.hpp"

namespace slabot::testing {

class FakeStaff final : public Directory {
 public:
  explicit FakeStaff(std::vector<Actor> staff, std::vector<Tenant> tenants = {})
      : staff_(std::move(staff)), tenants_(std::move(tenants)) {}
  std::optional<Tenant> find_tenant(const std::string& id) const override {
    for (const auto& t : tenants_) {
      if (t.id == id) return t;
    }
    return std::nullopt;
  }
  std::vector<Tenant> tenants() const override { return tenants_; }
  // Every engineer is on duty here; duty hand-overs are tried through the real directory.
  OnCall on_call(const std::string&) const override {
    OnCall people;
    for (const auto& a : staff_) {
      if (a.role == Role::engineer) people.engineers.push_back(a);
      if (a.role == Role::tam) people.tams.push_back(a);
      if (a.role == Role::manager) people.managers.push_back(a);
    }
    return people;
  }
  std::string chat_owner(const std::string&, const std::string&) const override { return ""; }
  std::optional<Actor> find_staff(const std::string& id_or_name) const override {
    const std::string key = !id_or_name.empty() && id_or_name[0] == '@' ? id_or_name.substr(1) : id_or_name;
    for (const auto& a : staff_) {
      if (a.id == key || a.name == key) return a;
    }
    return std::nullopt;
  }

 private:
  std::vector<Actor> staff_;
  std::vector<Tenant> tenants_;
};

}  // namespace slabot::testing
