#include "adapters/mattermost/mattermost_missed_posts.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "adapters/mattermost/mattermost_post.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/percent.hpp"

namespace slabot {

using nlohmann::json;

namespace {

OutboundRequest api_request(const char* method, std::string url, const std::string& token) {
  OutboundRequest request;
  request.method = method;
  request.url = std::move(url);
  request.headers["Authorization"] = "Bearer " + token;
  request.headers["Accept"] = "application/json";
  return request;
}

// "HTTP 403 api.context.permissions.app_error": what an AppError answer says went wrong.
std::string http_error(const HttpResponse& answer) {
  if (answer.status == 0) return "no answer: " + answer.body;
  const std::string id = json_string(parse_json(answer.body), "id");
  return "HTTP " + std::to_string(answer.status) + (id.empty() ? "" : " " + id);
}

}  // namespace

OutboundRequest mattermost_posts_since(const std::string& server, const std::string& token,
                                       const std::string& channel_id, std::int64_t since_ms) {
  return api_request(
      "GET", server + "/api/v4/channels/" + percent_encode(channel_id) + "/posts?since=" + std::to_string(since_ms),
      token);
}

std::variant<std::vector<MattermostPost>, std::string> mattermost_posts_of(const HttpResponse& answer) {
  if (answer.status != 200) return http_error(answer);
  const json body = parse_json(answer.body);
  const auto order = body.find("order");
  const auto posts = body.find("posts");
  if (!body.is_object() || order == body.end() || !order->is_array() || posts == body.end() ||
      !(posts->is_object() || posts->is_null())) {
    return std::string("the answer is not a post list");
  }
  std::vector<MattermostPost> out;
  for (const auto& id : *order) {
    if (!id.is_string() || !posts->is_object()) continue;
    const auto post = posts->find(id.get<std::string>());
    if (post == posts->end()) continue;
    if (auto read = mattermost_post_from(*post)) out.push_back(std::move(*read));
  }
  return out;
}

std::vector<MattermostPost> mattermost_posts_made_after(std::vector<MattermostPost> posts, std::int64_t since_ms) {
  std::erase_if(posts,
                [since_ms](const MattermostPost& post) { return post.create_at <= since_ms || post.delete_at != 0; });
  std::stable_sort(posts.begin(), posts.end(),
                   [](const MattermostPost& a, const MattermostPost& b) { return a.create_at < b.create_at; });
  return posts;
}

OutboundRequest mattermost_users_by_ids(const std::string& server, const std::string& token,
                                        const std::vector<std::string>& user_ids) {
  OutboundRequest request = api_request("POST", server + "/api/v4/users/ids", token);
  request.headers["Content-Type"] = "application/json";
  request.body = dump_json(json(user_ids));
  return request;
}

std::map<std::string, std::string> mattermost_usernames_of(const HttpResponse& answer) {
  std::map<std::string, std::string> names;
  if (answer.status != 200) return names;
  const json body = parse_json(answer.body);
  if (!body.is_array()) return names;
  for (const auto& user : body) {
    const std::string id = json_string(user, "id");
    const std::string username = json_string(user, "username");
    if (!id.empty() && !username.empty()) names[id] = username;
  }
  return names;
}

}  // namespace slabot
