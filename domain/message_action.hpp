#pragma once
// A button on one of the bot's own messages. A tap is said as the command it runs ("/ack 12"),
// so it goes through the same grammar, permissions, deduplication and outbox as typing it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slabot {

enum class ActionKind { ack, escalate, assign_to_me };

struct MessageAction {
  ActionKind kind = ActionKind::ack;
  // The ticket it acts on. 0 on a reply still being written: "the ticket this change is about"
  // (an opened ticket's id is known only once it is stored; the store fills it in).
  std::int64_t ticket = 0;

  bool operator==(const MessageAction&) const = default;
};

// What the platform carries back on a tap: "ack:12", "escalate:12", "assign:12". Short enough
// for every platform's limit (Telegram's callback_data holds 64 bytes).
std::string action_value(const MessageAction& action);
// The action a value names; nullopt for anything else. The value comes back from outside, so it
// is read strictly: a known word, ':', a positive ticket number without sign or leading zero.
std::optional<MessageAction> parse_action_value(std::string_view value);
// The command a tap runs, exactly as typed: "/ack 12", "/escalate 12", "/assign 12 me" (me: the
// staff member who tapped).
std::string tap_command(const MessageAction& action);
// The button's label: "Acknowledge", "Escalate", "Assign to me".
std::string_view action_label(ActionKind kind);
// A stable id per kind ("ack", "escalate", "assign"), for platforms that name each button.
std::string_view action_id(ActionKind kind);

// A tap on one of the bot's messages as the platform reported it, and what its answer needs to
// reach and update that message.
struct Tap {
  MessageAction action;
  std::string message_ref;    // the tapped message: Slack's ts, Telegram's message_id, Mattermost's post id
  std::string query_id;       // Telegram's callback_query id (answerCallbackQuery); empty elsewhere
  std::string original_text;  // the tapped message's text as the platform sent it back, kept in the update
  // On the answer: the command changed the ticket, so the tapped message is updated to show who
  // acted (its buttons gone). false: a refusal, said to the person who tapped where the platform allows.
  bool acted = false;

  bool operator==(const Tap&) const = default;
};

}  // namespace slabot
