#pragma once
// Mattermost's WebSocket API, without a network (docs/stream-protocols.md section 4; the API
// reference's "WebSocket" tag, mattermost/mattermost server/channels/app/platform/web_conn.go and
// server/public/model/websocket_message.go):
//   who:      GET <server>/api/v4/users/me, "Authorization: Bearer <bot token>" -> the bot's
//             user {"id","username",...}; 401 for a token the server does not take.
//   open:     wss://<server>/api/v4/websocket (?connection_id=&sequence_number= to resume), then
//             {"seq":1,"action":"authentication_challenge","data":{"token":...}} -> {"status":
//             "OK","seq_reply":1} (FAIL with an error for a bad token), then the event "hello".
//   events:   {"event":"posted","data":{"post":"<the post as a JSON string>","channel_name",
//             "sender_name":"@alice",...},"broadcast":{...},"seq":n}; seq counts the server's
//             events on one connection from 0 (hello). Nothing is acknowledged.
//   answer:   POST <server>/api/v4/posts {"channel_id","message"} with the same Bearer token.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "adapters/http_types.hpp"
#include "domain/message.hpp"

namespace slabot {

inline constexpr const char* mattermost_websocket_path = "/api/v4/websocket";

// The server's base URL (https://chat.example.com[/prefix]) without trailing slashes; throws
// std::invalid_argument when it is not an https:// URL (the socket is wss:// only).
std::string mattermost_server_base(const std::string& stream_url);

OutboundRequest mattermost_users_me(const std::string& server, const std::string& token);

// The bot's own account, from users/me.
struct MattermostBot {
  std::string user_id;
  std::string username;
};
struct MattermostOpenRefused {
  bool credentials = false;  // 401/403: the token is wrong, revoked or the account deactivated
  std::string reason;        // the HTTP status and Mattermost's error id; never the token
};
std::variant<MattermostBot, MattermostOpenRefused> mattermost_bot_of(const HttpResponse& answer);

// The socket's URL under `server`; resumes `connection_id` from `next_sequence` when given (the
// server then replays what it still has from there, or starts afresh with a new hello).
std::string mattermost_socket_url(const std::string& server, const std::string& connection_id = "",
                                  std::int64_t next_sequence = 0);

// The first frame on a socket: the bot's token, as request `seq` 1.
std::string mattermost_authentication_challenge(const std::string& token);

struct MattermostPost {
  std::string id;
  std::string channel_id;
  std::string user_id;
  std::string message;
  std::string type;            // non-empty for system posts (joins, header changes)
  std::string sender_name;     // "@alice", from the event's data
  std::string root_id;         // the thread's first post, for a reply in a thread; "" for a root post
  std::int64_t create_at = 0;  // Unix ms, the server's clock
  std::int64_t delete_at = 0;  // non-zero once deleted
};

struct MattermostFrame {
  std::string event;                // hello, posted, ...; empty for a reply to the bot's own request
  std::optional<std::int64_t> seq;  // the server's event counter (events only)
  // hello: the connection's id (for a resume) and its user, the bot.
  std::string connection_id;
  std::string broadcast_user_id;
  // posted: the post, when data.post is a readable JSON post with an id.
  std::optional<MattermostPost> post;
  // A reply to a request: "OK" or "FAIL", with the error's id or message.
  std::string status;
  std::string error;
};
// nullopt with `error` set when `text` is not a JSON object.
std::optional<MattermostFrame> read_mattermost_frame(const std::string& text, std::string& error);

// A post as a message for the dispatcher, or nullopt when the bot must not answer it: the bot's
// own posts and system posts. chat_id is the channel's id (what POST /api/v4/posts takes, so the
// config names channels by id in stream mode); event_id the post's id, so a post delivered twice
// (replayed after a resume) is answered once; thread_id the thread the answer goes to (the post's
// root_id, or its own id when it is a root post), so an answer lands beside what it answers.
std::optional<InboundMessage> mattermost_message_of(const MattermostPost& post, const MattermostBot& bot);

}  // namespace slabot
