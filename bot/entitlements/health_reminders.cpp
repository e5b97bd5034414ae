#include "bot/entitlements/health_reminders.hpp"

#include "bot/entitlements/tenant_reminder.hpp"
#include "domain/tenant_log.hpp"

namespace slabot {

std::size_t HealthReminders::remind_now(Timestamp now) {
  const auto config = config_.current();
  std::size_t sent = 0;
  for (const Tenant& tenant : config->tenants) {
    const Quota quota = quota_of(tenant.package, Service::healthcheck);
    if (quota.count == 0) continue;
    const Date today = local_date(now, tenant.zone);
    const DateRange current = quota_period(tenant, quota, today);
    const DateRange previous =
        quota_period(tenant, quota, Date{std::chrono::sys_days{current.first} - std::chrono::days{1}});
    const auto done =
        store_.tenant_log(tenant.id, std::string(kServiceDoneAction), start_of(previous.first, tenant.zone));
    const auto reminded =
        store_.tenant_log(tenant.id, std::string(kRemindedAction), start_of(previous.first, tenant.zone));
    const std::string period_key = "healthcheck " + format_date(current.first);
    const Timestamp due = start_of(current.end, tenant.zone);
    if (now >= due - config->reminders.health_check_before &&
        services_within(done, Service::healthcheck, current, tenant.zone).empty() &&
        !reminded_before(reminded, period_key + " due")) {
      sent += remind(*config, tenant, period_key + " due",
                     "a health check is due by " + format_date(current.last()) + " and not done yet", now);
    }
    // The period before ended without one, lately: within as long after its end as the first
    // reminder comes before it. So a bot started long after (a new deployment, a tenant added)
    // does not greet every tenant with old news; never for a period before the contract began.
    const std::string previous_key = "healthcheck " + format_date(previous.first) + " overdue";
    const bool before_contract = tenant.contract_start && previous.first < *tenant.contract_start;
    const bool lately = now < start_of(previous.end, tenant.zone) + config->reminders.health_check_before;
    if (!before_contract && lately && services_within(done, Service::healthcheck, previous, tenant.zone).empty() &&
        !reminded_before(reminded, previous_key)) {
      sent += remind(*config, tenant, previous_key,
                     "the health check due by " + format_date(previous.last()) + " is overdue", now);
    }
  }
  if (sent > 0 && on_sent_) on_sent_();
  return sent;
}

bool HealthReminders::remind(const Config& config, const Tenant& tenant, const std::string& key,
                             const std::string& what, Timestamp now) {
  return remind_once(store_, tenant.id, key, {}, tenant_reminder_messages(config, tenant, key, what), now);
}

}  // namespace slabot
