#pragma once
#include <optional>
#include <string_view>

namespace slabot {

// Who is typing: a partner of the group's tenant, or one of the support staff in the config.
enum class Role { partner, engineer, tam, manager, admin };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view text);

inline bool is_staff(Role role) { return role != Role::partner; }

}  // namespace slabot
