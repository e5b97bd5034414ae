#include "bot/entitlements/health_reminders.hpp"

#include <spdlog/spdlog.h>

#include <future>

#include "bot/sla/ladder.hpp"
#include "domain/severity.hpp"
#include "domain/tenant_log.hpp"

namespace slabot {
namespace {

// Who reminds: the bot itself, from no chat.
constexpr const char* kBot = "slabot";
constexpr const char* kChannel = "reminders";

// The tenant's TAM (designated, else the pool), found as the ladder finds a ticket's.
std::vector<const StaffMember*> tam_of(const Config& config, const Tenant& tenant) {
  return tams_for(config, tenant.id);
}

// One message per destination: each of the tenant's groups, and the support side's channels that
// hear the tenant; the TAM mentioned in each.
std::vector<OutboxItem> reminder_messages(const Config& config, const Tenant& tenant, const std::string& key,
                                          const std::string& text) {
  const auto tam = tam_of(config, tenant);
  const std::string said = text + "; TAM: " + names_of(tam);
  std::vector<OutboxItem> items;
  for (const auto& channel : config.channels) {
    if (channel.support_side() ? !channel.hears(tenant.id, kMostSevere) : channel.tenant_id != tenant.id) continue;
    const Connection* connection = config.find_connection(channel.connection);
    if (!connection) continue;
    OutboxItem item;
    item.message.connection = channel.connection;
    item.message.chat_id = channel.chat_id;
    item.message.url = channel.outbound_url;
    item.message.text = channel.support_side() ? "[" + tenant.name + "] " + said : said;
    item.message.mentions = mentions_on(tam, connection->adapter);
    item.lane = Lane::routine;
    item.idempotency_key = "remind:" + tenant.id + ":" + key + ":" + channel.connection + ":" + channel.chat_id;
    items.push_back(std::move(item));
  }
  return items;
}

bool sent_before(const std::vector<TenantActivity>& reminded, const std::string& key) {
  for (const auto& row : reminded) {
    if (row.detail == key) return true;
  }
  return false;
}

}  // namespace

std::size_t HealthReminders::remind_now(Timestamp now) {
  const auto config = config_.current();
  std::size_t sent = 0;
  for (const Tenant& tenant : config->tenants) {
    const Quota quota = quota_of(tenant.package, Service::healthcheck);
    if (quota.count == 0) continue;
    const Date today = local_date(now, tenant.zone);
    const DateRange current = quota_period(tenant, quota, today);
    const DateRange previous = quota_period(tenant, quota, Date{std::chrono::sys_days{current.first} - std::chrono::days{1}});
    const auto done = store_.tenant_log(tenant.id, std::string(kServiceDoneAction), start_of(previous.first, tenant.zone));
    const auto reminded = store_.tenant_log(tenant.id, std::string(kRemindedAction), start_of(previous.first, tenant.zone));
    const std::string period_key = "healthcheck " + format_date(current.first);
    const Timestamp due = start_of(current.end, tenant.zone);
    if (now >= due - config->reminders.health_check_before &&
        services_within(done, Service::healthcheck, current, tenant.zone).empty() &&
        !sent_before(reminded, period_key + " due")) {
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
        !sent_before(reminded, previous_key)) {
      sent += remind(*config, tenant, previous_key,
                     "the health check due by " + format_date(previous.last()) + " is overdue", now);
    }
  }
  if (sent > 0 && on_sent_) on_sent_();
  return sent;
}

bool HealthReminders::remind(const Config& config, const Tenant& tenant, const std::string& key,
                             const std::string& what, Timestamp now) {
  auto messages = reminder_messages(config, tenant, key, what);
  LedgerMutator decide = [tenant_id = tenant.id, key, messages = std::move(messages)](Ticket*,
                                                                                      Ledger& ledger) -> LedgerDecision {
    // Checked again in the write: a reminder is recorded once, whoever else looked meanwhile.
    if (sent_before(ledger.tenant_rows(tenant_id, std::string(kRemindedAction), Timestamp{}), key)) return Refusal{};
    LedgerChange change;
    change.tenant_rows.push_back({.tenant_id = tenant_id, .action = std::string(kRemindedAction), .detail = key});
    change.messages = messages;
    return change;
  };
  WriteContext context{kBot, kBot, kChannel, now, std::nullopt, std::nullopt};
  std::promise<WriteOutcome> written;
  store_.write_ledger(0, "", std::move(context), std::move(decide),
                      [&written](WriteOutcome outcome) { written.set_value(std::move(outcome)); });
  const WriteOutcome outcome = written.get_future().get();
  if (outcome.kind == WriteOutcome::Kind::failed) {
    spdlog::warn("reminders: could not record the {} reminder of {}; trying again next round", key, tenant.id);
  }
  if (outcome.kind != WriteOutcome::Kind::applied) return false;
  spdlog::info("reminders: {} reminded: {}", tenant.id, key);
  return true;
}

}  // namespace slabot
