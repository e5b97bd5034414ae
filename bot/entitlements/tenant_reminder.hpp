#pragma once
// What every reminder to a tenant shares (health checks, engagement milestones): one message per
// destination naming the TAM, and a write that records the reminder's key in the tenant's log
// ("reminded") in the same transaction as its messages, so it goes once, across restarts too.
#include <string>
#include <vector>

#include "config/config.hpp"
#include "domain/actor.hpp"
#include "storage/store.hpp"

namespace slabot {

// One message per destination: each of the tenant's groups, and the support side's channels that
// hear the tenant; the TAM mentioned in each. `key` makes their idempotency keys. `addressed` are
// the partners who must act on it besides (an engagement's customer success manager, whose actor
// id is "<connection>:<user id>"): also mentioned, in the tenant's own groups on that connection.
std::vector<OutboxItem> tenant_reminder_messages(const Config& config, const Tenant& tenant, const std::string& key,
                                                 const std::string& text, const std::vector<Actor>& addressed = {});

// Whether `key` is among the "reminded" rows.
bool reminded_before(const std::vector<TenantActivity>& reminded, const std::string& key);

// Records `key` as reminded (with `rows`, also the tenant's) and queues `messages`, unless it was
// reminded before (checked again inside the write); true when it was written now. Waits for the
// write: called from a reminder's own thread.
bool remind_once(Store& store, const std::string& tenant_id, const std::string& key, std::vector<TenantActivity> rows,
                 std::vector<OutboxItem> messages, Timestamp now);

}  // namespace slabot
