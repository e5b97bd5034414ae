#pragma once
// A stream connection's own deadlines (connections[].stream in the config: connect_timeout,
// idle_timeout, write_timeout, poll_timeout, max_retry) applied over the built-in defaults, and
// which of them a platform's stream has: a WebSocket (DingTalk, Slack, Mattermost) reads and
// writes frames, Telegram polls getUpdates over HTTPS.
#include <optional>
#include <string>

#include "bot/stream/reconnect_backoff.hpp"
#include "bot/stream/websocket_client.hpp"
#include "config/config.hpp"

namespace slabot {

// The key of connections[].stream the connection's platform has no use for, with why ("poll_timeout:
// only telegram polls; ..."), or nullopt when every key it sets applies. check-config and serve
// report it at /connections/<i>/stream/<key>.
struct StreamKeyProblem {
  std::string key;
  std::string message;
};
std::optional<StreamKeyProblem> misplaced_stream_key(const Connection& connection);

// `defaults` with the connection's connect, idle and write timeouts where it sets them.
WebSocketOptions websocket_options_for(const Connection& connection, WebSocketOptions defaults);

// `defaults` with the connection's max_retry as the longest wait between attempts, where it sets it.
ReconnectSettings reconnect_settings_for(const Connection& connection, ReconnectSettings defaults);

}  // namespace slabot
