#pragma once
// A chat message parsed into one of the bot's commands.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "domain/engagement.hpp"
#include "domain/entitlements.hpp"
#include "domain/ticket.hpp"

namespace slabot {

enum class Verb {
  open,
  ack,
  assign,
  escalate,
  sev,
  note,
  resolve,
  close,
  reopen,
  show,
  list,
  sla,
  duty,
  oncall,
  outbox,
  whoami,
  help,
  report,
  package,
  ctg,
  done,
  entitlements,
  rate,
  engagement,
  milestone,
  deliverable
};

// What /engagement, /milestone and /deliverable (and `/report engagement`) ask for.
enum class EngagementStep {
  none,
  show,
  start,
  csm,
  units_add,
  units_use,
  milestone_done,
  submit,
  confirm,
  object,
  cancel,
  report
};

enum class ListScope { open, mine, all };

struct Command {
  Verb verb = Verb::help;
  TicketId id = 0;              // ack, assign, escalate, sev, note, resolve, close, reopen, show
  int severity = 0;             // open, sev; for list: 0 = any
  std::string title;            // open
  std::string sub_customer;     // open: the `for:<name>` label
  std::string person;           // assign, duty: as typed, without a leading '@'
  std::string text;             // escalate reason, note text, resolve summary, reopen reason; help topic; report period
  std::int64_t message_id = 0;  // outbox: the message `/outbox retry <n>` sends again; 0 lists
  ListScope scope = ListScope::open;  // list
  std::string tenant;  // list, sla, oncall, report, entitlements, package: a tenant (an id or a name), as typed
  std::optional<bool> duty_on;             // duty: on or off; nullopt asks
  Package package = Package::selected;     // package: the new one
  Service service = Service::healthcheck;  // done; its note is `text`
  bool exception = false;                  // ctg: staff grant it beyond the quota; the reason is `text`
  int rating = 0;                          // rate: 1..5; the comment is `text`
  // engagement, milestone, deliverable: the step; `text` is the scenario, title, note or reason,
  // `person` the customer success manager.
  EngagementStep step = EngagementStep::none;
  Edition edition = Edition::standard;  // start
  std::optional<Date> start_date;       // start: `at:YYYY-MM-DD`
  std::string milestone;                // "1.3"
  int amount = 0;                       // units add|use
};

// Not addressed to the bot (plain chat): no answer at all.
struct NotACommand {};

// Malformed: one line saying what was wrong, and the right usage.
struct ParseError {
  std::string message;  // "ticket id must be a number like #12"
  std::string usage;    // "/ack <id>"
};

using ParseResult = std::variant<NotACommand, Command, ParseError>;

}  // namespace slabot
