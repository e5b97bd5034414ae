#include "bot/entitlements/tenant_reminder.hpp"

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

// A partner ("<connection>:<user id>", as the dispatcher names them) as `channel` can @-mention
// them: by that user id, in the tenant's own group on the connection they were seen on. Partners
// have no place on the support side, and another connection numbers its users apart.
std::optional<Mention> partner_mention_in(const Actor& partner, const Channel& channel) {
  const std::string prefix = channel.connection + ":";
  if (channel.support_side() || !partner.id.starts_with(prefix) || partner.id.size() == prefix.size())
    return std::nullopt;
  return Mention{partner.id.substr(prefix.size()), partner.name};
}

}  // namespace

std::vector<OutboxItem> tenant_reminder_messages(const Config& config, const Tenant& tenant, const std::string& key,
                                                 const std::string& text, const std::vector<Actor>& addressed) {
  // The tenant's TAM (designated, else the pool), found as the ladder finds a ticket's.
  const auto tam = tams_for(config, tenant.id);
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
    for (const auto& partner : addressed) {
      if (auto mention = partner_mention_in(partner, channel)) item.message.mentions.push_back(std::move(*mention));
    }
    item.lane = Lane::routine;
    item.idempotency_key = "remind:" + tenant.id + ":" + key + ":" + channel.connection + ":" + channel.chat_id;
    items.push_back(std::move(item));
  }
  return items;
}

bool reminded_before(const std::vector<TenantActivity>& reminded, const std::string& key) {
  for (const auto& row : reminded) {
    if (row.detail == key) return true;
  }
  return false;
}

bool remind_once(Store& store, const std::string& tenant_id, const std::string& key, std::vector<TenantActivity> rows,
                 std::vector<OutboxItem> messages, Timestamp now) {
  LedgerMutator decide = [tenant_id, key, rows = std::move(rows), messages = std::move(messages)](
                             Ticket*, Ledger& ledger) -> LedgerDecision {
    // Checked again in the write: a reminder is recorded once, whoever else looked meanwhile.
    if (reminded_before(ledger.tenant_rows(tenant_id, std::string(kRemindedAction), Timestamp{}), key))
      return Refusal{};
    LedgerChange change;
    change.tenant_rows = rows;
    for (auto& row : change.tenant_rows) row.tenant_id = tenant_id;
    change.tenant_rows.push_back({.tenant_id = tenant_id, .action = std::string(kRemindedAction), .detail = key});
    change.messages = messages;
    return change;
  };
  WriteContext context{kBot, kBot, kChannel, now, std::nullopt, std::nullopt};
  std::promise<WriteOutcome> written;
  store.write_ledger(0, "", std::move(context), std::move(decide),
                     [&written](WriteOutcome outcome) { written.set_value(std::move(outcome)); });
  const WriteOutcome outcome = written.get_future().get();
  if (outcome.kind == WriteOutcome::Kind::failed) {
    spdlog::warn("reminders: could not record the {} reminder of {}; trying again next round", key, tenant_id);
  }
  if (outcome.kind != WriteOutcome::Kind::applied) return false;
  spdlog::info("reminders: {} reminded: {}", tenant_id, key);
  return true;
}

}  // namespace slabot
