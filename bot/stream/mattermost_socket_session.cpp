#include "bot/stream/mattermost_socket_session.hpp"

#include <spdlog/spdlog.h>

#include "adapters/wire/secrets.hpp"

namespace slabot {

MattermostSocketSession::MattermostSocketSession(const Connection& connection, StreamDependencies dependencies,
                                                 std::string websocket_base)
    : WebSocketSession(connection.name, dependencies),
      bot_token_(required_secret(connection, "mattermost", "bot_token")),
      server_(mattermost_server_base(connection.stream_url)),
      websocket_base_(websocket_base.empty() ? server_ : mattermost_server_base(websocket_base)) {}

std::variant<std::string, SessionEnd> MattermostSocketSession::open() {
  const auto answer = call(mattermost_users_me(server_, bot_token_));
  if (!answer) return end(SessionEnd::Kind::stopped, "stopped");
  auto bot = mattermost_bot_of(*answer);
  if (auto* refused = std::get_if<MattermostOpenRefused>(&bot)) {
    return open_failed(refused->credentials, "users/me: " + refused->reason, *answer);
  }
  bot_ = std::get<MattermostBot>(std::move(bot));
  return mattermost_socket_url(websocket_base_, connection_id_, next_seq_);
}

std::optional<SessionEnd> MattermostSocketSession::on_connected() {
  // The server closes a socket that has not authenticated within 5 s.
  return send(mattermost_authentication_challenge(bot_token_));
}

std::optional<SessionEnd> MattermostSocketSession::on_frame(const std::string& text) {
  std::string error;
  const auto frame = read_mattermost_frame(text, error);
  if (!frame) {
    spdlog::warn("stream {}: frame ignored: {}", connection_name(), error);
    return std::nullopt;
  }
  if (frame->status == "FAIL") {
    // The only request slabot makes is the authentication challenge.
    return end(SessionEnd::Kind::refused, "the server refused the bot token (" + frame->error + ")");
  }
  if (!frame->seq) {
    // The challenge's OK: the token is taken. A resumed connection gets no hello, only the
    // events it missed, so this is where it is live.
    if (frame->status == "OK") went_live();
    return std::nullopt;
  }
  if (frame->event == "hello") {
    if (!connection_id_.empty() && frame->connection_id != connection_id_) {
      spdlog::warn(
          "stream {}: the server started a new connection instead of resuming; posts sent while "
          "disconnected may not be heard",
          connection_name());
    }
    connection_id_ = frame->connection_id;
    next_seq_ = *frame->seq + 1;
    went_live();
    return std::nullopt;
  }
  if (*frame->seq != next_seq_) {
    spdlog::warn("stream {}: event {} came where {} was next", connection_name(), *frame->seq, next_seq_);
  }
  if (frame->event == "posted" && frame->post) {
    if (auto stopped_or_failed = posted(*frame->post)) return stopped_or_failed;
  }
  next_seq_ = *frame->seq + 1;
  return std::nullopt;
}

std::optional<SessionEnd> MattermostSocketSession::posted(const MattermostPost& post) {
  auto message = mattermost_message_of(post, bot_);
  if (!message) return std::nullopt;  // the bot's own post, or a system message
  message->connection = connection_name();
  message->reply_via_outbox = true;  // no HTTP answer to carry it: POST /api/v4/posts from the outbox
  const auto reply = handle(std::move(*message));
  if (!reply) return end(SessionEnd::Kind::stopped, "stopped");
  if (reply->failed) {
    // Not recorded: the resume starts at this post, so the server sends it again.
    SessionEnd again = end(SessionEnd::Kind::dropped, "post '" + post.id + "' not recorded; resuming from it");
    return again;
  }
  return std::nullopt;
}

}  // namespace slabot
