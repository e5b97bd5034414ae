#pragma once
// Buttons on Mattermost: interactive message buttons (developers.mattermost.com, "Interactive
// messages": message attachments with `actions`, each with an integration url and context).
//
// Each button posts to the connection's `action_url` (slabot's public URL and the connection's
// hook path, /hooks/<connection>) a JSON body with user_id, user_name, channel_id, post_id,
// trigger_id and the button's `context`. Mattermost signs nothing, so the context is signed by
// slabot itself: {"action": "ack:12", "chat": <chat id>, "text": <the message's text>, "sig":
// hex HMAC-SHA256(action_secret, "slabot-action-v1\n" + chat + "\n" + action + "\n" + text)}.
// A request whose context does not carry a valid signature is refused (401) before anything in
// it is read. The chat (and the text kept in the update) come from the signed context, never
// from the request's own fields. The HTTP answer is the integration response: {"update":
// {"message", "props": {"attachments": [who acted]}}} when the tap changed the ticket, else
// {"ephemeral_text": why not}, seen by the person who tapped alone.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <variant>
#include <vector>

#include "adapters/chat_adapter.hpp"

namespace slabot::mattermost {

// Where taps go and the key their contexts are signed with; both empty: messages carry no buttons.
struct ActionEndpoint {
  std::string url;
  std::string secret;
};

// The message attachments holding a button per action, for a message of `text` in `chat`.
nlohmann::json action_attachments(const ActionEndpoint& endpoint, const std::vector<MessageAction>& actions,
                                  const std::string& chat, const std::string& text);

// Whether `body` looks like an action request (JSON) rather than a slash command (a form).
bool is_action_request(const std::string& body);

// Checks the context's signature, in constant time; 401 for none or a wrong one, 400 for a body
// that is not a JSON object.
VerifyResult verify_action(const ActionEndpoint& endpoint, const std::string& body);

// A verified action request as the tap it reports; Rejected{400} without a user or a valid action.
std::variant<InboundMessage, Rejected> tap_from(const std::string& body);

// The integration response to a tap: the update showing who acted, or the refusal, ephemeral.
HttpAnswer tap_answer(const InboundMessage& message, const Reply& reply);

}  // namespace slabot::mattermost
