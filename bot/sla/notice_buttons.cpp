#include "bot/sla/notice_buttons.hpp"

namespace slabot {

std::vector<MessageAction> notice_buttons(TicketId ticket, bool support_side) {
  std::vector<MessageAction> actions{{ActionKind::ack, ticket}, {ActionKind::escalate, ticket}};
  if (support_side) actions.push_back({ActionKind::assign_to_me, ticket});
  return actions;
}

void attach_notice_buttons(const Config& config, TicketId ticket, std::vector<OutboxItem>& items) {
  for (auto& item : items) {
    const Channel* channel = config.find_channel(item.message.connection, item.message.chat_id);
    item.message.actions = notice_buttons(ticket, channel && channel->support_side());
  }
}

}  // namespace slabot
