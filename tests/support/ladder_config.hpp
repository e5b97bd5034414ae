#pragma once
// The smallest config with a whole escalation ladder: Acme (Premium, TAM Tom) in group
// "acme-7x24" and the support side's channel "support", both on one generic connection "hooks";
// Erin the on-duty engineer, Tom the TAM, Maria the service manager.
#include <string>

#include "config/config.hpp"

namespace slabot::testing {

inline Config ladder_config(const std::string& database, const std::string& outbound_url) {
  Config c;
  c.database_path = database;
  c.tenants = {{"acme", "Acme", Package::premium, "tom"}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}, true},
             {"tom", "Tom", Role::tam, {{"generic", "u-tom"}}},
             {"maria", "Maria", Role::manager, {{"generic", "u-maria"}}}};
  c.connections = {{"hooks", "generic", {{"secret", "s"}}, outbound_url}};
  c.channels = {{"hooks", "acme-7x24", "acme"}, {"hooks", "support", ""}};
  return c;
}

}  // namespace slabot::testing
