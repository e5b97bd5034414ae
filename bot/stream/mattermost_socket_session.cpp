#include "bot/stream/mattermost_socket_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <iterator>
#include <stdexcept>

#include "adapters/mattermost/mattermost_missed_posts.hpp"
#include "adapters/wire/secrets.hpp"
#include "config/live_config.hpp"

namespace slabot {
namespace {

// Posts are fetched back from a minute before the newest one recorded: posts in two channels may
// reach the socket a little out of their create order, and the first start's time is the bot's
// own clock, not the server's. A post heard already is answered once (dedup on its id).
constexpr std::int64_t fetch_overlap_ms = 60'000;

const StreamDependencies& with_cursor_parts(const StreamDependencies& dependencies) {
  if (dependencies.store == nullptr || dependencies.clock == nullptr || dependencies.config == nullptr) {
    throw std::invalid_argument(
        "mattermost's WebSocket needs the store, the clock and the config, to fetch back posts missed while "
        "disconnected");
  }
  return dependencies;
}

}  // namespace

MattermostSocketSession::MattermostSocketSession(const Connection& connection, StreamDependencies dependencies,
                                                 std::string websocket_base)
    : WebSocketSession(connection.name, with_cursor_parts(dependencies)),
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
    // The server's hub says hello only to a connection it could not resume (the first one, a
    // server restart, a long outage, events it no longer holds), with a new connection_id:
    // Mattermost's own clients then sync what they missed by REST, and so does the bot.
    const bool fresh = frame->connection_id != connection_id_;
    if (fresh && !connection_id_.empty()) {
      spdlog::warn(
          "stream {}: the server started a new connection instead of resuming; fetching back the posts made "
          "meanwhile",
          connection_name());
    }
    connection_id_ = frame->connection_id;
    next_seq_ = *frame->seq + 1;
    went_live();
    if (fresh) return catch_up();
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
  if (post.create_at > 0 && (!post_time_ || post.create_at > *post_time_)) save_post_time(post.create_at);
  return std::nullopt;
}

std::optional<SessionEnd> MattermostSocketSession::catch_up() {
  // Whatever ends this early, the next attempt must start a fresh connection (no resume, which
  // would bring no hello), so that it fetches again from the same time.
  const auto fetch_again = [this](SessionEnd ended) {
    connection_id_.clear();
    return ended;
  };
  if (!post_time_) {
    try {
      post_time_ = dependencies().store->stream_cursor(connection_name());
    } catch (const std::exception& e) {
      return fetch_again(end(SessionEnd::Kind::dropped, std::string("cannot read the last post time: ") + e.what()));
    }
    if (!post_time_) {
      // The first start: nothing was missed yet; from now on nothing may be.
      save_post_time(to_unix_ms(dependencies().clock->now()));
      return std::nullopt;
    }
  }
  const std::int64_t since = *post_time_ - fetch_overlap_ms;
  std::vector<MattermostPost> missed;
  for (const auto& channel : listed_channels()) {
    const auto answer = call(mattermost_posts_since(server_, bot_token_, channel, since));
    if (!answer) return fetch_again(end(SessionEnd::Kind::stopped, "stopped"));
    auto posts = mattermost_posts_of(*answer);
    if (const auto* error = std::get_if<std::string>(&posts)) {
      return fetch_again(
          end(SessionEnd::Kind::dropped, "fetching the posts missed in channel '" + channel + "': " + *error));
    }
    auto& read = std::get<std::vector<MattermostPost>>(posts);
    if (read.size() >= mattermost_since_limit) {
      spdlog::warn(
          "stream {}: channel '{}' has {} or more posts changed while disconnected, the most the server gives; "
          "some may not be answered",
          connection_name(), channel, mattermost_since_limit);
    }
    std::move(read.begin(), read.end(), std::back_inserter(missed));
  }
  missed = mattermost_posts_made_after(std::move(missed), since);
  if (missed.empty()) return std::nullopt;
  spdlog::info("stream {}: {} post(s) made while disconnected fetched back", connection_name(), missed.size());
  const auto names = usernames_of(missed);
  for (auto& post : missed) {
    const auto name = names.find(post.user_id);
    if (name != names.end()) post.sender_name = "@" + name->second;
    if (auto ended = posted(post)) return fetch_again(*ended);
  }
  return std::nullopt;
}

std::vector<std::string> MattermostSocketSession::listed_channels() const {
  std::vector<std::string> out;
  const auto config = dependencies().config->current();
  for (const auto& channel : config->channels) {
    if (channel.connection == connection_name()) out.push_back(channel.chat_id);
  }
  return out;
}

std::map<std::string, std::string> MattermostSocketSession::usernames_of(const std::vector<MattermostPost>& posts) {
  std::vector<std::string> ids;
  for (const auto& post : posts) {
    if (post.user_id != bot_.user_id && std::find(ids.begin(), ids.end(), post.user_id) == ids.end()) {
      ids.push_back(post.user_id);
    }
  }
  if (ids.empty()) return {};
  const auto answer = call(mattermost_users_by_ids(server_, bot_token_, ids));
  auto names = answer ? mattermost_usernames_of(*answer) : std::map<std::string, std::string>{};
  if (names.empty())
    spdlog::warn("stream {}: users/ids named nobody; the posts' authors go by their ids", connection_name());
  return names;
}

void MattermostSocketSession::save_post_time(std::int64_t post_at) {
  auto saved = std::make_shared<std::promise<WriteOutcome>>();
  auto outcome = saved->get_future();
  dependencies().store->save_stream_cursor(connection_name(), post_at, dependencies().clock->now(),
                                           [saved](WriteOutcome written) { saved->set_value(std::move(written)); });
  // The store's writer answers every write; the wait is short.
  if (outcome.get().kind != WriteOutcome::Kind::applied) {
    spdlog::warn("stream {}: the last post time could not be stored; a restart will fetch back more",
                 connection_name());
  }
  post_time_ = post_at;
}

}  // namespace slabot
