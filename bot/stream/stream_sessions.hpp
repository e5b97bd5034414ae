#pragma once
// The stream session for a connection with "mode": "stream", by its adapter: one line per
// platform whose stream mode is implemented here.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/stream/stream_session.hpp"
#include "bot/stream/websocket_session.hpp"
#include "config/config.hpp"

namespace slabot {

// The platforms make_stream_session can start, by adapter name.
bool stream_session_implemented(const std::string& adapter);
// What check-config and serve say of a stream connection on any other platform.
std::string stream_not_implemented(const std::string& adapter);

// What a Slack `interactive` envelope becomes when the caller gives no hook of its own: the tap
// slack_tap_from reads (the same as through the interactivity Request URL), or none.
std::optional<InboundMessage> slack_socket_tap(const std::string& connection, const std::string& payload_json);

// Throws std::invalid_argument when the adapter's stream mode is not implemented ("the
// telegram adapter's stream mode is not implemented yet ...") or a secret is missing;
// std::runtime_error when the WebSocket settings (CA, proxy) are unusable.
std::unique_ptr<StreamSession> make_stream_session(const Connection& connection, StreamDependencies dependencies);

// A session for every stream connection of `config`, or, when one cannot be made, the problem
// for serve to refuse to start with ("connection 'x': ..."), never a secret.
struct StreamSessionsOrProblem {
  std::vector<std::unique_ptr<StreamSession>> sessions;
  std::optional<std::string> problem;
};
StreamSessionsOrProblem make_stream_sessions(const Config& config, StreamDependencies dependencies);

}  // namespace slabot
