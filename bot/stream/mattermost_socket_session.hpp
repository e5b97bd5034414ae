#pragma once
// Mattermost's WebSocket API: posts in the bot's channels heard over a socket slabot opens, so
// the server needs no outgoing webhook or slash command reaching slabot. Frames:
// adapters/mattermost/mattermost_websocket.hpp.
//
// Secrets: bot_token, a bot account's access token; stream_url: the server's https:// address.
// An attempt asks GET /api/v4/users/me who the bot is (its user id, to ignore its own posts; its
// username, for "@<bot> /ack 12"); a 401 or 403 there counts as refused. It then connects to
// wss://<server>/api/v4/websocket, sends the authentication_challenge, and is live once the
// server takes it (its OK; a resumed connection gets no hello); a FAIL answer counts as refused. Every `posted` event
// from someone else goes to the dispatcher, which answers commands and keeps silent at chat, and ignores channels the
// config does not list for this connection (the bot hears every channel it is a member of); answers go through the
// outbox as REST posts. A post delivered twice is answered once (dedup on its id). Mattermost acknowledges nothing:
// after a drop the next attempt resumes the connection from the event after the last one handled (connection_id,
// sequence_number), and a post that could not be recorded ends the attempt without moving past it, so the resume asks
// the server for it again. When the server no longer has those events it answers with a fresh hello (a new
// connection_id; a resumed connection gets no hello): the posts made meanwhile are then fetched back by REST
// (adapters/mattermost/mattermost_missed_posts.hpp), for each channel the config lists for this connection, since
// the newest post time the bot has recorded, and dispatched as `posted` events are (the dedup answers a post heard
// twice once). That time is kept in the store (stream_cursors), so a restart fetches back what came while slabot
// was down; the very first start records the bot's own time and fetches nothing.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/mattermost/mattermost_websocket.hpp"
#include "bot/stream/websocket_session.hpp"
#include "config/config.hpp"

namespace slabot {

class MattermostSocketSession final : public WebSocketSession {
 public:
  // Throws std::invalid_argument when bot_token is missing, stream_url is no https:// URL, or
  // the dependencies lack the store, clock or config (the missed posts' fetch needs them).
  // `websocket_base` (tests: a fake gateway on another port): where the socket opens instead of
  // the server's own address.
  MattermostSocketSession(const Connection& connection, StreamDependencies dependencies,
                          std::string websocket_base = "");

 protected:
  std::variant<std::string, SessionEnd> open() override;
  bool live_on_connect() const override { return false; }  // live at the challenge's OK
  std::optional<SessionEnd> on_connected() override;
  std::optional<SessionEnd> on_frame(const std::string& text) override;

 private:
  // Hands a post to the dispatcher as a `posted` event, waits until it is durable, and moves the
  // stored post time past it. An end when it was not recorded or stop() came first.
  std::optional<SessionEnd> posted(const MattermostPost& post);
  // After a fresh hello: fetches back and dispatches the posts made since the stored post time.
  // An end (dropped) when a fetch failed or a post was not recorded: the next attempt then starts
  // a fresh connection, so this runs again from the same time.
  std::optional<SessionEnd> catch_up();
  // The channel ids the config lists for this connection, now.
  std::vector<std::string> listed_channels() const;
  // Usernames (for "opened by ...") of the posts' authors; empty when the server does not say.
  std::map<std::string, std::string> usernames_of(const std::vector<MattermostPost>& posts);
  // Stores `post_at` as the newest post time recorded; a failure is logged, not fatal (an older
  // time only means a longer fetch next time).
  void save_post_time(std::int64_t post_at);

  std::string bot_token_;
  std::string server_;
  std::string websocket_base_;
  MattermostBot bot_;
  // Where a resume starts: the connection's id (from hello) and the next event's seq.
  std::string connection_id_;
  std::int64_t next_seq_ = 0;
  // The newest post time recorded (Unix ms, the server's clock), as in the store; nullopt until read.
  std::optional<std::int64_t> post_time_;
};

}  // namespace slabot
