#pragma once
// One post object as Mattermost's socket and REST API both carry it (the socket as JSON text in
// data.post, the REST API as a member of "posts"): read in one place for both.
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "adapters/mattermost/mattermost_websocket.hpp"

namespace slabot {

// nullopt when `post` is no object with an id. sender_name is left empty (not part of a post).
std::optional<MattermostPost> mattermost_post_from(const nlohmann::json& post);

}  // namespace slabot
