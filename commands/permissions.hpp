#pragma once
// Who may do what (domain.md): partners act on their own tenant's tickets, staff on all.
#include <optional>
#include <string>

#include "commands/command.hpp"
#include "domain/role.hpp"

namespace slabot {

// Why `role` may not run `verb` at all, or nullopt when it may. Finer rules that depend on the
// ticket (a partner lowering severity) are checked where the ticket is known.
std::optional<std::string> denial(Verb verb, Role role);

// Why `role` may not take an engagement step, or nullopt when it may. Who accepts a deliverable
// (the named customer success manager) is checked against the engagement itself.
std::optional<std::string> engagement_denial(EngagementStep step, Role role);

// Whether `role` may lower a ticket's severity (make it less urgent).
bool may_lower_severity(Role role);

}  // namespace slabot
