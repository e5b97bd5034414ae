#include "bot/sla/sla_notices.hpp"

#include <algorithm>

#include "bot/sla/ctg_watchers.hpp"
#include "bot/sla/ladder.hpp"
#include "bot/sla/notice_buttons.hpp"
#include "commands/ticket_view.hpp"
#include "domain/time_format.hpp"

namespace slabot {
namespace {}  // namespace

std::vector<OutboxItem> SlaNotices::stage_fired(const Ticket& t, const SlaPolicy& policy, int stage, bool climbed,
                                                Timestamp now) const {
  const auto config = config_.current();
  const Responders now_answering = responders(*config, duty_, t);
  const std::string rung = responders_phrase(now_answering);
  // Only a warning shows a time (its deadline), read in each destination's zone.
  auto body = [&](const Zone& zone) {
    std::string text;
    if (stage < kBreachStage) {
      text = ": no response yet, " + format_duration(t.response_due_at - now) + " left (due " +
             format_time(t.response_due_at, zone) + "); " + rung;
    } else {
      text = stage == kBreachStage
                 ? ": response SLA of " + format_duration(policy.response_limit(t.severity)) + " breached"
                 : ": still no response, overdue by " + format_duration(now - t.response_due_at);
      text += climbed ? "; escalated to " + rung : "; " + rung;
    }
    return text;
  };
  const std::string key =
      "sla:" + std::to_string(t.id) + ":" + std::to_string(to_unix_ms(t.clock_started_at)) + ":" + stage_name(stage);
  // A ticket under the Critical Time Guarantee: every stage reaches the support side at once,
  // with its TAM and service manager.
  auto items = to_channels(*config, t, both_sides(*config, t, body), now_answering.people, climbed || t.ctg, key);
  if (t.ctg) add_ctg_watchers(*config, t, items);
  attach_notice_buttons(*config, t.id, items);
  // A notice that climbed the ladder is an escalation, and the support side may hear of it only
  // so: it is never superseded, so it carries no stage.
  for (auto& item : items) {
    item.ticket_id = t.id;
    item.stage = climbed ? kNoStage : stage;
    item.stage_clock = t.clock_started_at;
  }
  return items;
}

EscalationNotices SlaNotices::escalated(const Ticket& t, const std::string& by, Timestamp now,
                                        const std::string& from_channel) const {
  const auto config = config_.current();
  const Responders now_answering = responders(*config, duty_, t);
  const std::string rung = responders_phrase(now_answering);
  const std::string text = " escalated to " + rung + " (by " + by + ")";
  const std::string key = "escalate:" + std::to_string(t.id) + ":" + std::to_string(t.escalation_level) + ":" +
                          std::to_string(to_unix_ms(now));
  auto items = to_channels(*config, t, both_sides(*config, t, [&text](const Zone&) { return text; }),
                           now_answering.people, true, key, from_channel);
  attach_notice_buttons(*config, t.id, items);
  return EscalationNotices{std::move(items), rung};
}

std::vector<OutboxItem> SlaNotices::ctg_started(const Ticket& t, const std::string& by, Timestamp now,
                                                const std::string& from_channel) const {
  const auto config = config_.current();
  const std::string text = ": under the Critical Time Guarantee (by " + by + "); " + ctg_watchers_phrase(*config, t);
  const std::string key = "ctg:" + std::to_string(t.id) + ":" + std::to_string(to_unix_ms(now));
  auto items = to_channels(*config, t, both_sides(*config, t, [&text](const Zone&) { return text; }),
                           responders(*config, duty_, t).people, true, key, from_channel);
  add_ctg_watchers(*config, t, items, /*name_them=*/false);
  return items;
}

std::vector<OutboxItem> SlaNotices::closed(const Ticket& t, const std::function<std::string(const Zone&)>& summary,
                                           Timestamp now, const std::string& from_channel) const {
  const auto config = config_.current();
  const std::string key = "closed:" + std::to_string(t.id) + ":" + std::to_string(to_unix_ms(now));
  auto items = to_channels(*config, t, Texts{summary, summary}, {}, false, key, from_channel);
  for (auto& item : items) {
    item.lane = Lane::routine;  // a summary, not an alarm
    item.message.mentions.clear();
  }
  return items;
}

SlaNotices::Texts SlaNotices::both_sides(const Config& config, const Ticket& t,
                                         std::function<std::string(const Zone&)> body) {
  return {[group = ticket_headline(t, ""), body](const Zone& zone) { return group + body(zone); },
          [support = ticket_headline(t, config.tenant_label(t.tenant_id)), body](const Zone& zone) {
            return support + body(zone);
          }};
}

std::vector<OutboxItem> SlaNotices::to_channels(const Config& config, const Ticket& t, const Texts& texts,
                                                const std::vector<const StaffMember*>& people, bool support_too,
                                                const std::string& key, const std::string& skip) {
  const auto where = [](const Channel& channel) { return channel.connection + ":" + channel.chat_id; };
  // The group it was opened in; every group of the tenant when that is not known (a ticket from
  // before origins were kept, or its group since removed from the config), so somebody hears.
  const bool origin_known = std::any_of(config.channels.begin(), config.channels.end(), [&](const Channel& c) {
    return !c.support_side() && c.tenant_id == t.tenant_id && where(c) == t.origin;
  });
  std::vector<OutboxItem> items;
  for (const auto& channel : config.channels) {
    if (where(channel) == skip) continue;
    if (channel.support_side()) {
      if (!support_too || !channel.hears(t.tenant_id, t.severity)) continue;
    } else if (channel.tenant_id != t.tenant_id || (origin_known && where(channel) != t.origin)) {
      continue;
    }
    const Connection* connection = config.find_connection(channel.connection);
    if (!connection) continue;
    OutboxItem item;
    item.message.connection = channel.connection;
    item.message.chat_id = channel.chat_id;
    const Zone zone = config.reader_zone(channel);
    item.message.text = channel.support_side() ? texts.support(zone) : texts.group(zone);
    item.message.mentions = mentions_on(people, connection->adapter);
    item.message.url = channel.outbound_url;
    // Breach pings and escalations go before routine replies when a group is throttled.
    item.lane = Lane::urgent;
    item.idempotency_key = key + ":" + channel.connection + ":" + channel.chat_id;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace slabot
