#pragma once
// Slack Socket Mode: slash commands (and, through a hook, interactivity) over a socket slabot
// opens, so the app needs no Request URL. Frames: adapters/slack/socket_mode_frames.hpp.
//
// Secrets: app_token (the app-level xapp- token, scope connections:write) opens the socket;
// bot_token (xoxb-) posts the bot's own messages as in HTTP mode. An attempt calls
// apps.connections.open (on slack.com, or the connection's stream_url), connects to the URL it
// returns and is live at Slack's hello. Every envelope is acknowledged by its envelope_id: a slash
// command once the dispatcher has recorded it, its answer carried in the acknowledgement's
// payload; one that could not be recorded is not acknowledged (Slack then tells the person it
// failed, and they type it again); events are acknowledged and, as in HTTP mode, not acted on.
// A command delivered twice is answered once (dedup on its trigger_id). disconnect
// (refresh_requested, warning): a fresh socket is opened before the old one is closed, as Slack
// advises (if that fails, the attempt ends and the next starts at once); link_disabled (Socket
// Mode turned off for the app) counts as refused.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/chat_adapter.hpp"
#include "bot/stream/websocket_session.hpp"
#include "config/config.hpp"

namespace slabot {

struct SocketModeFrame;

class SlackSocketSession final : public WebSocketSession {
 public:
  // Throws std::invalid_argument when app_token is missing or empty.
  // `interactive` envelopes (button taps) go to dependencies.interactive when it is set.
  SlackSocketSession(const Connection& connection, StreamDependencies dependencies);

 protected:
  std::variant<std::string, SessionEnd> open() override;
  bool live_on_connect() const override { return false; }  // live at hello
  std::optional<SessionEnd> on_frame(const std::string& text) override;

 private:
  std::optional<SessionEnd> envelope(const SocketModeFrame& frame);

  std::string app_token_;
  std::string api_base_;
  std::unique_ptr<ChatAdapter> adapter_;
};

}  // namespace slabot
