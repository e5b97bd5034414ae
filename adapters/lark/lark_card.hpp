#pragma once
// Buttons on Lark / Feishu: interactive cards and their card.action.trigger callback
// (open.feishu.cn "Card JSON 2.0 structure", "Button component", "Card callback communication",
// "Handle card callbacks").
//
// A card with buttons: {"schema": "2.0", "body": {"elements": [the text as plain_text, one button
// per action]}}; each button's callback behavior carries a value object {"slabot": "ack:12",
// "text": <the card's text>} that Lark hands back on a tap. A tap reaches the app's callback URL
// (the same /hooks/<connection> as events) as schema 2.0 with header.event_type
// "card.action.trigger", encrypted and signed exactly like an event (X-Lark-Signature over the
// Encrypt Key, or the verification token in plain mode), so LarkAdapter::verify checks it before
// anything in it is read. event.operator.open_id is who tapped, event.context.open_chat_id the
// group, header.event_id the dedup key. Lark wants the answer within 3 s, in the HTTP answer:
// {"toast": {"type": "info" | "error", "content"}} and, when the tap changed the ticket, {"card":
// {"type": "raw", "data": <the card>}}, which replaces the tapped card: its text, then who acted,
// buttons gone. A refusal is an error toast, seen by the tapper alone; the card stays as it was.
//
// Lark runs callbacks only for cards the app sends itself (im/v1/messages with a tenant access
// token: lark_app.hpp); cards from a group's custom bot take link buttons only ("Sending Feishu
// Cards with a Custom Bot").
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "adapters/chat_adapter.hpp"

namespace slabot {

// How much of the card's text a button's value carries back (Lark bounds a callback's size).
constexpr std::size_t kLarkValueTextBytes = 2000;

// The card showing `text` (plain text, no markup), then the mentions as <at id=...></at> in a
// markdown element (the ids are the bot's own, never text), then a callback button per action.
nlohmann::json lark_card(const std::string& text, const std::vector<MessageAction>& actions,
                         const std::vector<Mention>& mentions = {});

// A card.action.trigger callback (the decrypted schema 2.0 body, its token already checked) as
// the tap it reports: Rejected{400} without header.event_id, operator.open_id,
// context.open_chat_id or a value naming one of slabot's actions.
std::variant<InboundMessage, Rejected> lark_tap_from(const nlohmann::json& callback);

// The callback's HTTP answer: a toast, and the updated card when reply.acted.
HttpAnswer lark_tap_answer(const Tap& tap, const Reply& reply);

}  // namespace slabot
