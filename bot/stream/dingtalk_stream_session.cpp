#include "bot/stream/dingtalk_stream_session.hpp"

#include <spdlog/spdlog.h>

#include "adapters/dingtalk/dingtalk_stream_frames.hpp"
#include "adapters/registry.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {
namespace {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

DingTalkStreamSession::DingTalkStreamSession(const Connection& connection, StreamDependencies dependencies)
    : WebSocketSession(connection.name, dependencies),
      client_id_(required_secret(connection, "dingtalk", "client_id")),
      client_secret_(required_secret(connection, "dingtalk", "client_secret")),
      api_base_(without_trailing_slash(connection.stream_url.empty() ? dingtalk_open_api : connection.stream_url)),
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
  ParseOutcome parsed;
  try {
    parsed = adapter_->parse(dingtalk_robot_callback(frame));
  } catch (const std::exception& e) {
    spdlog::warn("stream {}: adapter threw: {}", connection_name(), e.what());
    parsed = Rejected{500, "adapter error"};
  }
  if (const auto* rejected = std::get_if<Rejected>(&parsed)) {
    // Pushed again it would be refused again: acknowledged, and said in the log.
    spdlog::warn("stream {}: message {} refused: {}", connection_name(), frame.message_id, rejected->reason);
    return send(dingtalk_ack(frame));
  }
  if (auto* messages = std::get_if<ParsedMessages>(&parsed)) {
    for (auto& message : messages->messages) {
      message.connection = connection_name();
      message.platform = adapter_->adapter_name();
      message.reply_via_outbox = adapter_->reply_route(message) == ReplyRoute::via_outbox;
      const std::string event_id = message.event_id;
      const auto reply = handle(std::move(message));
      if (!reply) return end(SessionEnd::Kind::stopped, "stopped");
      if (reply->failed) {
        // Not recorded: no ack, so DingTalk pushes it again (dedup absorbs what did get through).
        spdlog::warn("stream {}: message '{}' not recorded; left unacknowledged for DingTalk to push again",
                     connection_name(), event_id);
        return std::nullopt;
      }
    }
  }
  return send(dingtalk_ack(frame));
}

}  // namespace slabot
