#include "commands/permissions.hpp"

#include "commands/usage.hpp"

namespace slabot {

std::optional<std::string> denial(Verb verb, Role role) {
  if (verb == Verb::package && role != Role::admin) return "only admins may change a tenant's package";
  if (verb == Verb::rate && is_staff(role)) return "only the partner rates a ticket's service";
  if (is_staff(role)) return std::nullopt;
  switch (verb) {
    case Verb::ack:
    case Verb::assign:
    case Verb::resolve:
    case Verb::close: return "only support staff may " + std::string(verb_name(verb)) + " tickets";
    case Verb::outbox: return "only support staff may see the outbox";
    case Verb::duty: return "only support engineers go on duty; /oncall shows who is";
    case Verb::done: return "only support staff may record a service as done";
    default: return std::nullopt;
  }
}

std::optional<std::string> engagement_denial(EngagementStep step, Role role) {
  switch (step) {
    case EngagementStep::start:
    case EngagementStep::units_add:
    case EngagementStep::units_use:
    case EngagementStep::milestone_done:
    case EngagementStep::submit:
    case EngagementStep::cancel:
      if (!is_staff(role)) return "only support staff may do that; the customer confirms or objects to deliverables";
      return std::nullopt;
    case EngagementStep::confirm:
    case EngagementStep::object:
      if (is_staff(role)) return "the customer accepts deliverables, not the support side";
      return std::nullopt;
    default: return std::nullopt;
  }
}

bool may_lower_severity(Role role) { return is_staff(role); }

}  // namespace slabot
