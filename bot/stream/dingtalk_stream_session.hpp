#pragma once
// DingTalk Stream mode: the robot's messages over a socket slabot opens, so the bot needs no
// public address. Frames: adapters/dingtalk/dingtalk_stream_frames.hpp (with the sources).
//
// Secrets: client_id and client_secret (the app's AppKey and AppSecret). An attempt opens a
// connection (POST /v1.0/gateway/connections/open on api.dingtalk.com, or on the connection's
// stream_url), connects to the endpoint with its one-time ticket and is live once upgraded.
// Each robot message is parsed by the DingTalk adapter, handed to the dispatcher, and
// acknowledged once what it changed is durable: a message that could not be recorded is not
// acknowledged, so DingTalk pushes it again, and a message pushed twice (after a reconnect, or
// an acknowledgement lost) is answered once, by the dispatcher's dedup on its msgId. Replies go
// through the outbox to the message's sessionWebhook, as in HTTP mode. SYSTEM ping is echoed;
// SYSTEM disconnect ends the attempt and the next starts at once with a fresh ticket.
#include <memory>
#include <string>

#include "adapters/chat_adapter.hpp"
#include "bot/stream/websocket_session.hpp"
#include "config/config.hpp"

namespace slabot {

struct DingTalkFrame;

class DingTalkStreamSession final : public WebSocketSession {
 public:
  // Throws std::invalid_argument when client_id or client_secret is missing or empty.
  DingTalkStreamSession(const Connection& connection, StreamDependencies dependencies);

 protected:
  std::variant<std::string, SessionEnd> open() override;
  bool live_on_connect() const override { return true; }
  std::optional<SessionEnd> on_frame(const std::string& text) override;

 private:
  // A robot message: parsed, handled, then acknowledged (or not, when it could not be recorded).
  std::optional<SessionEnd> robot_message(const DingTalkFrame& frame);

  std::string client_id_;
  std::string client_secret_;
  std::string api_base_;  // https://api.dingtalk.com, or the connection's stream_url
  std::unique_ptr<ChatAdapter> adapter_;
};

}  // namespace slabot
