#include "bot/sla/ctg_watchers.hpp"

#include <algorithm>

#include "bot/sla/ladder.hpp"
#include "domain/role.hpp"

namespace slabot {

std::vector<const StaffMember*> ctg_watchers(const Config& config, const Ticket& ticket) {
  auto people = tams_for(config, ticket.tenant_id);
  for (const auto* manager : service_managers(config)) people.push_back(manager);
  return people;
}

std::string ctg_watchers_phrase(const Config& config, const Ticket& ticket) {
  return std::string(role_title(Role::tam)) + ": " + names_of(tams_for(config, ticket.tenant_id)) + "; " +
         std::string(role_title(Role::manager)) + ": " + names_of(service_managers(config));
}

void add_ctg_watchers(const Config& config, const Ticket& ticket, std::vector<OutboxItem>& items, bool name_them) {
  const std::string named = name_them ? " (Critical Time Guarantee: " + ctg_watchers_phrase(config, ticket) + ")" : "";
  const auto people = ctg_watchers(config, ticket);
  for (auto& item : items) {
    item.message.text += named;
    const Connection* connection = config.find_connection(item.message.connection);
    if (!connection) continue;
    for (auto& mention : mentions_on(people, connection->adapter)) {
      auto& mentions = item.message.mentions;
      const bool known =
          std::any_of(mentions.begin(), mentions.end(), [&](const Mention& m) { return m.user_id == mention.user_id; });
      if (!known) mentions.push_back(std::move(mention));
    }
  }
}

}  // namespace slabot
