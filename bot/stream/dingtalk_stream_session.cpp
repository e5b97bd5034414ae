#include "bot/stream/dingtalk_stream_session.hpp"

#include <spdlog/spdlog.h>

#include "adapters/dingtalk/dingtalk_stream_frames.hpp"
#include "adapters/registry.hpp"
#include "adapters/wire/secrets.hpp"
#include "adapters/wire/stream_base.hpp"

namespace slabot {

DingTalkStreamSession::DingTalkStreamSession(const Connection& connection, StreamDependencies dependencies)
    : WebSocketSession(connection.name, dependencies),
      client_id_(required_secret(connection, "dingtalk", "client_id")),
      client_secret_(required_secret(connection, "dingtalk", "client_secret")),
      api_base_(stream_api_base(connection, dingtalk_open_api)),
      adapter_(make_adapter(connection)) {}

std::variant<std::string, SessionEnd> DingTalkStreamSession::open() {
  OutboundRequest request;
  request.method = "POST";
  request.url = api_base_ + dingtalk_open_path;
  request.headers["Content-Type"] = "application/json";
  request.headers["Accept"] = "application/json";
  request.body = dingtalk_open_body(client_id_, client_secret_, "slabot");
  const auto answer = call(std::move(request));
  if (!answer) return end(SessionEnd::Kind::stopped, "stopped");
  auto url = dingtalk_socket_url(*answer);
  if (auto* refused = std::get_if<DingTalkOpenRefused>(&url)) {
    return open_failed(refused->credentials, "opening the connection: " + refused->reason, *answer);
  }
  return std::get<std::string>(std::move(url));
}

std::optional<SessionEnd> DingTalkStreamSession::on_frame(const std::string& text) {
  std::string error;
  const auto frame = read_dingtalk_frame(text, error);
  if (!frame) {
    // Nothing to acknowledge without a messageId; the socket is still good.
    spdlog::warn("stream {}: frame ignored: {}", connection_name(), error);
    return std::nullopt;
  }
  if (frame->type == "SYSTEM") {
    if (frame->topic == "ping") return send(dingtalk_pong(*frame));
    if (frame->topic == "disconnect") {
      SessionEnd moving = end(SessionEnd::Kind::dropped, "DingTalk asked to reconnect (disconnect)");
      moving.reconnect_now = true;
      return moving;
    }
    spdlog::debug("stream {}: SYSTEM {} ignored", connection_name(), frame->topic);
    return std::nullopt;
  }
  if (frame->type == "CALLBACK" && frame->topic == dingtalk_robot_topic) return robot_message(*frame);
  // Subscribed to nothing else; answered so DingTalk does not push it again.
  return send(dingtalk_ack(*frame));
}

std::optional<SessionEnd> DingTalkStreamSession::robot_message(const DingTalkFrame& frame) {
  return record_and_ack(*adapter_, dingtalk_robot_callback(frame), frame.message_id,
                        [&] { return send(dingtalk_ack(frame)); });
}

}  // namespace slabot
