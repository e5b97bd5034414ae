#include "domain/role.hpp"

#include <array>
#include <utility>

namespace slabot {
namespace {
constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{
    {Role::partner, "partner"},
    {Role::engineer, "engineer"},
    {Role::tam, "tam"},
    {Role::manager, "manager"},
    {Role::admin, "admin"},
}};
}  // namespace

std::string_view role_name(Role role) {
  for (const auto& [value, name] : kRoles) {
    if (value == role) return name;
  }
  return "unknown";
}

std::string_view role_title(Role role) {
  switch (role) {
    case Role::tam: return "TAM";
    case Role::manager: return "service manager";
    default: return role_name(role);
  }
}

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& [value, name] : kRoles) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace slabot
