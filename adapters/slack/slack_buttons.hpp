#pragma once
// Buttons on Slack: Block Kit in, block_actions out (docs.slack.dev "Creating interactive
// messages", "Interaction payloads": block_actions; reference "Actions block", "Button element").
//
// A message with buttons carries `blocks`: a section with its text (mrkdwn) and an actions block
// with one button per action (action_id "ack" / "escalate" / "assign", value "ack:12"); `text`
// stays as the notification's fallback. A tap arrives as an interactivity request: a form body
// whose `payload` field is JSON of type "block_actions", signed like a slash command. Its answer
// goes to the payload's response_url: `replace_original` with the message's text and who acted,
// buttons gone; or, when refused, `response_type: ephemeral`, seen by the person who tapped alone.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <variant>
#include <vector>

#include "adapters/chat_adapter.hpp"

namespace slabot {

// Slack's limit on a section's text (Block Kit reference, "Section block").
constexpr std::size_t kSlackSectionTextLimit = 3000;

// The blocks showing `mrkdwn` (already escaped) with a button per action.
nlohmann::json slack_blocks(const std::string& mrkdwn, const std::vector<MessageAction>& actions);

// The body for a tap's response_url: the updated message (tap.acted) or the refusal, ephemeral.
// `reply_mrkdwn` is the bot's answer, already escaped.
nlohmann::json slack_tap_answer(const Tap& tap, const std::string& reply_mrkdwn);

// An interaction payload (the decoded `payload` form field) as the tap it reports. An empty
// ParsedMessages for interactions that are not button taps (modals, shortcuts); Rejected{400}
// for a block_actions without a user, channel, response_url or one of slabot's action values.
std::variant<InboundMessage, ParsedMessages, Rejected> slack_tap_from(const std::string& payload);

}  // namespace slabot
