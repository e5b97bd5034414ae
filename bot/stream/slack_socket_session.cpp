#include "bot/stream/slack_socket_session.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "adapters/registry.hpp"
#include "adapters/slack/socket_mode_frames.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {

SlackSocketSession::SlackSocketSession(const Connection& connection, StreamDependencies dependencies)
    : WebSocketSession(connection.name, dependencies),
      app_token_(required_secret(connection, "slack", "app_token")),
      api_base_(connection.stream_url.empty() ? slack_api_base : connection.stream_url),
      adapter_(make_adapter(connection)) {
  while (!api_base_.empty() && api_base_.back() == '/') api_base_.pop_back();
}

std::variant<std::string, SessionEnd> SlackSocketSession::open() {
  const auto answer = call(slack_connections_open(api_base_, app_token_));
  if (!answer) return end(SessionEnd::Kind::stopped, "stopped");
  auto url = slack_socket_url(*answer);
  if (auto* refused = std::get_if<SlackOpenRefused>(&url)) {
    return open_failed(refused->credentials, "apps.connections.open: " + refused->reason, *answer);
  }
  return std::get<std::string>(std::move(url));
}

std::optional<SessionEnd> SlackSocketSession::on_frame(const std::string& text) {
  std::string error;
  const auto frame = read_socket_mode_frame(text, error);
  if (!frame) {
    spdlog::warn("stream {}: frame ignored: {}", connection_name(), error);
    return std::nullopt;
  }
  if (frame->type == "hello") {
    went_live();
    return std::nullopt;
  }
  if (frame->type == "disconnect") {
    if (frame->reason == "link_disabled") {
      return end(SessionEnd::Kind::refused, "Slack disabled Socket Mode for the app (link_disabled)");
    }
    // Slack's advice: open the new connection, then close the old one.
    spdlog::info("stream {}: Slack asked to reconnect ({}); moving to a fresh socket", connection_name(),
                 frame->reason);
    return move_to_fresh_socket();
  }
  if (!frame->envelope_id.empty()) return envelope(*frame);
  spdlog::debug("stream {}: frame {} ignored", connection_name(), frame->type);
  return std::nullopt;
}

std::optional<SessionEnd> SlackSocketSession::envelope(const SocketModeFrame& frame) {
  std::vector<InboundMessage> messages;
  if (frame.type == "slash_commands") {
    if (auto parsed = parse_callback(*adapter_, slash_command_request(frame), frame.envelope_id)) {
      messages = std::move(*parsed);
    }
  } else if (frame.type == "interactive" && dependencies().interactive) {
    if (auto message = dependencies().interactive(connection_name(), frame.payload))
      messages.push_back(std::move(*message));
  }
  if (messages.empty()) return send(socket_mode_ack(frame.envelope_id));

  const InboundMessage last = messages.back();
  // An envelope whose acknowledgement cannot carry the answer: it goes through the outbox (to
  // the command's response_url), queued with the change it answers.
  const auto through_outbox = [&](const InboundMessage& message) {
    return !frame.accepts_response_payload || adapter_->reply_route(message) == ReplyRoute::via_outbox;
  };
  const bool via_outbox = std::any_of(messages.begin(), messages.end(), through_outbox);
  const Recorded recorded = record(*adapter_, std::move(messages), through_outbox);
  if (recorded.kind == Recorded::Kind::stopped) return end(SessionEnd::Kind::stopped, "stopped");
  if (recorded.kind == Recorded::Kind::not_recorded) return std::nullopt;  // left unacknowledged
  // Buttons ride with the text (an opened ticket's Acknowledge), as in the webhook's answer; the
  // answer rides on the acknowledgement, as it would in the HTTP answer to the command.
  const BotReply reply = joined_reply(recorded.replies, via_outbox);
  std::string payload;
  if (!reply.text.empty() || !reply.actions.empty()) payload = adapter_->sync_answer(last, reply).body;
  return send(socket_mode_ack(frame.envelope_id, payload));
}

}  // namespace slabot
