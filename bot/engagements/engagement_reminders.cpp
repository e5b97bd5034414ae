#include "bot/engagements/engagement_reminders.hpp"

#include "bot/entitlements/tenant_reminder.hpp"
#include "domain/engagement.hpp"
#include "domain/tenant_log.hpp"
#include "report/engagement_report.hpp"

namespace slabot {
namespace {

using namespace std::chrono;

std::string accepter(const Engagement& e) { return e.csm_name.empty() ? std::string("the customer") : e.csm_shown(); }

std::size_t remind_tenant(const Config& config, Store& store, const Tenant& tenant, Timestamp now) {
  const Date today = local_date(now, tenant.zone);
  if (now < start_of(today, tenant.zone) + kEngagementRemindersAt) return 0;
  const auto e = rebuild_engagement(store.tenant_log(tenant.id, std::string(kEngagementAction), {}), tenant.calendar,
                                    tenant.zone, now);
  if (!e || e->cancelled_at) return 0;  // a cancelled engagement's reminders stop
  // A finished engagement may still owe the notice of its last confirmation by the rule.
  bool owes_notice = false;
  for (const auto& m : e->milestones) {
    if (const Submission* s = m.current(); s && s->by_rule && !s->rule_noted) owes_notice = true;
  }
  if (e->finished() && !owes_notice) return 0;
  const auto reminded = store.tenant_log(tenant.id, std::string(kRemindedAction), e->started_at);
  const std::string prefix = "engagement " + std::to_string(e->id) + " ";
  std::size_t sent = 0;
  // The customer success manager, when one was named by identity: acceptance is theirs to give.
  std::vector<Actor> manager;
  if (!e->csm_id.empty()) manager.push_back(Actor{e->csm_id, e->csm_name, Role::partner});
  auto remind = [&](const std::string& key, const std::string& text, std::vector<TenantActivity> rows = {},
                    const std::vector<Actor>& addressed = {}) {
    if (reminded_before(reminded, prefix + key)) return;
    if (remind_once(store, tenant.id, prefix + key, std::move(rows),
                    tenant_reminder_messages(config, tenant, prefix + key, text, addressed), now)) {
      ++sent;
    }
  };
  for (const MilestoneState& m : e->milestones) {
    if (!m.done_at) {
      // 09:00 `milestone_before` ahead of 09:00 on the due day, and once it is past.
      const Timestamp remind_from =
          start_of(m.plan.due, tenant.zone) + kEngagementRemindersAt - config.reminders.milestone_before;
      if (today > m.plan.due) {
        remind(m.plan.id + " overdue", "Engagement milestone " + milestone_label(m.plan) + " was due " +
                                           format_date(m.plan.due) + " and is overdue");
      } else if (now >= remind_from) {
        remind(m.plan.id + " due", "Engagement milestone " + milestone_label(m.plan) + " is " +
                                       milestone_due_phrase(m.plan) + " and not done yet");
      }
    }
    const Submission* s = m.current();
    if (!s) continue;
    const std::string deliverable = "Deliverable " + m.plan.id + " \"" + s->title + "\"";
    if (s->state == Acceptance::pending && today > local_date(s->at, tenant.zone) && today <= s->window_last &&
        tenant.calendar.is_working_day(today)) {
      const int left = acceptance_days_left(*s, now, tenant.calendar, tenant.zone);
      remind("accept " + std::to_string(s->seq) + " " + format_date(today),
             deliverable + " awaits " + accepter(*e) + "'s confirmation or objection: " + std::to_string(left) +
                 (left == 1 ? " working day" : " working days") + " left (until " + format_date(s->window_last) +
                 "); without an objection it is confirmed",
             {}, manager);
    }
    if (s->by_rule && !s->rule_noted) {
      remind("rule " + std::to_string(s->seq),
             deliverable + " is confirmed by the five-day rule: no objection within " +
                 std::to_string(kAcceptanceWorkingDays) + " working days (until " + format_date(s->window_last) + ")",
             {{.action = std::string(kEngagementAction), .detail = milestone_detail(kRuleConfirmVerb, m.plan.id, "")}});
    }
  }
  if (!e->finished()) {
    // The latest monthly report day reached: one reminder each month of the landing.
    std::optional<Date> report_day;
    for (const Date day : landing_report_days(e->edition, e->start)) {
      if (day <= today) report_day = day;
    }
    if (report_day) {
      remind("report " + format_date(*report_day),
             "Engagement landing: this month's comprehensive service report is due (" + format_date(*report_day) +
                 "); submit it with /deliverable submit 1.4 <title>");
    }
  }
  return sent;
}

}  // namespace

std::size_t remind_engagements(const Config& config, Store& store, Timestamp now) {
  std::size_t sent = 0;
  for (const Tenant& tenant : config.tenants) sent += remind_tenant(config, store, tenant, now);
  return sent;
}

}  // namespace slabot
