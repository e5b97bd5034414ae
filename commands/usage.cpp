#include "commands/usage.hpp"

#include <array>
#include <utility>

#include "commands/utf8.hpp"

namespace slabot {
namespace {

struct VerbRow {
  Verb verb;
  std::string_view name;
  std::string_view usage;
  std::string_view summary;
};

// In the order help lists them: the ticket's life first, then looking around.
constexpr std::array<VerbRow, 26> kVerbs{{
    {Verb::open, "open", "/open <sev> <title> [for:<customer>]", "Open a ticket, severity 1 (critical) to 5 (low)"},
    {Verb::ack, "ack", "/ack <id>", "Acknowledge a ticket and stop its response clock"},
    {Verb::assign, "assign", "/assign <id> <person>", "Assign a ticket to a support engineer (me: yourself)"},
    {Verb::escalate, "escalate", "/escalate <id> [reason]", "Escalate a ticket to the next support level"},
    {Verb::sev, "sev", "/sev <id> <level>", "Change a ticket's severity"},
    {Verb::note, "note", "/note <id> <text>", "Add a note to a ticket"},
    {Verb::resolve, "resolve", "/resolve <id> [summary]", "Mark a ticket resolved"},
    {Verb::close, "close", "/close <id> [reason]", "Close a ticket; one never acknowledged needs a reason"},
    {Verb::reopen, "reopen", "/reopen <id> [reason]", "Reopen a resolved or closed ticket"},
    {Verb::show, "show", "/show <id>", "Show a ticket and its history"},
    {Verb::list, "list", "/list [open|mine|all] [sevN] [tenant]",
     "List tickets: open ones unless told; the support side may name a tenant"},
    {Verb::ctg, "ctg", "/ctg <id> [reason | exception <reason>]",
     "Put a ticket under the Critical Time Guarantee (exceptions: staff)"},
    {Verb::rate, "rate", "/rate <id> <1-5> [comment]", "Partners: rate the service on a resolved ticket"},
    {Verb::sla, "sla", "/sla [tenant]", "Show the response time limits and the tickets waiting, most urgent first"},
    {Verb::duty, "duty", "/duty [on|off] [person]", "Engineers: go on or off duty, the first to hear of a breach"},
    {Verb::oncall, "oncall", "/oncall [tenant]", "Show who is on duty now, the TAM and the service manager"},
    {Verb::report, "report", "/report [YYYY-MM] [tenant|all]",
     "A month's service report (staff: a tenant or all), or /report engagement"},
    {Verb::entitlements, "entitlements", "/entitlements [tenant]",
     "The package's quotas used and left, next health check, discounts"},
    {Verb::done, "done", "/done <healthcheck|migration|landing> [tenant] [note]",
     "Staff: record a service as done (the tenant in the support channel)"},
    {Verb::package, "package", "/package <tenant> <selected|premium|elite|flagship>",
     "Admins: change a tenant's package for new tickets; its contract year stays"},
    {Verb::engagement, "engagement",
     "/engagement [start standard|premium <scenario> [at:YYYY-MM-DD] | csm @person | units add|use <n> [note] | cancel "
     "<reason>]",
     "The consulting engagement's plan; staff start it and count supplement units"},
    {Verb::milestone, "milestone", "/milestone done <1.1-1.6> [note]", "Staff: record an engagement milestone done"},
    {Verb::deliverable, "deliverable", "/deliverable submit|confirm|object <1.1-1.6> [title|reason]",
     "Staff submit a deliverable; the customer accepts or objects in 5 working days"},
    {Verb::outbox, "outbox", "/outbox [retry <n>]", "Staff: list messages not yet delivered, or send a dead one again"},
    {Verb::whoami, "whoami", "/whoami", "Show who the bot thinks you are"},
    {Verb::help, "help", "/help [command]", "Show this list, or one command's usage"},
}};

// Kept short on purpose: every alias is a word someone else may want later.
constexpr std::array<std::pair<std::string_view, Verb>, 3> kAliases{{
    {"acknowledge", Verb::ack},
    {"severity", Verb::sev},
    {"comment", Verb::note},
}};

const VerbRow& row_of(Verb verb) {
  for (const auto& row : kVerbs) {
    if (row.verb == verb) return row;
  }
  return kVerbs.back();  // unreachable while the table lists every Verb
}

}  // namespace

std::string_view verb_name(Verb verb) { return row_of(verb).name; }

std::string_view usage_of(Verb verb) { return row_of(verb).usage; }

std::string_view summary_of(Verb verb) { return row_of(verb).summary; }

std::string help_line(Verb verb) {
  const VerbRow& row = row_of(verb);
  return std::string(row.usage) + " - " + std::string(row.summary);
}

std::string help_text() {
  std::string out = "Commands (also as /ticket <command>; ids as 12 or #12):";
  for (const auto& row : kVerbs) {
    out += '\n';
    out += help_line(row.verb);
  }
  return out;
}

std::optional<Verb> verb_from_name(std::string_view name) {
  for (const auto& row : kVerbs) {
    if (utf8::iequals(name, row.name)) return row.verb;
  }
  for (const auto& [alias, verb] : kAliases) {
    if (utf8::iequals(name, alias)) return verb;
  }
  return std::nullopt;
}

}  // namespace slabot
