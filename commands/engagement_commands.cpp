// The customer success engagement as commands: /engagement, /milestone, /deliverable and
// `/report engagement`. Its state is rebuilt from the tenant's log inside each write's own
// transaction (Store::write_ledger), so two people acting at once are judged one after the
// other: one start, one decision on a deliverable.
#include "commands/command_service.hpp"
#include "commands/permissions.hpp"
#include "commands/usage.hpp"
#include "commands/utf8.hpp"
#include "domain/engagement.hpp"
#include "report/engagement_report.hpp"

namespace slabot {
namespace {

using EngagementDecide = std::function<LedgerDecision(const Tenant&, const std::optional<Engagement>&, Timestamp now)>;

std::string with_usage(const std::string& what, Verb verb) { return what + "; usage: " + std::string(usage_of(verb)); }

TenantActivity log_row(const Tenant& tenant, std::string detail) {
  return {.tenant_id = tenant.id, .action = std::string(kEngagementAction), .detail = std::move(detail)};
}

LedgerChange change_of(const Tenant& tenant, std::string detail, std::string reply) {
  LedgerChange change;
  change.tenant_rows.push_back(log_row(tenant, std::move(detail)));
  change.reply = std::move(reply);
  return change;
}

const char* kNoEngagement =
    "no engagement runs here; staff start one with /engagement start standard|premium <scenario>";

std::string who_accepts(const Engagement& e) {
  return e.csm_name.empty() ? std::string("the customer (no success manager named)") : e.csm_shown();
}

// Staff name the customer success manager, or the one named hands over. The person is the one
// the platform says was @-mentioned (`mentioned`), never a name typed: a display name proves
// nobody, and anyone in the group can take one.
LedgerDecision name_csm(const Command& command, const Actor& actor, const std::vector<Actor>& mentioned,
                        const Tenant& tenant, const Engagement& e) {
  if (!is_staff(actor.role) && (e.csm_id.empty() || actor.id != e.csm_id)) {
    return Refusal{e.csm_id.empty() ? std::string("only support staff name the customer success manager")
                                    : "only support staff or the customer success manager, " + e.csm_name +
                                          ", name the customer success manager"};
  }
  if (mentioned.empty()) {
    return Refusal{
        "@-mention the customer success manager so the platform says who they are (/engagement csm "
        "@name); a typed name is not enough"};
  }
  if (mentioned.size() > 1)
    return Refusal{"mention one customer success manager, not " + std::to_string(mentioned.size()) + " people"};
  const Actor& person = mentioned.front();
  // Shown as the platform names them, else as typed.
  const std::string name = person.name.empty() ? command.person : person.name;
  if (is_staff(person.role)) {
    return Refusal{name + " is support staff; the customer success manager is on the customer's side"};
  }
  // The id is one word of the log row; no platform's user ids have blanks.
  if (person.id.find_first_of(" \t\n") != std::string::npos) {
    return Refusal{"the platform's id for " + name + " has a blank; it cannot be recorded"};
  }
  if (person.id == e.csm_id) return Refusal{name + " is the customer success manager already"};
  return change_of(tenant, csm_detail(person.id, name),
                   name + " is the customer success manager: confirms or objects to deliverables");
}

LedgerDecision start(const Command& command, const Tenant& tenant, const std::optional<Engagement>& e, Timestamp now) {
  if (e && e->running()) {
    return Refusal{"an engagement already runs here (" + std::string(edition_name(e->edition)) + ", from " +
                   format_date(e->start) + "); one at a time"};
  }
  const Date earliest = add_working_days(local_date(now, tenant.zone), kLeadWorkingDays, tenant.calendar);
  const Date t = command.start_date.value_or(earliest);
  if (t < earliest) {
    return Refusal{"an engagement is requested at least " + std::to_string(kLeadWorkingDays) +
                   " working days ahead: the earliest start is " + format_date(earliest)};
  }
  const auto plan = engagement_plan(command.edition, t);
  return change_of(tenant, start_detail(command.edition, t, command.text),
                   "Engagement started: " + std::string(edition_name(command.edition)) + ", " + command.text + ", " +
                       format_date(t) + " to " + format_date(engagement_end(command.edition, t)) + "; " +
                       milestone_label(plan.front()) + " " + milestone_due_phrase(plan.front()) +
                       "; /engagement shows the plan");
}

LedgerDecision units(const Command& command, const Tenant& tenant, const Engagement& e) {
  if (command.step == EngagementStep::units_add) {
    Engagement after = e;
    after.person_days_bought += command.amount * kPersonDaysPerUnit;
    return change_of(
        tenant, units_detail(kUnitsAddVerb, command.amount, ""),
        "Added " + std::to_string(command.amount * kPersonDaysPerUnit) + " person-days: " + units_phrase(after));
  }
  const int left = e.person_days_bought - e.person_days_used();
  if (command.amount > left) {
    return Refusal{"only " + std::to_string(left) + " person-days left (" + units_phrase(e) +
                   "); add a unit first: /engagement units add 1"};
  }
  Engagement after = e;
  after.uses.push_back({{}, {}, command.amount, command.text});
  return change_of(tenant, units_detail(kUnitsUseVerb, command.amount, command.text),
                   "Used " + std::to_string(command.amount) + " person-days: " + units_phrase(after));
}

LedgerDecision milestone_done(const Command& command, const Tenant& tenant, const Engagement& e) {
  const MilestoneState* m = e.find(command.milestone);
  if (m->done_at)
    return Refusal{milestone_label(m->plan) + " was done already, " +
                   format_date(local_date(*m->done_at, tenant.zone))};
  return change_of(tenant, milestone_detail(kDoneVerb, command.milestone, command.text),
                   milestone_label(m->plan) + " recorded done; it was " + milestone_due_phrase(m->plan));
}

LedgerDecision submit(const Command& command, const Tenant& tenant, const Engagement& e, Timestamp now) {
  const MilestoneState* m = e.find(command.milestone);
  if (const Submission* s = m->current()) {
    if (s->state == Acceptance::pending) {
      return Refusal{m->plan.id + " \"" + s->title + "\" is " +
                     acceptance_phrase(e, *s, now, tenant.calendar, tenant.zone)};
    }
    // The monthly comprehensive service report (1.4) comes again each month; the rest once.
    if (s->state == Acceptance::confirmed && m->plan.id != "1.4") {
      return Refusal{m->plan.id + " \"" + s->title + "\" is " +
                     acceptance_phrase(e, *s, now, tenant.calendar, tenant.zone)};
    }
  }
  const Date last = acceptance_last_day(now, tenant.calendar, tenant.zone);
  return change_of(tenant, submit_detail(command.milestone, last, command.text),
                   m->plan.id + " \"" + command.text + "\" submitted: " + who_accepts(e) +
                       " may confirm or object for " + std::to_string(kAcceptanceWorkingDays) +
                       " working days, until " + format_date(last) + "; without an objection it is confirmed");
}

LedgerDecision decide_acceptance(const Command& command, const Actor& actor, const Tenant& tenant, const Engagement& e,
                                 Timestamp now) {
  const MilestoneState* m = e.find(command.milestone);
  const Submission* s = m->current();
  if (!s) return Refusal{"nothing submitted for " + milestone_label(m->plan) + " yet"};
  if (s->state != Acceptance::pending) {
    return Refusal{m->plan.id + " \"" + s->title + "\" is " +
                   acceptance_phrase(e, *s, now, tenant.calendar, tenant.zone)};
  }
  // By identity only: the id the platform gave when the manager was named, never a name.
  if (e.csm_named_by_name_only()) {
    return Refusal{"the customer success manager " + e.csm_name +
                   " was named by name only, which proves nobody; staff name them again: /engagement csm @name"};
  }
  if (!e.csm_id.empty() && actor.id != e.csm_id) {
    return Refusal{"only the customer success manager, " + e.csm_name + ", confirms or objects to deliverables"};
  }
  const bool confirm = command.step == EngagementStep::confirm;
  return change_of(
      tenant, milestone_detail(confirm ? kConfirmVerb : kObjectVerb, command.milestone, command.text),
      m->plan.id + " \"" + s->title + "\" " +
          (confirm ? "confirmed by " + actor.name
                   : "objected by " + actor.name + (command.text.empty() ? "" : ": " + command.text) +
                         "; its acceptance clock is stopped until it is resubmitted (/deliverable submit " +
                         m->plan.id + " <title>)"));
}

}  // namespace

bool CommandService::is_engagement_command(const Command& command) {
  return command.verb == Verb::engagement || command.verb == Verb::milestone || command.verb == Verb::deliverable ||
         (command.verb == Verb::report && command.step == EngagementStep::report);
}

void CommandService::engagement(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  if (auto why = engagement_denial(command.step, context.actor.role)) {
    answer(context, *why, std::move(done));
    return;
  }
  if (command.step == EngagementStep::report) {
    answer(context, engagement_report(context, command), std::move(done));
    return;
  }
  if (!context.tenant) {
    answer(context, with_usage("engagements are run in the customer's own group", command.verb), std::move(done));
    return;
  }
  const Tenant& tenant = *context.tenant;
  const Timestamp now = clock_.now();
  if (command.step == EngagementStep::show) {
    const auto e = rebuild_engagement(store_.tenant_log(tenant.id, std::string(kEngagementAction), {}), tenant.calendar,
                                      tenant.zone, now);
    answer(context, e ? engagement_text(tenant, *e, now) : std::string(kNoEngagement), std::move(done));
    return;
  }
  const Actor actor = context.actor;
  LedgerMutator decide = [command, actor, mentioned = context.mentioned, tenant, now](
                             Ticket*, Ledger& ledger) -> LedgerDecision {
    const auto e = rebuild_engagement(ledger.tenant_rows(tenant.id, std::string(kEngagementAction), Timestamp{}),
                                      tenant.calendar, tenant.zone, now);
    if (command.step == EngagementStep::start) return start(command, tenant, e, now);
    if (!e || !e->running()) return Refusal{kNoEngagement};
    switch (command.step) {
      case EngagementStep::csm: return name_csm(command, actor, mentioned, tenant, *e);
      case EngagementStep::units_add:
      case EngagementStep::units_use: return units(command, tenant, *e);
      case EngagementStep::milestone_done: return milestone_done(command, tenant, *e);
      case EngagementStep::submit: return submit(command, tenant, *e, now);
      case EngagementStep::cancel:
        return change_of(tenant, std::string(kCancelVerb) + " " + command.text,
                         "Engagement (" + std::string(edition_name(e->edition)) + ", from " + format_date(e->start) +
                             ") cancelled: " + command.text +
                             "; its reminders stop, and a new one may start (/engagement start)");
      case EngagementStep::confirm:
      case EngagementStep::object: return decide_acceptance(command, actor, tenant, *e, now);
      default: return Refusal{std::string(usage_of(command.verb))};
    }
  };
  ledger_write(context, 0, std::move(decide), std::move(done));
}

std::string CommandService::engagement_text(const Tenant& tenant, const Engagement& e, Timestamp now) const {
  std::string out =
      "Engagement (" + std::string(edition_name(e.edition)) + ", " + e.scenario + "): " + format_date(e.start) +
      " to " + format_date(engagement_end(e.edition, e.start)) +
      (e.cancelled_at ? "; " + cancelled_phrase(e, tenant.zone) : "; accepts deliverables: " + who_accepts(e));
  for (const auto& m : e.milestones) {
    out += "\n" + milestone_label(m.plan) + ": " + milestone_due_phrase(m.plan) + ", " +
           milestone_state_phrase(e, m, now, tenant.zone);
    if (const Submission* s = m.current()) {
      out += "; \"" + s->title + "\" " + acceptance_phrase(e, *s, now, tenant.calendar, tenant.zone);
    } else {
      out += "; " + std::string(m.plan.deliverable) + " not submitted";
    }
  }
  return out + "\nSupplement units: " + units_phrase(e);
}

std::string CommandService::engagement_report(const ChatContext& context, const Command& command) {
  std::string error;
  const auto tenant = one_tenant(context, command.tenant, Verb::report, error);
  if (!tenant) return error;
  const Timestamp now = clock_.now();
  const auto e = rebuild_engagement(store_.tenant_log(tenant->id, std::string(kEngagementAction), {}), tenant->calendar,
                                    tenant->zone, now);
  if (!e) return "no engagement for " + (tenant->name.empty() ? tenant->id : tenant->name);
  return render_engagement_markdown(*tenant, *e, now);
}

}  // namespace slabot
