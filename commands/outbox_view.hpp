#pragma once
// How the outbox reads to staff: the same lines in the chat (`/outbox`) and on the command line
// (`slabot outbox list`). Message numbers are plain (12), never `#12`: `#` is for tickets.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "domain/outbox_item.hpp"
#include "domain/zone.hpp"
#include "storage/store.hpp"

namespace slabot {

// "message 12 to acme-7x24 (dingtalk-main): dead after 12 attempts: HTTP 500 ...; "#3 breached..."".
// Times in `zone`: the support channel's in the chat, UTC on the command line.
// `owner` names whose chat a destination is ("Acme", "support side"; "" unknown), so the support
// side can tell one partner's messages from another's: "message 12 to [Acme] acme-7x24 (...)".
using ChatOwner = std::function<std::string(const std::string& connection, const std::string& chat_id)>;
std::string outbox_line(const OutboxRow& row, const Zone& zone, const ChatOwner& owner = {});

// "outbox: 3 waiting, 1 dead" and a line per row (at most `shown` of each kind), dead ones first,
// with "... and N more" when a list was cut short and `retry_hint` on a line of its own when any
// message is dead; "outbox: every message delivered" when nothing waits.
std::string outbox_report(Store& store, int shown, const std::string& retry_hint, const Zone& zone,
                          const ChatOwner& owner = {});

}  // namespace slabot
