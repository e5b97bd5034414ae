#pragma once
// Lark's (Feishu's) long connection ("Receive events through persistent connection"): the app's
// events over a socket slabot opens, so the bot needs no public address. Frames and the endpoint
// call: adapters/lark/lark_ws_frames.hpp and lark_ws_endpoint.hpp (with their sources).
//
// Secrets: app_id and app_secret (the app's credentials). An attempt asks the open platform for a
// socket (POST /callback/ws/endpoint on https://open.feishu.cn, or on the connection's stream_url:
// https://open.larksuite.com for Lark, a fake in tests), connects to the URL it returns and is live
// once upgraded. It pings (a protobuf control frame) at once and every PingInterval, taking the
// interval from the endpoint's ClientConfig and from each pong. Each im.message.receive_v1 event
// (a data frame, put back together when Lark splits it) is parsed by the Lark adapter as a webhook
// body is, handed to the dispatcher, and acknowledged once what it changed is durable: a message
// that could not be recorded is not acknowledged, so Lark pushes it again, and a message pushed
// twice is answered once, by the dispatcher's dedup on its event_id. Answers go through the outbox
// to the custom bot's outbound_url, as in webhook mode (those with buttons as the app's cards). A
// tap on a button (card.action.trigger, a data frame of type "card") is handled as the webhook's
// callback, and its answer (toast, card) goes back in the ack's data. Credentials Lark refuses (a client error
// code) end the attempt as refused; the supervisor's backoff replaces the SDK's reconnect settings.
#include <memory>
#include <string>

#include "adapters/lark/lark_ws_frames.hpp"
#include "bot/stream/websocket_session.hpp"
#include "config/config.hpp"

namespace slabot {

class ChatAdapter;

class LarkStreamSession final : public WebSocketSession {
 public:
  // Throws std::invalid_argument when app_id or app_secret is missing or empty.
  LarkStreamSession(const Connection& connection, StreamDependencies dependencies);
  ~LarkStreamSession() override;

 protected:
  std::variant<std::string, SessionEnd> open() override;
  bool live_on_connect() const override { return true; }
  std::optional<SessionEnd> on_frame(const std::string& bytes) override;
  // Lark says why in the refusal's headers (Handshake-Status, -Msg, -Autherrcode): a forbidden app
  // or one over its connection limit is the operator's to fix, the rest Lark's trouble.
  std::optional<SessionEnd> on_refused_upgrade(const WebSocketResult& result) override;

 private:
  // A data frame: whole (or the part that completed it), handled, then acknowledged (or not, when
  // it could not be recorded); a tap's ack carries its answer.
  std::optional<SessionEnd> data_frame(const LarkFrame& frame);

  std::string app_id_;
  std::string app_secret_;
  std::string api_base_;  // https://open.feishu.cn, or the connection's stream_url
  std::unique_ptr<ChatAdapter> adapter_;
  std::int32_t service_id_ = 0;  // this connection's, from the endpoint's URL: in every ping
  LarkFragments fragments_;
};

}  // namespace slabot
