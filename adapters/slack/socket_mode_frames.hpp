#pragma once
// Slack Socket Mode's wire format, without a network (api.slack.com/apis/socket-mode, and the
// reference clients slackapi/python-slack-sdk slack_sdk/socket_mode, slackapi/node-slack-sdk
// packages/socket-mode):
//   open:     POST https://slack.com/api/apps.connections.open, "Authorization: Bearer xapp-..."
//             (the app-level token with connections:write) -> {"ok":true,"url":"wss://..."}, or
//             {"ok":false,"error":"invalid_auth"}; the URL is good for one connection.
//   frames:   {"type":"hello",...} once the socket is ready; {"type":"disconnect","reason":
//             "refresh_requested"|"warning"|"link_disabled"}; envelopes {"envelope_id","type":
//             "slash_commands"|"events_api"|"interactive","payload":{...},
//             "accepts_response_payload":bool,"retry_attempt":n}.
//   ack:      {"envelope_id":"..."} within 3 s, for every envelope; a slash command's may carry
//             "payload" (the message to post, as the HTTP answer to a command would).
// A slash command's payload has the fields the HTTP form has, so the Slack adapter's parse()
// reads it as that form.
#include <optional>
#include <string>
#include <variant>

#include "adapters/http_types.hpp"

namespace slabot {

inline constexpr const char* slack_api_base = "https://slack.com";
inline constexpr const char* slack_open_path = "/api/apps.connections.open";

OutboundRequest slack_connections_open(const std::string& api_base, const std::string& app_token);

// The open call's answer read: the socket's URL, or what was wrong.
struct SlackOpenRefused {
  bool credentials = false;  // a token Slack will not take (invalid_auth, not_authed, ...)
  std::string reason;        // Slack's error code or the HTTP status; never the token
};
std::variant<std::string, SlackOpenRefused> slack_socket_url(const HttpResponse& answer);

struct SocketModeFrame {
  std::string type;         // hello, disconnect, slash_commands, events_api, interactive, ...
  std::string envelope_id;  // envelopes only
  std::string reason;       // disconnect only
  std::string payload;      // the envelope's payload, as JSON text ("{}" when absent)
  bool accepts_response_payload = false;
};
// nullopt with `error` set when `text` is not a frame (not JSON, no type).
std::optional<SocketModeFrame> read_socket_mode_frame(const std::string& text, std::string& error);

// The acknowledgement of an envelope; `payload`, when given, is a JSON object's text.
std::string socket_mode_ack(const std::string& envelope_id, const std::string& payload = "");

// A slash command envelope's payload as the form-encoded request the adapter parses.
HttpRequest slash_command_request(const SocketModeFrame& frame);

}  // namespace slabot
