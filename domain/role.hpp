#pragma once
#include <optional>
#include <string_view>

namespace slabot {

// Who is typing: a partner of the group's tenant, or one of the support staff in the config.
enum class Role { partner, engineer, tam, manager, admin };

// The config's word for a role ("tam", "manager"): what the file says and parse_role reads.
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view text);
// What people read, the same words as the escalation ladder's: "TAM", "service manager".
std::string_view role_title(Role role);

inline bool is_staff(Role role) { return role != Role::partner; }

}  // namespace slabot
