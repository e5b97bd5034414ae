#include "bot/console_channels.hpp"

namespace slabot {

std::vector<ConsoleChannel> console_channels(const Config& config, const std::string& connection) {
  std::vector<ConsoleChannel> channels;
  for (const Channel& channel : config.channels) {
    if (channel.connection != connection) continue;
    std::string label = "the support side's channel";
    if (!channel.support_side()) {
      const Tenant* tenant = config.find_tenant(channel.tenant_id);
      label = (tenant ? tenant->name : channel.tenant_id) + "'s group";
    }
    channels.push_back({channel.chat_id, std::move(label)});
  }
  return channels;
}

}  // namespace slabot
