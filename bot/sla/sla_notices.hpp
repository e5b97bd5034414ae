#pragma once
// What the groups hear when a ticket's clock reaches a stage or it climbs the ladder: the text,
// the destinations (the tenant's group; the support side's channels too on a climb) and the
// @-mentions of the people now responsible.
#include <functional>
#include <string>
#include <vector>

#include "commands/command_service.hpp"  // EscalationNotices
#include "config/live_config.hpp"
#include "domain/duty.hpp"
#include "domain/outbox_item.hpp"
#include "domain/sla_clock.hpp"

namespace slabot {

// Each call reads the config once (its staff, channels and tenants as they are now) and uses that
// one snapshot throughout.
class SlaNotices {
 public:
  // `duty` says who is on duty now (the ladder's first rung); it must outlive the notices.
  SlaNotices(const LiveConfig& config, const DutyRoster& duty) : config_(config), duty_(duty) {}

  // A stage fired on `ticket` (already updated: its stage and rung are the new ones).
  // `climbed`: whether this stage moved the ticket up the ladder.
  std::vector<OutboxItem> stage_fired(const Ticket& ticket, const SlaPolicy& policy, int stage, bool climbed,
                                      Timestamp now) const;

  // Someone escalated `ticket` by hand (already at its new rung); `by` names who and why. No
  // notice goes to `from_channel`, where the command was typed: its reply says the same.
  EscalationNotices escalated(const Ticket& ticket, const std::string& by, Timestamp now,
                              const std::string& from_channel) const;

  // `ticket` went under the Critical Time Guarantee (`by`: who, and why): the support side and
  // its group hear it, naming the TAM and the service manager; nothing to `from_channel`.
  std::vector<OutboxItem> ctg_started(const Ticket& ticket, const std::string& by, Timestamp now,
                                      const std::string& from_channel) const;

  // `ticket` was closed: its closure summary, in each group's zone, for its group; nothing to
  // `from_channel`, whose reply carries it.
  std::vector<OutboxItem> closed(const Ticket& ticket, const std::function<std::string(const Zone&)>& summary,
                                 Timestamp now, const std::string& from_channel) const;

 private:
  // One notice as each side reads it: the support side's copy names the tenant. Each copy is
  // written for its destination's zone (Config::reader_zone), where its times are shown. Lives
  // for one call: `body` may refer to the caller's locals.
  struct Texts {
    std::function<std::string(const Zone&)> group;
    std::function<std::string(const Zone&)> support;
  };
  // Both copies: the headline as each side reads it, then `body` (what happened) in the zone.
  static Texts both_sides(const Config& config, const Ticket& ticket, std::function<std::string(const Zone&)> body);
  // One message per destination: the group the ticket was opened in (every group of its tenant
  // when that is not known), and with `support_too` the support side's channels that hear its
  // tenant and severity; never `skip`. Each @-mentions `people` where they have an id.
  static std::vector<OutboxItem> to_channels(const Config& config, const Ticket& ticket, const Texts& texts,
                                             const std::vector<const StaffMember*>& people, bool support_too,
                                             const std::string& key, const std::string& skip = "");

  const LiveConfig& config_;
  const DutyRoster& duty_;
};

}  // namespace slabot
