#include "commands/command_service.hpp"

#include <algorithm>

#include "commands/closure_summary.hpp"
#include "commands/outbox_view.hpp"
#include "commands/permissions.hpp"
#include "commands/ticket_view.hpp"
#include "commands/usage.hpp"
#include "commands/utf8.hpp"
#include "domain/role.hpp"
#include "domain/severity.hpp"
#include "domain/sla_clock.hpp"
#include "domain/time_format.hpp"

namespace slabot {
namespace {

std::string not_found(TicketId id) { return "no ticket " + ticket_ref(id) + " here"; }

Reply reply_for(const WriteOutcome& outcome, TicketId id) {
  switch (outcome.kind) {
    case WriteOutcome::Kind::applied: return {outcome.reply, false, {}, true};
    case WriteOutcome::Kind::refused: return {outcome.reply, false};
    // Answered as the first time: a tap that acted then still reads as having acted.
    case WriteOutcome::Kind::duplicate: return {outcome.reply, false, {}, outcome.applied_before, true};
    case WriteOutcome::Kind::not_found: return {outcome.reply.empty() ? not_found(id) : outcome.reply, false};
    case WriteOutcome::Kind::failed: break;
  }
  return {"could not record that; nothing changed, please try again", true};
}

bool is_write(Verb verb) {
  switch (verb) {
    case Verb::open:
    case Verb::ack:
    case Verb::assign:
    case Verb::escalate:
    case Verb::sev:
    case Verb::note:
    case Verb::resolve:
    case Verb::close:
    case Verb::reopen: return true;
    default: return false;
  }
}

}  // namespace

CommandService::CommandService(Store& store, const Clock& clock, const Directory& directory, SlaPolicies policies,
                               CommandHooks hooks)
    : store_(store), clock_(clock), directory_(directory), policies_(std::move(policies)), hooks_(std::move(hooks)) {}

std::string CommandService::owner_for(const ChatContext& context, const std::string& tenant_id) const {
  if (context.tenant) return "";
  const auto tenant = directory_.find_tenant(tenant_id);
  return tenant && !tenant->name.empty() ? tenant->name : tenant_id;
}

CommandService::Scope CommandService::read_scope(const ChatContext& context, const std::string& filter) const {
  if (filter.empty()) return {context.tenant_scope(), ""};
  // A group has no tenant filter: another tenant's name gets the answer any typo gets, so a
  // group learns nothing of who else is served.
  if (context.tenant) return {"", "unknown filter " + filter};
  std::string known;
  for (const auto& tenant : directory_.tenants()) {
    if (utf8::iequals(tenant.id, filter) || utf8::iequals(tenant.name, filter)) return {tenant.id, ""};
    known += (known.empty() ? "" : ", ") + tenant.id;
  }
  return {"", "no tenant " + filter + (known.empty() ? "" : "; tenants: " + known)};
}

std::optional<Tenant> CommandService::one_tenant(const ChatContext& context, const std::string& filter, Verb verb,
                                                 std::string& error) const {
  const auto with_usage = [verb](const std::string& what) { return what + "; usage: " + std::string(usage_of(verb)); };
  if (!context.tenant && filter.empty()) {
    error = with_usage("name the tenant in the support side's channel");
    return std::nullopt;
  }
  const Scope scope = read_scope(context, filter);
  if (!scope.error.empty()) {
    error = with_usage(scope.error);
    return std::nullopt;
  }
  auto tenant = directory_.find_tenant(scope.tenant_id);
  if (!tenant) error = with_usage("no tenant " + filter);
  return tenant;
}

const SlaPolicy& CommandService::policy_for(const std::string& tenant_id) const {
  const auto tenant = directory_.find_tenant(tenant_id);
  return policies_.for_package(tenant ? tenant->package : Package::selected);
}

void CommandService::execute(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  if (!context.tenant && !is_staff(context.actor.role)) {
    answer(context, "this channel is for support staff only", std::move(done));
    return;
  }
  if (auto why = denial(command.verb, context.actor.role)) {
    answer(context, *why, std::move(done));
    return;
  }
  if (is_engagement_command(command)) {
    engagement(context, command, std::move(done));
  } else if (is_entitlement_verb(command.verb)) {
    entitlement(context, command, std::move(done));
  } else if (command.verb == Verb::open) {
    open(context, command, std::move(done));
  } else if (command.verb == Verb::outbox) {
    outbox(context, command, std::move(done));
  } else if (command.verb == Verb::duty) {
    duty(context, command, std::move(done));
  } else if (is_write(command.verb)) {
    change(context, command.id, decide(context, command, clock_.now()), std::move(done));
  } else {
    answer(context, read(context, command), std::move(done));
  }
}

bool CommandService::reads_before_writing(const Command& command) {
  // Opening a ticket and a ticket's own changes are decided on the writer (decide() reads
  // nothing first), except /close, which reads the timeline for its summary. The rest read.
  return !is_write(command.verb) || command.verb == Verb::close;
}

void CommandService::answer(const ChatContext& context, std::string text, std::function<void(Reply)> done) {
  if (!context.reply_message || text.empty()) {
    done({std::move(text), false});
    return;
  }
  // The platform takes answers only as outbound messages: queue it before saying it is done.
  OutboxItem item = *context.reply_message;
  item.message.text = text;
  store_.enqueue({std::move(item)}, clock_.now(), [this, text, done = std::move(done)](WriteOutcome outcome) {
    announce(outcome);  // send it now, not at the outbox's next poll
    done({text, outcome.kind == WriteOutcome::Kind::failed});
  });
}

void CommandService::open(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  if (!context.tenant) {
    answer(context, "open tickets in the partner's group; this channel belongs to the support side", std::move(done));
    return;
  }
  const auto now = clock_.now();
  Ticket draft;
  draft.tenant_id = context.tenant->id;
  draft.sub_customer = command.sub_customer;
  draft.title = command.title;
  draft.severity = command.severity;
  draft.opened_by_id = context.actor.id;
  draft.opened_by_name = context.actor.name;
  draft.opened_at = draft.clock_started_at = draft.updated_at = now;
  draft.origin = context.channel;
  draft.response_due_at = now + policies_.for_package(context.tenant->package).response_limit(command.severity);
  auto reply = [now, zone = context.zone](const Ticket& t) {
    std::string text = ticket_ref(t.id) + " opened: " + std::string(severity_name(t.severity)) + " \"" + t.title + "\"";
    if (!t.sub_customer.empty()) text += " for " + t.sub_customer;
    return text + "; response " + due_phrase(t, now, zone);
  };
  // The answer carries Acknowledge for the staff in the group (a partner's tap is refused).
  const MessageAction acknowledge{ActionKind::ack, 0};
  WriteContext write{context.actor.id, context.actor.name, context.channel, now, context.event, context.reply_message};
  if (write.reply_message) write.reply_message->message.actions = {acknowledge};  // the store names the ticket
  store_.open_ticket(std::move(draft), std::move(write), std::move(reply),
                     [this, acknowledge, done = std::move(done)](WriteOutcome outcome) {
                       Reply answer = reply_for(outcome, 0);
                       announce(outcome);
                       if (outcome.kind == WriteOutcome::Kind::applied) {
                         answer.actions = {MessageAction{acknowledge.kind, outcome.ticket->id}};
                       }
                       done(std::move(answer));
                     });
}

void CommandService::announce(const WriteOutcome& outcome) const {
  if (outcome.kind == WriteOutcome::Kind::applied && outcome.ticket && hooks_.ticket_changed) {
    hooks_.ticket_changed(*outcome.ticket);
  }
  // Only a write that queued something wakes the outbox, and every such write does (answers on a
  // platform that takes them only as outbound messages, escalation notices): most opens queue
  // nothing (their answer is in the HTTP answer), and a busy desk would otherwise wake it
  // thousands of times a second.
  if (outcome.queued_messages && hooks_.outbox_changed) hooks_.outbox_changed();
}

void CommandService::change(const ChatContext& context, TicketId id, Mutator decide, std::function<void(Reply)> done) {
  // What is said in the support side's channel stays internal: partners' /show leaves it out.
  WriteContext write{context.actor.id, context.actor.name,    context.channel, clock_.now(),
                     context.event,    context.reply_message, !context.tenant, not_found(id)};
  store_.update_ticket(id, context.tenant_scope(), std::move(write), std::move(decide),
                       [this, id, done = std::move(done)](WriteOutcome outcome) {
                         announce(outcome);
                         done(reply_for(outcome, id));
                       });
}

void CommandService::ledger_write(const ChatContext& context, TicketId id, LedgerMutator decide,
                                  std::function<void(Reply)> done) {
  WriteContext write{context.actor.id, context.actor.name,    context.channel, clock_.now(),
                     context.event,    context.reply_message, !context.tenant, not_found(id)};
  store_.write_ledger(id, context.tenant_scope(), std::move(write), std::move(decide),
                      [this, id, done = std::move(done)](WriteOutcome outcome) {
                        announce(outcome);
                        done(reply_for(outcome, id));
                      });
}

// The state machine: each mutator runs against the ticket as stored at write time, so two
// engineers acknowledging at once give one ack and one "already acknowledged" answer.
Mutator CommandService::decide(const ChatContext& context, const Command& command, Timestamp now) {
  const Actor actor = context.actor;
  const Zone zone = context.zone;  // the replies' times, in the group's zone
  const std::string ref = ticket_ref(command.id);
  // The policy of the ticket's tenant, looked up when the mutator runs (the support side's
  // channel acts on every tenant's tickets).
  auto policy_of = [this](const Ticket& t) -> const SlaPolicy& { return policy_for(t.tenant_id); };
  const auto escalated = hooks_.escalated;
  const std::string channel = context.channel;
  // Finished tickets take no more work until reopened.
  auto finished = [ref](const Ticket& t) -> std::optional<Decision> {
    if (t.is_active()) return std::nullopt;
    return Refusal{ref + " is " + std::string(state_name(t.state)) + "; reopen it first"};
  };

  switch (command.verb) {
    case Verb::ack:
      return [=](Ticket& t) -> Decision {
        if (t.state == TicketState::acknowledged)
          return Refusal{ref + " is already acknowledged by " + t.acked_by_name};
        if (auto refusal = finished(t)) return *refusal;
        t.state = TicketState::acknowledged;
        t.acked_at = now;
        t.acked_by_name = actor.name;
        if (t.assignee_id.empty()) {
          t.assignee_id = actor.id;
          t.assignee_name = actor.name;
        }
        const auto took = now - t.clock_started_at;
        const auto limit = policy_of(t).response_limit(t.severity);
        const std::string verdict = took <= limit ? "within the " + format_duration(limit) + " SLA"
                                                  : "SLA missed by " + format_duration(took - limit);
        return Change{
            "acknowledged", "after " + format_duration(took),
            ref + " acknowledged by " + actor.name + " after " + format_duration(took) + " (" + verdict + ")"};
      };
    case Verb::assign: {
      // "me" is whoever typed (or tapped Assign to me): a staff member, as /assign is staff's.
      const bool me = utf8::iequals(command.person, "me");
      const auto person = directory_.find_staff(me ? actor.id : command.person);
      return [=](Ticket& t) -> Decision {
        if (!person) return Refusal{"no support staff named " + command.person};
        if (t.state == TicketState::closed) return Refusal{ref + " is closed; reopen it first"};
        if (t.assignee_id == person->id) return Refusal{ref + " is already assigned to " + person->name};
        t.assignee_id = person->id;
        t.assignee_name = person->name;
        return Change{"assigned", person->name, ref + " assigned to " + person->name};
      };
    }
    case Verb::escalate:
      return [=](Ticket& t) -> Decision {
        if (auto refusal = finished(t)) return *refusal;
        if (t.escalation_level >= kEscalationManager) {
          return Refusal{ref + " is already with the service manager, the top of the ladder"};
        }
        ++t.escalation_level;
        const std::string rung(escalation_rung_name(t.escalation_level));
        EscalationNotices notices;
        if (escalated)
          notices = escalated(t, actor.name + (command.text.empty() ? "" : ": " + command.text), now, channel);
        std::string reply = ref + " escalated to " + (notices.to_whom.empty() ? rung : notices.to_whom);
        if (!command.text.empty()) reply += " (" + command.text + ")";
        return Change{"escalated", "to " + rung + (command.text.empty() ? "" : ": " + command.text), reply,
                      std::move(notices.messages)};
      };
    case Verb::sev:
      return [=](Ticket& t) -> Decision {
        if (auto refusal = finished(t)) return *refusal;
        const int from = t.severity;
        const int to = command.severity;
        if (to == from) return Refusal{ref + " is already " + std::string(severity_name(to))};
        if (to > from && !may_lower_severity(actor.role)) return Refusal{"only support staff may lower severity"};
        t.severity = to;
        std::string reply =
            ref + " severity " + std::string(severity_name(from)) + " -> " + std::string(severity_name(to));
        // The response clock follows the new severity until someone responds.
        if (!t.acked_at) {
          t.response_due_at = t.clock_started_at + policy_of(t).response_limit(to);
          reply += "; response " + due_phrase(t, now, zone);
        }
        return Change{"severity", std::string(severity_name(from)) + " -> " + std::string(severity_name(to)), reply};
      };
    case Verb::note: return [=](Ticket&) -> Decision { return Change{"noted", command.text, ref + " noted"}; };
    case Verb::resolve:
      return [=](Ticket& t) -> Decision {
        if (auto refusal = finished(t)) return *refusal;
        t.state = TicketState::resolved;
        t.resolved_at = now;
        std::string reply = ref + " resolved by " + actor.name;
        if (!command.text.empty()) reply += ": " + command.text;
        return Change{"resolved", command.text, reply};
      };
    case Verb::close: {
      // The timeline, for the closure summary (read before the write: a note racing the close may
      // be left out of the count, nothing worse). Internal rows count as actions and escalations;
      // the summary counts only the notes the group can read.
      constexpr int kSummaryRows = 10000;
      const auto rows = store_.timeline(command.id, kSummaryRows, /*include_internal=*/true);
      const auto closed = hooks_.closed;
      // The closure summary goes to the ticket's group with the change, and ends the reply.
      auto summarized = [=, this](const Ticket& t, Change change) {
        change.reply += "\n" + closure_summary(t, rows, actor.name, zone, owner_for(context, t.tenant_id));
        if (closed) {
          change.messages = closed(
              t, [t, rows, actor](const Zone& z) { return closure_summary(t, rows, actor.name, z); }, now, channel);
        }
        return change;
      };
      return [=](Ticket& t) -> Decision {
        if (t.state == TicketState::closed) return Refusal{ref + " is already closed"};
        // Closing a ticket nobody answered stops its clock for good: it must not pass unnoticed.
        if (clock_running(t)) {
          if (command.text.empty()) {
            return Refusal{ref + " was never acknowledged; to close it anyway give a reason: /close " +
                           std::to_string(command.id) + " <reason>"};
          }
          t.state = TicketState::closed;
          t.closed_at = now;
          return summarized(t, Change{"closed", "without a response: " + command.text,
                                      ref + " closed without a response, response SLA missed: " + command.text});
        }
        t.state = TicketState::closed;
        t.closed_at = now;
        return summarized(
            t, Change{"closed", command.text, ref + " closed" + (command.text.empty() ? "" : ": " + command.text)});
      };
    }
    case Verb::reopen:
      return [=](Ticket& t) -> Decision {
        if (t.is_active()) {
          return Refusal{ref + " is still " + std::string(state_name(t.state)) +
                         ", not resolved: nothing to reopen (/show " + std::to_string(command.id) + " for its state)"};
        }
        // A partner may bring back a resolved problem; a close is the support side's to undo.
        if (t.state == TicketState::closed && !is_staff(actor.role)) {
          return Refusal{ref + " is closed; only support staff may reopen it"};
        }
        // A reopened ticket waits for a new response: its clock starts again now.
        t.state = TicketState::open;
        t.acked_at.reset();
        t.acked_by_name.clear();
        t.resolved_at.reset();
        t.closed_at.reset();
        t.clock_started_at = now;
        t.response_due_at = now + policy_of(t).response_limit(t.severity);
        t.sla_stage = kNoStage;  // a new clock: its stages fire afresh
        std::string reply = ref + " reopened; response " + due_phrase(t, now, zone);
        return Change{"reopened", command.text, reply};
      };
    default: break;
  }
  return [](Ticket&) -> Decision { return Refusal{"that command changes nothing"}; };
}

std::string CommandService::read(const ChatContext& context, const Command& command) {
  switch (command.verb) {
    case Verb::show: return show(context, command.id);
    case Verb::list: return list(context, command);
    case Verb::sla: return sla(context, command);
    case Verb::whoami: return whoami(context);
    case Verb::oncall: return oncall(context, command);
    case Verb::report: {
      // The group's own tenant; on the support side the one named, or all of them.
      const bool all = !context.tenant && utf8::iequals(command.tenant, "all");
      const Scope scope = all ? Scope{} : read_scope(context, command.tenant);
      std::vector<Tenant> tenants = all ? directory_.tenants() : std::vector<Tenant>{};
      if (!all && !scope.tenant_id.empty()) {
        if (auto tenant = directory_.find_tenant(scope.tenant_id)) tenants.push_back(*tenant);
      }
      return report_answer(context, command, tenants, scope.error, hooks_.report, clock_.now());
    }
    case Verb::help: {
      if (command.text.empty()) return help_text();
      const auto verb = verb_from_name(command.text);
      if (!verb) return help_text();
      return std::string(usage_of(*verb)) + " - " + std::string(summary_of(*verb));
    }
    default: return help_text();
  }
}

std::string CommandService::show(const ChatContext& context, TicketId id) {
  const auto ticket = store_.find_ticket(id, context.tenant_scope());
  if (!ticket) return not_found(id);
  constexpr int kTimelineRows = 10;
  const bool include_internal = !context.tenant;  // the support side sees its own notes
  const auto rows = store_.timeline(id, kTimelineRows, include_internal);
  const std::size_t total = store_.count_timeline(id, include_internal);
  return ticket_details(*ticket, rows, total > rows.size() ? total - rows.size() : 0, clock_.now(), context.zone,
                        owner_for(context, ticket->tenant_id));
}

std::string CommandService::list(const ChatContext& context, const Command& command) {
  const Scope scope = read_scope(context, command.tenant);
  if (!scope.error.empty()) return scope.error + "; usage: " + std::string(usage_of(Verb::list));
  TicketQuery query;
  query.tenant_id = scope.tenant_id;
  query.severity = command.severity;
  std::string what = "open tickets";
  switch (command.scope) {
    case ListScope::open: query.states = {TicketState::open, TicketState::acknowledged}; break;
    case ListScope::mine:
      query.states = {TicketState::open, TicketState::acknowledged};
      // Staff own what they are assigned; partners what they opened.
      (is_staff(context.actor.role) ? query.assignee_id : query.opened_by_id) = context.actor.id;
      what = is_staff(context.actor.role) ? "open tickets assigned to you" : "open tickets you opened";
      break;
    case ListScope::all: what = "tickets"; break;
  }
  if (command.severity) what = std::string(severity_name(command.severity)) + " " + what;
  if (!context.tenant && !scope.tenant_id.empty()) what += " of " + owner_for(context, scope.tenant_id);
  const auto tickets = store_.list_tickets(query);
  if (tickets.empty()) return "no " + what;
  const auto total = store_.count_tickets(query);
  if (total == 1) what.replace(what.find("tickets"), 7, "ticket");
  std::string out = std::to_string(total) + " " + what + ":";
  // The support side reads them grouped by tenant, each group in the query's order (most severe
  // first): the page itself is still the most severe tickets of all.
  std::vector<std::pair<std::string, const Ticket*>> lines;
  for (const auto& t : tickets) lines.emplace_back(owner_for(context, t.tenant_id), &t);
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [owner, t] : lines) out += "\n" + ticket_line(*t, owner);
  if (total > tickets.size()) out += "\n... and " + std::to_string(total - tickets.size()) + " more";
  return out;
}

std::string CommandService::sla(const ChatContext& context, const Command& command) {
  const Scope scope = read_scope(context, command.tenant);
  if (!scope.error.empty()) return scope.error + "; usage: " + std::string(usage_of(Verb::sla));
  // A package's table where there is one package: a partner's group, or one tenant named. The
  // support side serves every package, so unfiltered it shows each ticket's own limit only.
  std::optional<Tenant> tenant = context.tenant;
  if (!tenant && !scope.tenant_id.empty()) tenant = directory_.find_tenant(scope.tenant_id);
  std::string out;
  if (tenant) {
    const SlaPolicy& policy = policies_.for_package(tenant->package);
    out = "Response SLA (" + (context.tenant ? "" : tenant->name + ", ") + std::string(package_name(tenant->package)) +
          "):";
    for (int level = kMostSevere; level <= kLeastSevere; ++level) {
      out += std::string(level == kMostSevere ? " " : ", ") + std::string(severity_name(level)) + " " +
             format_duration(policy.response_limit(level));
    }
  } else {
    out = "Response SLA: each ticket's own limit, by its tenant's package";
  }
  TicketQuery waiting;
  waiting.tenant_id = scope.tenant_id;
  waiting.states = {TicketState::open};
  waiting.order = TicketOrder::response_due;
  const auto tickets = store_.list_tickets(waiting);
  if (tickets.empty()) return out + "\nno ticket is waiting for a response";
  const auto now = clock_.now();
  out += "\nwaiting for a response:";
  for (const auto& t : tickets) {
    out += "\n" + ticket_ref(t.id) + " ";
    if (!context.tenant) out += whose(t, owner_for(context, t.tenant_id)) + " ";
    out += std::string(severity_name(t.severity)) + ", " + format_duration(response_limit_of(t)) + " limit, " +
           due_phrase(t, now, context.zone);
  }
  const auto total = store_.count_tickets(waiting);
  if (total > tickets.size()) out += "\n... and " + std::to_string(total - tickets.size()) + " more";
  return out;
}

void CommandService::outbox(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  // Every group's messages are listed: a partner's group must not see another's.
  if (context.tenant) {
    answer(context, "use /outbox in the support side's channel: it lists every group's messages", std::move(done));
    return;
  }
  if (command.message_id == 0) {
    constexpr int kShown = 10;
    const ChatOwner owner = [this](const std::string& connection, const std::string& chat_id) {
      return directory_.chat_owner(connection, chat_id);
    };
    answer(context, outbox_report(store_, kShown, "send a dead one again with /outbox retry <n>", context.zone, owner),
           std::move(done));
    return;
  }
  const auto id = command.message_id;
  store_.retry_dead(id, clock_.now(), [this, context, id, done = std::move(done)](WriteOutcome outcome) mutable {
    std::string text = "message " + std::to_string(id) + " is queued again";
    if (outcome.kind == WriteOutcome::Kind::not_found) text = "no dead message " + std::to_string(id) + "; see /outbox";
    if (outcome.kind == WriteOutcome::Kind::failed) text = "could not record that; nothing changed, please try again";
    announce(outcome);  // a message queued again: sent now, not at the outbox's next poll
    answer(context, std::move(text), std::move(done));
  });
}

std::string CommandService::whoami(const ChatContext& context) const {
  std::string out = "you are " + context.actor.name + " (" + std::string(role_title(context.actor.role)) + ")";
  if (context.tenant) {
    return out + " in the group of " + context.tenant->name + ", " +
           std::string(package_name(context.tenant->package)) + " package";
  }
  return out + " in the support side's channel";
}

}  // namespace slabot
