#pragma once
// The chats the console can type in (`:in`, `:channels`): every group of its connection in the
// config, partners' groups and the support side's channel alike, in the config's order.
#include <string>
#include <vector>

#include "config/config.hpp"

namespace slabot {

struct ConsoleChannel {
  std::string chat_id;  // what `:in` takes
  std::string label;    // what `:channels` says it is: "Demo Partner Ltd's group"
};

std::vector<ConsoleChannel> console_channels(const Config& config, const std::string& connection);

}  // namespace slabot
