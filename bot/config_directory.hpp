#pragma once
// The config's staff and tenants, and who is on duty now, as the commands layer looks them up.
#include "commands/chat_context.hpp"
#include "config/config.hpp"
#include "domain/duty.hpp"

namespace slabot {

// A staff member as the commands layer knows them.
Actor staff_actor(const StaffMember& member);

class ConfigDirectory final : public Directory {
 public:
  // Both must outlive the directory.
  ConfigDirectory(const Config& config, const DutyRoster& duty) : config_(config), duty_(duty) {}
  std::optional<Actor> find_staff(const std::string& id_or_name) const override;
  std::optional<Tenant> find_tenant(const std::string& tenant_id) const override;
  std::vector<Tenant> tenants() const override { return config_.tenants; }
  OnCall on_call(const std::string& tenant_id) const override;
  std::string chat_owner(const std::string& connection, const std::string& chat_id) const override {
    return config_.chat_owner(connection, chat_id);
  }

 private:
  const Config& config_;
  const DutyRoster& duty_;
};

}  // namespace slabot
