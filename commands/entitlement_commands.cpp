// What a package promises, as commands: /package, /ctg, /done, /entitlements and /rate. Quotas
// are counted on the store's writer thread in the write's own transaction (Store::write_ledger),
// so two requests at once never both take the last of one.
#include "commands/command_service.hpp"
#include "commands/entitlement_view.hpp"
#include "commands/lexer.hpp"
#include "commands/ticket_view.hpp"
#include "commands/usage.hpp"
#include "commands/utf8.hpp"
#include "domain/plural.hpp"
#include "domain/role.hpp"
#include "domain/tenant_log.hpp"

namespace slabot {
namespace {

// A rating may be changed for this long after it was first given.
constexpr auto kRatingChangeable = std::chrono::days(7);

std::string usage_error(std::string what, Verb verb) { return what + "; usage: " + std::string(usage_of(verb)); }

// Every package row there is: the running package is the config's changed by all of them.
std::vector<TenantActivity> package_rows(Ledger& ledger, const std::string& tenant_id) {
  return ledger.tenant_rows(tenant_id, std::string(kPackageAction), Timestamp{});
}

std::string year_phrase(const DateRange& year) { return format_date(year.first) + " to " + format_date(year.last()); }

}  // namespace

bool CommandService::is_entitlement_verb(Verb verb) {
  switch (verb) {
    case Verb::package:
    case Verb::ctg:
    case Verb::done:
    case Verb::entitlements:
    case Verb::rate: return true;
    default: return false;
  }
}

void CommandService::entitlement(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  switch (command.verb) {
    case Verb::package: change_package(context, command, std::move(done)); return;
    case Verb::ctg: guarantee(context, command, std::move(done)); return;
    case Verb::done: service_done(context, command, std::move(done)); return;
    case Verb::rate: change(context, command.id, rate(command, clock_.now()), std::move(done)); return;
    default: answer(context, entitlements(context, command), std::move(done)); return;
  }
}

std::string CommandService::entitlements(const ChatContext& context, const Command& command) {
  // A group reads its own tenant's; the support side names one (nobody else's ever shows).
  std::string error;
  const auto tenant = one_tenant(context, command.tenant, Verb::entitlements, error);
  if (!tenant) return error;
  const Timestamp now = clock_.now();
  const Date today = local_date(now, tenant->zone);
  const DateRange year = contract_year_holding(contract_start_of(*tenant, today), today);
  // Every period a quota counts in (a month, a quarter, the year) lies within the contract year.
  const Timestamp since = start_of(year.first, tenant->zone);
  EntitlementFacts facts{*tenant,
                         running_package(*tenant, store_.tenant_log(tenant->id, std::string(kPackageAction), {})),
                         store_.tenant_log(tenant->id, std::string(kServiceDoneAction), since),
                         store_.tenant_ticket_actions(tenant->id, "ctg", since)};
  return entitlements_text(facts, now);
}

void CommandService::change_package(const ChatContext& context, const Command& command,
                                    std::function<void(Reply)> done) {
  std::optional<Tenant> tenant;
  for (const auto& candidate : directory_.tenants()) {
    if (utf8::iequals(candidate.id, command.tenant) || utf8::iequals(candidate.name, command.tenant))
      tenant = candidate;
  }
  if (!tenant) {
    answer(context, usage_error("no tenant " + command.tenant, Verb::package), std::move(done));
    return;
  }
  const Package to = command.package;
  const Timestamp now = clock_.now();
  LedgerMutator decide = [tenant = *tenant, to, now](Ticket*, Ledger& ledger) -> LedgerDecision {
    const Package from = running_package(tenant, package_rows(ledger, tenant.id));
    if (from == to) return Refusal{tenant.name + " is already on " + std::string(package_name(to))};
    const Date today = local_date(now, tenant.zone);
    LedgerChange change;
    change.tenant_rows.push_back(
        {.tenant_id = tenant.id, .action = std::string(kPackageAction), .detail = package_change_detail(from, to)});
    change.reply = tenant.name + ": " + package_change_detail(from, to) +
                   ", for tickets opened from now on; the contract year stays " +
                   year_phrase(contract_year_holding(contract_start_of(tenant, today), today));
    return change;
  };
  const auto changed = hooks_.package_changed;
  ledger_write(context, 0, std::move(decide), [changed, done = std::move(done)](Reply reply) {
    if (!reply.failed && changed) changed();  // harmless after a refusal: the config is read again
    done(std::move(reply));
  });
}

void CommandService::guarantee(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  if (command.exception && !is_staff(context.actor.role)) {
    answer(context, "only support staff may grant a Critical Time Guarantee beyond the quota", std::move(done));
    return;
  }
  const std::string ref = ticket_ref(command.id);
  const Timestamp now = clock_.now();
  const Actor actor = context.actor;
  const std::string channel = context.channel;
  const auto started = hooks_.ctg_started;
  LedgerMutator decide = [this, command, ref, now, actor, channel, started](Ticket* t,
                                                                            Ledger& ledger) -> LedgerDecision {
    if (t->ctg) return Refusal{ref + " is already under the Critical Time Guarantee"};
    if (!t->is_active()) return Refusal{ref + " is " + std::string(state_name(t->state)) + "; reopen it first"};
    const auto tenant = directory_.find_tenant(t->tenant_id);
    if (!tenant) return Refusal{"no tenant " + t->tenant_id};
    const Package package = running_package(*tenant, package_rows(ledger, tenant->id));
    const Date today = local_date(now, tenant->zone);
    const DateRange year = contract_year_holding(contract_start_of(*tenant, today), today);
    const int quota = package_facts(package).ctg_per_year;
    const auto used = ledger.ticket_rows(tenant->id, "ctg", start_of(year.first, tenant->zone));
    const bool beyond = static_cast<int>(used.size()) >= quota;
    if (beyond && !command.exception) {
      std::string why =
          quota == 0 ? "the " + std::string(package_name(package)) + " package includes no Critical Time Guarantee"
                     : "no Critical Time Guarantee left this contract year (" + std::string(package_name(package)) +
                           ": " + std::to_string(quota) + " a year; used: " + ctg_uses_text(used, tenant->zone) + ")";
      return Refusal{why + (is_staff(actor.role)
                                ? "; to grant one anyway: /ctg " + std::to_string(command.id) + " exception <reason>"
                                : "; support staff can grant an exception")};
    }
    t->ctg = true;
    LedgerChange change;
    const std::string reason = command.text;
    change.ticket_change = Change{"ctg", beyond ? "exception: " + reason : reason, ""};
    if (beyond)
      change.tenant_rows.push_back(
          {.tenant_id = tenant->id, .action = std::string(kCtgExceptionAction), .detail = ref + ": " + reason});
    if (started) {
      change.messages = started(*t, actor.name + (reason.empty() ? "" : ": " + reason), now, channel);
    }
    change.reply = ref + " is under the Critical Time Guarantee (" +
                   (beyond ? "an exception beyond the " + std::to_string(quota) + " a year"
                           : std::to_string(used.size() + 1) + " of " + std::to_string(quota) + " this contract year") +
                   "); its warnings and breaches go to the TAM and the service manager at once";
    return change;
  };
  ledger_write(context, command.id, std::move(decide), std::move(done));
}

void CommandService::service_done(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  // In a group the tenant is the group's; the support side names it first.
  std::optional<Tenant> tenant = context.tenant;
  std::string note = command.text;
  if (!tenant) {
    const std::string_view rest = note;
    const std::size_t space = rest.find(' ');
    const std::string named(rest.substr(0, space));
    if (named.empty()) {
      answer(context, usage_error("name the tenant in the support side's channel", Verb::done), std::move(done));
      return;
    }
    const Scope scope = read_scope(context, named);
    if (!scope.error.empty()) {
      answer(context, usage_error(scope.error, Verb::done), std::move(done));
      return;
    }
    tenant = directory_.find_tenant(scope.tenant_id);
    note = space == std::string_view::npos ? "" : std::string(lex::trim(rest.substr(space)));
  }
  const Service service = command.service;
  const Timestamp now = clock_.now();
  LedgerMutator decide = [tenant = *tenant, service, note, now](Ticket*, Ledger& ledger) -> LedgerDecision {
    const Package package = running_package(tenant, package_rows(ledger, tenant.id));
    const Quota quota = quota_of(package, service);
    const std::string title(service_title(service));
    if (quota.count == 0) {
      return Refusal{"the " + std::string(package_name(package)) + " package includes no " + title};
    }
    const Date today = local_date(now, tenant.zone);
    const DateRange period = quota_period(tenant, quota, today);
    const auto rows =
        ledger.tenant_rows(tenant.id, std::string(kServiceDoneAction), start_of(period.first, tenant.zone));
    const auto within = services_within(rows, service, period, tenant.zone);
    const std::string span =
        std::to_string(quota.count) + " " + std::string(cadence_words(quota.months)) + ", " + year_phrase(period);
    if (static_cast<int>(within.size()) >= quota.count) {
      std::string when;
      for (const auto& row : within) {
        when += (when.empty() ? "" : ", ") + format_date(local_date(row.at, tenant.zone)) + " by " + row.actor_name;
      }
      return Refusal{tenant.name + "'s " + title + " quota is used up (" + span + "): done " + when};
    }
    LedgerChange change;
    change.tenant_rows.push_back(
        {.tenant_id = tenant.id, .action = std::string(kServiceDoneAction), .detail = service_detail(service, note)});
    change.reply =
        title + " recorded as done for " + tenant.name + " (" + std::to_string(within.size() + 1) + " of " + span + ")";
    return change;
  };
  ledger_write(context, 0, std::move(decide), std::move(done));
}

Mutator CommandService::rate(const Command& command, Timestamp now) {
  const std::string ref = ticket_ref(command.id);
  return [ref, command, now](Ticket& t) -> Decision {
    if (t.is_active()) return Refusal{ref + " is not resolved yet; rate it once it is"};
    const std::string score = std::to_string(command.rating) + "/5";
    if (t.rated_at && now - *t.rated_at > kRatingChangeable) {
      return Refusal{ref + " was rated " + std::to_string(t.rating) + "/5; a rating can be changed for a week only"};
    }
    const int before = t.rating;
    t.rating = command.rating;
    if (!t.rated_at) t.rated_at = now;
    const std::string reply = before == 0 ? ref + " rated " + score + ", thank you"
                                          : ref + " rating changed from " + std::to_string(before) + "/5 to " + score;
    return Change{"rated", command.text.empty() ? score : score + ": " + command.text, reply};
  };
}

}  // namespace slabot
