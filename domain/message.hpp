#pragma once
// What crosses the adapter boundary: platform-neutral messages in and out.
#include <optional>
#include <string>
#include <vector>

#include "domain/message_action.hpp"
#include "domain/time.hpp"

namespace slabot {

// Someone a message @-mentions, as the platform knows them.
struct Mention {
  std::string user_id;  // the platform's user id
  std::string name;     // display name, for platforms whose mention markup shows one
};

struct InboundMessage {
  std::string connection;  // the config's connection name the message arrived on
  std::string platform;    // the adapter name ("generic", "console", "slack", ...)
  std::string event_id;    // the platform's id for deduplication; empty when it has none
  std::string chat_id;     // the platform's group or channel id
  std::string user_id;     // the platform's user id
  std::string user_name;   // display name as the platform gives it
  std::string text;        // the message, with the bot's own @-mention stripped
  // Where the platform wants answers to this message, when it gives one (Slack's response_url,
  // DingTalk's sessionWebhook); empty when it has none.
  std::string reply_url;
  // Set by the transport: the answer goes out as an outbound message, not in the HTTP answer.
  bool reply_via_outbox = false;
  // The bot's own handle on this connection, when the platform names bots per connection
  // (Telegram's @username in `/ack@name`); empty: the config's bot_name.
  std::string bot_name;
  // Set when the message is a tap on one of the bot's buttons: `text` is then the command the
  // tap runs (tap_command), and the answer goes back to the tapped message.
  std::optional<Tap> tap;
  // The thread the answer goes to, where the platform threads answers (Mattermost: the root post's
  // id); empty: the channel itself.
  std::string thread_id;
  // The people the message @-mentions, as the platform identified them (their user ids), the
  // bot itself left out; empty where the platform says only what was typed. A name in the text
  // proves nobody: commands that name a person by identity (the customer success manager) go by
  // these.
  std::vector<Mention> mentions;
};

// The bot's answer to one message.
struct Reply {
  std::string text;  // what the bot answers in the chat; empty: say nothing
  // The message could not be recorded (storage failure): the transport must let the platform
  // retry (HTTP 503) rather than acknowledge it, so nothing is lost.
  bool failed = false;
  // Buttons to attach to the answer, where the platform has them (an opened ticket's Acknowledge).
  std::vector<MessageAction> actions;
  // The command changed what it was about (a write applied, not refused nor repeated): a tap's
  // message is updated to show who acted.
  bool acted = false;
  // The platform delivered this message before and it was handled then: `text` is the answer
  // given then, and nothing changed now.
  bool repeated = false;
};

struct OutboundMessage {
  std::string connection;
  std::string chat_id;
  std::string text;
  std::vector<Mention> mentions;
  std::string url;  // send here instead of the connection's outbound URL (an inbound reply_url)
  // Stable across resends and restarts (set by the outbox from the idempotency key): what a
  // receiver de-duplicates by, where the platform takes one.
  std::string message_id;
  // Buttons under the message, where the platform has them; text-only platforms leave them out.
  std::vector<MessageAction> actions;
  // Set when this is the answer to a tap: it updates the tapped message (tap->acted) or tells
  // the person who tapped why nothing changed.
  std::optional<Tap> tap;
  // The thread to post in (an answer to a message in one, InboundMessage::thread_id); empty: the
  // channel itself.
  std::string thread_id;
};

}  // namespace slabot
