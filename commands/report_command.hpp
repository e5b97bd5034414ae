#pragma once
// `/report [YYYY-MM] [tenant|all]`: the service summary report as a chat message. A partner's
// group gets its own tenant's only; the support side names one tenant (the whole report) or all
// (one line each).
#include <functional>
#include <string>
#include <vector>

#include "commands/chat_context.hpp"
#include "commands/command.hpp"
#include "domain/sla_policy.hpp"
#include "report/report.hpp"

namespace slabot {

// Reads a tenant's report for a month; throws when the database cannot be read.
using ReportSource = std::function<Report(const Tenant& tenant, const Period& period)>;

// The answer to `command`. `tenants`: those it covers (the group's own, the one named, or all
// on the support side); `scope_error`: why the tenant filter was refused, if it was.
std::string report_answer(const ChatContext& context, const Command& command, const std::vector<Tenant>& tenants,
                          const std::string& scope_error, const ReportSource& source, Timestamp now);

}  // namespace slabot
