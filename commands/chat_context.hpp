#pragma once
// Where a command was typed and by whom, as the commands layer sees it: no platform in sight.
#include <optional>
#include <string>
#include <vector>

#include "domain/actor.hpp"
#include "domain/tenant.hpp"
#include "domain/zone.hpp"
#include "storage/store.hpp"

namespace slabot {

struct ChatContext {
  Actor actor;
  // The tenant whose group this is; nullopt for the support side's own channel.
  std::optional<Tenant> tenant;
  std::string channel;  // "<connection>:<chat id>", for the activity log
  std::optional<EventKey> event;
  // Set when the platform takes answers only as outbound messages: the reply is queued as this
  // (its text filled in), with the change it answers.
  std::optional<OutboxItem> reply_message;
  // The zone this group reads times in: its tenant's, or the support channel's own.
  Zone zone;
  // Whom the message @-mentions, resolved as the actor is: staff by their platform ids, anyone
  // else as a partner "<connection>:<user id>"; `name` is the platform's (empty when it gives
  // none). Only what the platform identified: never a name read from the text.
  std::vector<Actor> mentioned;

  // The tickets this group may see: its tenant's, or all of them on the support side.
  std::string tenant_scope() const { return tenant ? tenant->id : std::string(); }
};

// The support staff and the tenants, as commands need to find them.
// The escalation ladder's people as they stand now.
struct OnCall {
  std::vector<Actor> engineers;  // on duty (possibly none)
  std::vector<Actor> tams;       // the tenant's designated TAM, else the TAM pool
  std::vector<Actor> managers;   // the service managers
};

class Directory {
 public:
  virtual ~Directory() = default;
  // By staff id or name, case-insensitive; a leading '@' is ignored.
  virtual std::optional<Actor> find_staff(const std::string& id_or_name) const = 0;
  virtual std::optional<Tenant> find_tenant(const std::string& tenant_id) const = 0;
  // Every tenant, in the config's order: for the support side's tenant filters.
  virtual std::vector<Tenant> tenants() const = 0;
  // Who answers for `tenant_id` now, rung by rung (empty: no tenant, so the TAM pool).
  virtual OnCall on_call(const std::string& tenant_id) const = 0;
  // Whose chat this is ("Acme", "support side"; "" for a chat not configured): /outbox's lines.
  virtual std::string chat_owner(const std::string& connection, const std::string& chat_id) const = 0;
};

}  // namespace slabot
