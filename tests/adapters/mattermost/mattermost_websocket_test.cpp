// Mattermost stream mode without a network: the WebSocket frames (docs/stream-protocols.md
// section 4, from the API reference and the server's web_conn.go) and the adapter's REST posts.
#include "adapters/mattermost/mattermost_websocket.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/mattermost/mattermost_adapter.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

// The `posted` event in the shape the server sends (app/notification.go): data.post is the post
// as JSON text, data.mentions too when someone is mentioned.
const std::string documented_posted =
    R"({"event":"posted","data":{"channel_display_name":"Support","channel_name":"support","channel_type":"O",)"
    R"("post":"{\"id\":\"hbx8post\",\"create_at\":1700000000000,\"update_at\":1700000000000,\"user_id\":\"u9alice\",)"
    R"(\"channel_id\":\"c4support\",\"root_id\":\"\",\"message\":\"@slabot /ticket P1 db down\",\"type\":\"\",)"
    R"(\"props\":{},\"hashtags\":\"\",\"pending_post_id\":\"\"}","sender_name":"@alice","set_online":true,)"
    R"("team_id":"t1","mentions":"[\"botid\"]"},"broadcast":{"omit_users":null,"user_id":"","channel_id":"c4support",)"
    R"("team_id":""},"seq":7})";

const MattermostBot bot{"botid", "slabot"};

Connection stream_connection() {
  Connection c;
  c.name = "mm";
  c.adapter = "mattermost";
  c.mode = ConnectionMode::stream;
  c.secrets["bot_token"] = "bot-token-1";
  c.stream_url = "https://chat.example.com/";
  return c;
}

}  // namespace

TEST_CASE("mattermost websocket: the socket's URL under the server, with a resume when there is one") {
  const std::string server = mattermost_server_base("https://chat.example.com/mm//");
  CHECK(server == "https://chat.example.com/mm");
  CHECK(mattermost_socket_url(server) == "wss://chat.example.com/mm/api/v4/websocket");
  CHECK(mattermost_socket_url(server, "abc 1", 12) ==
        "wss://chat.example.com/mm/api/v4/websocket?connection_id=abc%201&sequence_number=12");
  CHECK_THROWS_WITH(mattermost_server_base("http://chat.example.com"), Catch::Contains("https://"));
  CHECK_THROWS_WITH(mattermost_server_base(""), Catch::Contains("\"stream_url\""));
}

TEST_CASE("mattermost websocket: users/me with the bot token tells who the bot is; 401 is refused credentials") {
  const auto request = mattermost_users_me("https://chat.example.com", "tok");
  CHECK(request.method == "GET");
  CHECK(request.url == "https://chat.example.com/api/v4/users/me");
  CHECK(request.headers.at("Authorization") == "Bearer tok");

  auto me = mattermost_bot_of(HttpResponse{200, {}, R"({"id":"botid","username":"slabot","is_bot":true})"});
  REQUIRE(std::holds_alternative<MattermostBot>(me));
  CHECK(std::get<MattermostBot>(me).user_id == "botid");
  CHECK(std::get<MattermostBot>(me).username == "slabot");

  me = mattermost_bot_of(HttpResponse{401, {}, R"({"id":"api.context.session_expired.app_error","status_code":401})"});
  REQUIRE(std::holds_alternative<MattermostOpenRefused>(me));
  CHECK(std::get<MattermostOpenRefused>(me).credentials);
  CHECK(std::get<MattermostOpenRefused>(me).reason == "HTTP 401 api.context.session_expired.app_error");

  me = mattermost_bot_of(HttpResponse{502, {}, "bad gateway"});
  CHECK_FALSE(std::get<MattermostOpenRefused>(me).credentials);
  me = mattermost_bot_of(HttpResponse{200, {}, R"({"username":"x"})"});
  CHECK_FALSE(std::get<MattermostOpenRefused>(me).credentials);
}

TEST_CASE("mattermost websocket: the authentication challenge carries the token as request 1") {
  CHECK(json::parse(mattermost_authentication_challenge("tok")) ==
        json{{"seq", 1}, {"action", "authentication_challenge"}, {"data", {{"token", "tok"}}}});
}

TEST_CASE("mattermost websocket: frames read: hello, posted with its post inside a string, replies, junk") {
  std::string error;
  auto frame = read_mattermost_frame(
      R"({"event":"hello","data":{"server_version":"9.11","connection_id":"conn1"},"broadcast":{"user_id":"botid"},"seq":0})",
      error);
  REQUIRE(frame);
  CHECK(frame->event == "hello");
  CHECK(frame->seq == 0);
  CHECK(frame->connection_id == "conn1");
  CHECK(frame->broadcast_user_id == "botid");

  frame = read_mattermost_frame(documented_posted, error);
  REQUIRE(frame);
  CHECK(frame->seq == 7);
  REQUIRE(frame->post);
  CHECK(frame->post->id == "hbx8post");
  CHECK(frame->post->channel_id == "c4support");
  CHECK(frame->post->user_id == "u9alice");
  CHECK(frame->post->message == "@slabot /ticket P1 db down");
  CHECK(frame->post->sender_name == "@alice");

  frame = read_mattermost_frame(R"({"status":"OK","seq_reply":1})", error);
  REQUIRE(frame);
  CHECK(frame->status == "OK");
  CHECK_FALSE(frame->seq);
  frame = read_mattermost_frame(R"({"status":"FAIL","seq_reply":1,"error":{"id":"x.y","message":"bad"}})", error);
  CHECK(frame->error == "x.y");

  // A posted event whose post is not a readable JSON string (an object, junk): no post.
  frame = read_mattermost_frame(R"({"event":"posted","data":{"post":{"id":"p"}},"seq":3})", error);
  REQUIRE(frame);
  CHECK_FALSE(frame->post);
  frame = read_mattermost_frame(R"({"event":"posted","data":{"post":"{not json"},"seq":3})", error);
  CHECK_FALSE(frame->post);

  CHECK_FALSE(read_mattermost_frame("[1]", error));
  CHECK(error == "not a JSON object");
}

TEST_CASE("mattermost websocket: a post becomes a message; the bot's own and system posts do not") {
  std::string error;
  const auto post = *read_mattermost_frame(documented_posted, error)->post;
  const auto message = mattermost_message_of(post, bot);
  REQUIRE(message);
  CHECK(message->platform == "mattermost");
  CHECK(message->event_id == "hbx8post");
  CHECK(message->chat_id == "c4support");
  CHECK(message->user_id == "u9alice");
  CHECK(message->user_name == "alice");
  CHECK(message->text == "@slabot /ticket P1 db down");
  CHECK(message->bot_name == "slabot");
  // A root post: its answer starts a thread on it.
  CHECK(message->thread_id == "hbx8post");
  MattermostPost reply = post;
  reply.root_id = "root7post";
  CHECK(mattermost_message_of(reply, bot)->thread_id == "root7post");  // the thread it is in

  MattermostPost own = post;
  own.user_id = "botid";
  CHECK_FALSE(mattermost_message_of(own, bot));
  MattermostPost joined = post;
  joined.type = "system_join_channel";
  CHECK_FALSE(mattermost_message_of(joined, bot));
}

TEST_CASE("mattermost adapter in stream mode: messages go out as REST posts with the bot token") {
  const MattermostAdapter adapter(stream_connection());
  OutboundMessage message{"mm", "c4support", "#12 acknowledged by Erin", {{"u9alice0000000000000000000", "Alice"}}};
  const auto request = adapter.render(message, from_unix_ms(0));
  CHECK(request.method == "POST");
  CHECK(request.url == "https://chat.example.com/api/v4/posts");
  CHECK(request.headers.at("Authorization") == "Bearer bot-token-1");
  const json body = json::parse(request.body);
  CHECK(body["channel_id"] == "c4support");
  CHECK(body["message"] == "#12 acknowledged by Erin <@u9alice0000000000000000000>");
  CHECK_FALSE(body.contains("channel"));
  CHECK_FALSE(body.contains("root_id"));  // a message the bot starts: in the channel itself

  // An answer goes in the thread of what it answers.
  message.thread_id = "root7post";
  CHECK(json::parse(adapter.render(message, from_unix_ms(0)).body)["root_id"] == "root7post");

  // A stream connection takes no slash command by HTTP: it has no token to check one with.
  HttpRequest form;
  form.method = "POST";
  form.body = "token=&channel_name=x&command=%2Fack&text=1&user_id=u";
  CHECK(std::holds_alternative<Rejected>(adapter.verify(form, from_unix_ms(0))));

  Connection no_url = stream_connection();
  no_url.stream_url.clear();
  CHECK_THROWS_WITH(MattermostAdapter(no_url), Catch::Contains("\"stream_url\""));
  Connection buttons = stream_connection();
  buttons.secrets["action_url"] = "https://bot.example.com/hooks/mm";
  buttons.secrets["action_secret"] = "k";
  CHECK_THROWS_WITH(MattermostAdapter(buttons), Catch::Contains("does not serve"));
  Connection no_token = stream_connection();
  no_token.secrets.clear();
  CHECK_THROWS_WITH(MattermostAdapter(no_token), Catch::Contains("bot_token"));
}
