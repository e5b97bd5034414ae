// The posts fetched back after a connection the server did not resume, without a network: the
// request, the post list's reading (the API reference's "Get posts for a channel"), and which of
// its posts were made while the bot was away.
#include "adapters/mattermost/mattermost_missed_posts.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace slabot;
using nlohmann::json;

namespace {

json post(const std::string& id, std::int64_t create_at, std::int64_t delete_at = 0) {
  return json{{"id", id},        {"create_at", create_at}, {"update_at", create_at}, {"delete_at", delete_at},
              {"user_id", "u1"}, {"channel_id", "c1"},     {"root_id", "r1"},        {"message", "m " + id},
              {"type", ""},      {"props", json::object()}};
}

HttpResponse answer(int status, const json& body) { return HttpResponse{status, {}, body.dump()}; }

std::vector<std::string> ids_of(const std::vector<MattermostPost>& posts) {
  std::vector<std::string> ids;
  for (const auto& p : posts) ids.push_back(p.id);
  return ids;
}

}  // namespace

TEST_CASE("mattermost missed posts: GET the channel's posts since a time, with the bot token") {
  const OutboundRequest request = mattermost_posts_since("https://chat.example.com", "tok", "c1", 1700000000000);
  CHECK(request.method == "GET");
  CHECK(request.url == "https://chat.example.com/api/v4/channels/c1/posts?since=1700000000000");
  CHECK(request.headers.at("Authorization") == "Bearer tok");
}

TEST_CASE("mattermost missed posts: the list is read in its order; root posts it does not order are left out") {
  const json body{{"order", {"p2", "p1"}},
                  {"posts", {{"p1", post("p1", 10)}, {"p2", post("p2", 20)}, {"root", post("root", 5)}}}};
  auto read = mattermost_posts_of(answer(200, body));
  REQUIRE(std::holds_alternative<std::vector<MattermostPost>>(read));
  const auto& posts = std::get<std::vector<MattermostPost>>(read);
  CHECK(ids_of(posts) == std::vector<std::string>{"p2", "p1"});
  CHECK(posts[1].create_at == 10);
  CHECK(posts[1].root_id == "r1");
  CHECK(posts[1].message == "m p1");

  // An empty channel's answer, and ids the posts do not hold.
  CHECK(std::get<std::vector<MattermostPost>>(
            mattermost_posts_of(answer(200, {{"order", json::array()}, {"posts", nullptr}})))
            .empty());
  CHECK(std::get<std::vector<MattermostPost>>(
            mattermost_posts_of(answer(200, {{"order", {"gone", 3}}, {"posts", json::object()}})))
            .empty());
}

TEST_CASE("mattermost missed posts: an answer that is no post list is an error in words") {
  CHECK(std::get<std::string>(
            mattermost_posts_of(answer(403, {{"id", "api.context.permissions.app_error"}, {"message", "no"}}))) ==
        "HTTP 403 api.context.permissions.app_error");
  CHECK(std::get<std::string>(mattermost_posts_of(HttpResponse{200, {}, "<html>proxy</html>"})) ==
        "the answer is not a post list");
  CHECK(std::get<std::string>(mattermost_posts_of(answer(200, {{"order", "p1"}, {"posts", json::object()}}))) ==
        "the answer is not a post list");
  CHECK(std::get<std::string>(mattermost_posts_of(HttpResponse{0, {}, "connection refused"})) ==
        "no answer: connection refused");
}

TEST_CASE("mattermost missed posts: only posts made after the time and not deleted, oldest first") {
  std::vector<MattermostPost> posts;
  for (const auto& [id, created, deleted] :
       std::vector<std::tuple<std::string, std::int64_t, std::int64_t>>{{"late", 300, 0},
                                                                        {"edited-old", 50, 0},
                                                                        {"at-the-time", 100, 0},
                                                                        {"early", 200, 0},
                                                                        {"deleted", 250, 260}}) {
    MattermostPost p;
    p.id = id;
    p.create_at = created;
    p.delete_at = deleted;
    posts.push_back(p);
  }
  CHECK(ids_of(mattermost_posts_made_after(posts, 100)) == std::vector<std::string>{"early", "late"});
}

TEST_CASE("mattermost missed posts: usernames by id from users/ids; anything else names nobody") {
  const OutboundRequest request = mattermost_users_by_ids("https://chat.example.com", "tok", {"u1", "u2"});
  CHECK(request.method == "POST");
  CHECK(request.url == "https://chat.example.com/api/v4/users/ids");
  CHECK(json::parse(request.body) == json::array({"u1", "u2"}));
  CHECK(request.headers.at("Authorization") == "Bearer tok");

  const auto names = mattermost_usernames_of(
      answer(200, json::array({{{"id", "u1"}, {"username", "alice"}}, {{"id", "u2"}}, "junk"})));
  CHECK(names == std::map<std::string, std::string>{{"u1", "alice"}});
  CHECK(mattermost_usernames_of(answer(500, json::array({{{"id", "u1"}, {"username", "alice"}}}))).empty());
  CHECK(mattermost_usernames_of(answer(200, {{"id", "u1"}})).empty());
}
