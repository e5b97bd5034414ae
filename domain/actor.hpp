#pragma once
#include <string>

#include "domain/role.hpp"

namespace slabot {

// The person behind a message, resolved against the config: a staff member or a partner.
struct Actor {
  std::string id;    // staff id from the config, or "<platform>:<user id>" for a partner
  std::string name;  // display name
  Role role = Role::partner;
};

}  // namespace slabot
