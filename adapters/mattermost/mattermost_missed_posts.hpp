#pragma once
// Posts made while slabot's Mattermost WebSocket was down, fetched back by REST when the server
// starts a fresh connection instead of resuming (a new connection_id in its hello: a long outage,
// a server restart, or events it no longer holds). Mattermost's own clients do the same: their
// WebSocket client runs its "missed messages" sync when a hello brings a connection_id other than
// the one they had (mattermost-webapp, websocket_client).
//   posts:  GET <server>/api/v4/channels/{channel_id}/posts?since=<Unix ms> -> {"order":[ids],
//           "posts":{id:post}}: every post *modified* after `since` (edits and reactions of older
//           posts, deletions too), ordered by create time, at most 1000, no paging (the API
//           reference, "Get posts for a channel": since excludes page and per_page). `posts` may
//           also hold root posts of the threads replied to, which `order` does not list.
//   names:  POST <server>/api/v4/users/ids ["id",...] -> [{"id","username",...}]: the REST post
//           has no sender_name as the socket's posted event does.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "adapters/http_types.hpp"
#include "adapters/mattermost/mattermost_websocket.hpp"

namespace slabot {

// The server answers at most this many posts to one `since` call.
inline constexpr std::size_t mattermost_since_limit = 1000;

OutboundRequest mattermost_posts_since(const std::string& server, const std::string& token,
                                       const std::string& channel_id, std::int64_t since_ms);

// The posts `order` lists, in its order; an error in words (the HTTP status and Mattermost's
// error id, never the token) when the answer is not a post list.
std::variant<std::vector<MattermostPost>, std::string> mattermost_posts_of(const HttpResponse& answer);

// The posts made after `since_ms` that nobody deleted, oldest first: what the bot missed. An older
// post that was only edited or reacted to since then was heard when it was made.
std::vector<MattermostPost> mattermost_posts_made_after(std::vector<MattermostPost> posts, std::int64_t since_ms);

OutboundRequest mattermost_users_by_ids(const std::string& server, const std::string& token,
                                        const std::vector<std::string>& user_ids);
// Usernames by user id; empty when the answer is not a user list (the names are then the ids).
std::map<std::string, std::string> mattermost_usernames_of(const HttpResponse& answer);

}  // namespace slabot
