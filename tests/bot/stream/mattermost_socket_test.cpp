// Mattermost's WebSocket API end to end: the bot's session against a fake Mattermost on loopback
// over TLS, written from the documented frames (adapters/mattermost/mattermost_websocket.hpp cites
// them): users/me with the bot token, the authentication_challenge, hello, `posted` events whose
// data.post is a JSON string, a dropped TCP connection resumed with connection_id and
// sequence_number, a post replayed after the resume. The real dispatcher and store answer; the
// answers are queued in the outbox as REST posts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "adapters/registry.hpp"
#include "bot/outbox/outbox_worker.hpp"
#include "bot/stream/mattermost_socket_session.hpp"
#include "tests/bot/stream/stream_fixture.hpp"
#include "tests/support/store_sync.hpp"

using namespace slabot;
using namespace slabot::testing;
using nlohmann::json;

namespace {

const char* const bot_id = "botuserid0000000000000000a";

Connection mattermost_stream() {
  Connection connection{"mm", "mattermost", {{"bot_token", "mm-bot-token"}}, ""};
  connection.mode = ConnectionMode::stream;
  return connection;
}

// The bot, with its socket on the fake gateway (a real server has both on one address).
struct MattermostStreamBot : StreamBot {
  MattermostStreamBot() : StreamBot(mattermost_stream()) {
    make_session = [this](const Connection& connection,
                          StreamDependencies dependencies) -> std::unique_ptr<StreamSession> {
      // The server's address form: the session makes it wss://.
      return std::make_unique<MattermostSocketSession>(connection, dependencies,
                                                       "https://127.0.0.1:" + std::to_string(gateway.port()));
    };
  }
};

ScriptedResponse users_me() {
  return ScriptedResponse{200,
                          {{"Content-Type", "application/json"}},
                          json{{"id", bot_id}, {"username", "slabot-mm"}, {"is_bot", true}}.dump()};
}

std::string challenge_ok() { return json{{"status", "OK"}, {"seq_reply", 1}}.dump(); }

std::string hello(const std::string& connection_id) {
  return json{{"event", "hello"},
              {"data", {{"server_version", "9.11.0"}, {"connection_id", connection_id}}},
              {"broadcast", {{"omit_users", nullptr}, {"user_id", bot_id}, {"channel_id", ""}, {"team_id", ""}}},
              {"seq", 0}}
      .dump();
}

// A post as the server stores it; the socket carries it as JSON text, the REST API as an object.
json post_of(const std::string& post_id, const std::string& channel, const std::string& user,
             const std::string& message, std::int64_t create_at = 1700000000000) {
  return json{{"id", post_id},   {"create_at", create_at}, {"update_at", create_at}, {"delete_at", 0},
              {"user_id", user}, {"channel_id", channel},  {"root_id", ""},          {"message", message},
              {"type", ""},      {"props", json::object()}};
}

std::string posted(int seq, const json& post) {
  const std::string user = post["user_id"];
  return json{
      {"event", "posted"},
      {"data",
       {{"channel_name", "support"},
        {"channel_type", "O"},
        {"post", post.dump()},  // a JSON string, as the server sends it
        {"sender_name", "@" + user},
        {"team_id", "team1"}}},
      {"broadcast", {{"omit_users", nullptr}, {"user_id", ""}, {"channel_id", post["channel_id"]}, {"team_id", ""}}},
      {"seq", seq}}
      .dump();
}

std::string posted(int seq, const std::string& post_id, const std::string& channel, const std::string& user,
                   const std::string& message) {
  return posted(seq, post_of(post_id, channel, user, message));
}

// GET /channels/{id}/posts's answer: the ids newest first, the posts by id.
ScriptedResponse post_list(const std::vector<json>& posts) {
  json body{{"order", json::array()}, {"posts", json::object()}, {"next_post_id", ""}, {"prev_post_id", ""}};
  for (auto post = posts.rbegin(); post != posts.rend(); ++post) {
    body["order"].push_back((*post)["id"]);
    body["posts"][(*post)["id"].get<std::string>()] = *post;
  }
  return ScriptedResponse{200, {{"Content-Type", "application/json"}}, body.dump()};
}

// The post time the store keeps for "mm" once it is `expected` (or as it is when patience runs
// out): the session stores it just after the post's answer is durable.
std::optional<std::int64_t> wait_for_post_time(StreamBot& bot, std::int64_t expected) {
  const auto give_up = std::chrono::steady_clock::now() + patience();
  while (bot.store->stream_cursor("mm") != expected && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return bot.store->stream_cursor("mm");
}

std::vector<RecordedRequest> requests_to(StreamBot& bot, const std::string& path) {
  std::vector<RecordedRequest> out;
  for (const auto& request : bot.api.requests()) {
    if (request.target.substr(0, request.target.find('?')) == path) out.push_back(request);
  }
  return out;
}

// Waits until the outbox holds `count` answers with `words` (or patience runs out).
bool wait_for_replies(StreamBot& bot, const std::string& words, std::size_t count) {
  const auto give_up = std::chrono::steady_clock::now() + patience();
  while (bot.replies_with(words) < count && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return bot.replies_with(words) == count;
}

std::size_t outbox_size(StreamBot& bot) { return bot.store->list_outbox(OutboxQuery::pending, 100).size(); }

}  // namespace

TEST_CASE("mattermost websocket: authenticates with the bot token, answers posted commands once, resumes after a drop",
          "[stream][mattermost]") {
  MattermostStreamBot bot;
  bot.api.on("/api/v4/users/me", users_me());
  bot.start();

  auto socket = bot.next_socket();
  CHECK(socket->target() == "/api/v4/websocket");
  const auto me = bot.api.requests().at(0);
  CHECK(me.method == "GET");
  CHECK(me.target == "/api/v4/users/me");
  CHECK(me.header("authorization") == "Bearer mm-bot-token");
  // The first frame is the challenge with the token.
  const json challenge = StreamBot::next_frame(*socket);
  CHECK(challenge == json{{"seq", 1}, {"action", "authentication_challenge"}, {"data", {{"token", "mm-bot-token"}}}});
  CHECK(bot.supervisor->statuses().at("mm").state != StreamState::live);
  socket->send(challenge_ok());
  socket->send(hello("conn-1"));
  CHECK(bot.wait_for_state("mm", StreamState::live).state == StreamState::live);

  socket->send(posted(1, "post-1", "chat-acme", "pat", "@slabot-mm /open 1 DB down"));
  REQUIRE(wait_for_replies(bot, "#1 opened", 1));

  // The bot's own post (its answer, echoed back), a command in a channel the config does not
  // list, and chat are not answered; the next command is, after them.
  socket->send(posted(2, "post-2", "chat-acme", bot_id, "/open 1 echo of the bot"));
  socket->send(posted(3, "post-3", "chat-other", "pat", "@slabot-mm /open 1 elsewhere"));
  socket->send(posted(4, "post-4", "chat-acme", "pat", "good morning all"));
  // Erin answers in the thread of Pat's post.
  json ack_in_thread = post_of("post-5", "chat-acme", "u-erin", "@slabot-mm /ack #1");
  ack_in_thread["root_id"] = "post-1";
  socket->send(posted(5, ack_in_thread));
  REQUIRE(wait_for_replies(bot, "acknowledged by Erin", 1));
  CHECK(outbox_size(bot) == 2);
  CHECK_FALSE(bot.store->find_ticket(2, "acme"));

  // The TCP connection drops: the bot resumes after the last event it handled, and a post the
  // server replays is answered once.
  socket->drop();
  socket = bot.next_socket();
  CHECK(socket->target() == "/api/v4/websocket?connection_id=conn-1&sequence_number=6");
  CHECK(StreamBot::next_frame(*socket)["action"] == "authentication_challenge");
  socket->send(challenge_ok());  // resumed: no hello
  socket->send(posted(6, ack_in_thread));
  socket->send(posted(7, "post-6", "chat-acme", "pat", "@slabot-mm /open 2 API slow"));
  REQUIRE(wait_for_replies(bot, "#2 opened", 1));
  CHECK(bot.replies_with("acknowledged by Erin") == 1);
  CHECK(outbox_size(bot) == 3);
  CHECK(bot.wait_for_state("mm", StreamState::live).reconnects == 1);

  // A server that no longer has the connection says hello afresh: seq starts again from 0.
  socket->drop();
  socket = bot.next_socket();
  CHECK(socket->target() == "/api/v4/websocket?connection_id=conn-1&sequence_number=8");
  StreamBot::next_frame(*socket);
  socket->send(challenge_ok());
  bot.api.on("/api/v4/channels/chat-acme/posts", post_list({}));  // nothing was missed
  socket->send(hello("conn-2"));
  socket->send(posted(1, "post-7", "chat-acme", "pat", "@slabot-mm /open 3 Disk full"));
  REQUIRE(wait_for_replies(bot, "#3 opened", 1));
  socket->drop();
  socket = bot.next_socket();
  CHECK(socket->target() == "/api/v4/websocket?connection_id=conn-2&sequence_number=2");

  // The outbox, as serve runs it for this connection, sends each answer once as a REST post with
  // the bot token.
  bot.api.on("/api/v4/posts", ScriptedResponse{201, {{"Content-Type", "application/json"}}, R"({"id":"answer"})"});
  const std::shared_ptr<const ChatAdapter> adapter(make_adapter(bot.config.connections.at(0)));
  OutboxWorker outbox(*bot.store, bot.clock, *bot.http, {{"mm", OutboxRoute{adapter, adapter->rate_limit()}}},
                      bot.config.outbox);
  // One message in flight per destination, in order: a pass each.
  for (int pass = 0; pass < 10 && bot.store->count_outbox(OutboxQuery::pending) > 0; ++pass) {
    outbox.pump(bot.clock.now());
    outbox.wait_idle();
  }
  std::vector<std::string> answers;
  std::map<std::string, std::string> threads;  // an answer's words: its root_id
  for (const auto& request : bot.api.requests()) {
    if (request.target != "/api/v4/posts") continue;
    CHECK(request.method == "POST");
    CHECK(request.header("authorization") == "Bearer mm-bot-token");
    const json body = json::parse(request.body);
    CHECK(body["channel_id"] == "chat-acme");
    answers.push_back(body["message"]);
    for (const char* words : {"#1 opened", "acknowledged by Erin", "#2 opened", "#3 opened"}) {
      if (answers.back().find(words) != std::string::npos) threads[words] = body.value("root_id", "");
    }
  }
  REQUIRE(answers.size() == 4);
  for (const char* words : {"#1 opened", "acknowledged by Erin", "#2 opened", "#3 opened"}) {
    CHECK(std::count_if(answers.begin(), answers.end(),
                        [words](const std::string& answer) { return answer.find(words) != std::string::npos; }) == 1);
  }
  // Each answer is in the thread of what it answers: a root post's own, a reply's root.
  CHECK(threads == std::map<std::string, std::string>{{"#1 opened", "post-1"},
                                                      {"acknowledged by Erin", "post-1"},
                                                      {"#2 opened", "post-6"},
                                                      {"#3 opened", "post-7"}});
  CHECK(bot.store->count_outbox(OutboxQuery::pending) == 0);
}

TEST_CASE("mattermost websocket: a bot token the server refuses at users/me is reported as refused",
          "[stream][mattermost]") {
  MattermostStreamBot bot;
  bot.api.on(
      "/api/v4/users/me",
      ScriptedResponse{
          401,
          {{"Content-Type", "application/json"}},
          R"({"id":"api.context.session_expired.app_error","message":"Invalid or expired session","status_code":401})"});
  bot.start();
  const StreamStatus status = bot.wait_for_state("mm", StreamState::backing_off);
  CHECK(status.state == StreamState::backing_off);
  CHECK(status.detail.find("users/me: HTTP 401 api.context.session_expired.app_error") != std::string::npos);
  CHECK(status.detail.find("mm-bot-token") == std::string::npos);
  CHECK(bot.gateway.upgrade_targets().empty());
}

TEST_CASE("mattermost websocket: a FAIL answer to the challenge is reported as refused", "[stream][mattermost]") {
  MattermostStreamBot bot;
  bot.api.on("/api/v4/users/me", users_me());
  bot.start();
  auto socket = bot.next_socket();
  StreamBot::next_frame(*socket);
  socket->send(
      R"({"status":"FAIL","seq_reply":1,"error":{"id":"api.web_socket_router.bad_seq.app_error","message":"Invalid"}})");
  const StreamStatus status = bot.wait_for_state("mm", StreamState::backing_off);
  CHECK(status.detail.find("the server refused the bot token (api.web_socket_router.bad_seq.app_error)") !=
        std::string::npos);
}

TEST_CASE("mattermost websocket: a post that could not be recorded ends the attempt, and the resume asks for it again",
          "[stream][mattermost]") {
  // The store fails the first time (an outage): the dispatcher answers `failed`.
  MattermostStreamBot bot;
  FailingOnce failing;
  bot.api.on("/api/v4/users/me", users_me());
  bot.start_failing_once(failing);
  auto socket = bot.next_socket();
  StreamBot::next_frame(*socket);
  socket->send(challenge_ok());
  socket->send(hello("conn-1"));
  socket->send(posted(1, "post-1", "chat-acme", "pat", "@slabot-mm /open 1 DB down"));
  // The bot leaves without moving past post 1: it resumes from it.
  CHECK(socket->wait_ended(patience()));
  CHECK_FALSE(bot.store->find_ticket(1, "acme"));
  socket = bot.next_socket();
  CHECK(socket->target() == "/api/v4/websocket?connection_id=conn-1&sequence_number=1");
  StreamBot::next_frame(*socket);
  socket->send(challenge_ok());
  socket->send(posted(1, "post-1", "chat-acme", "pat", "@slabot-mm /open 1 DB down"));
  REQUIRE(wait_for_replies(bot, "#1 opened", 1));
}

TEST_CASE("mattermost websocket: posts made while the server could not resume are fetched back and answered once",
          "[stream][mattermost]") {
  MattermostStreamBot bot;
  bot.api.on("/api/v4/users/me", users_me());
  bot.start();
  const std::int64_t t0 = to_unix_ms(bot.clock.now());
  auto socket = bot.next_socket();
  StreamBot::next_frame(*socket);
  socket->send(challenge_ok());
  socket->send(hello("conn-1"));
  const json post_1 = post_of("post-1", "chat-acme", "pat", "@slabot-mm /open 1 DB down", t0 + 1000);
  socket->send(posted(1, post_1));
  REQUIRE(wait_for_replies(bot, "#1 opened", 1));
  // The first start had nothing to fetch back; the post's time is now the store's.
  CHECK(requests_to(bot, "/api/v4/channels/chat-acme/posts").empty());
  CHECK(wait_for_post_time(bot, t0 + 1000) == t0 + 1000);

  // While the bot is away: post 2 is made; an old post is edited (it was heard when it was made);
  // a post is made and deleted; the bot's own answer and a system post come too. Post 1, heard
  // live, is in the list again.
  json edited = post_of("post-old", "chat-acme", "pat", "@slabot-mm /open 3 edited old command", t0 - 3600000);
  edited["update_at"] = edited["edit_at"] = t0 + 6000;
  json deleted = post_of("post-gone", "chat-acme", "pat", "@slabot-mm /open 3 deleted command", t0 + 7000);
  deleted["delete_at"] = t0 + 8000;
  json joined = post_of("post-join", "chat-acme", "u-dana", "@slabot-mm /open 3 joined", t0 + 3000);
  joined["type"] = "system_join_channel";
  bot.api.on("/api/v4/channels/chat-acme/posts",
             post_list({edited, post_1, post_of("post-own", "chat-acme", bot_id, "#1 opened", t0 + 2000), joined,
                        post_of("post-2", "chat-acme", "u-dana", "@slabot-mm /open 2 API slow", t0 + 5000), deleted}));
  bot.api.on("/api/v4/users/ids",
             ScriptedResponse{
                 200,
                 {{"Content-Type", "application/json"}},
                 json::array({{{"id", "u-dana"}, {"username", "dana"}}, {{"id", "pat"}, {"username", "pat"}}}).dump()});
  socket->drop();
  socket = bot.next_socket();
  CHECK(socket->target() == "/api/v4/websocket?connection_id=conn-1&sequence_number=2");
  StreamBot::next_frame(*socket);
  socket->send(challenge_ok());
  socket->send(hello("conn-2"));  // not resumed
  socket->send(posted(1, post_of("post-3", "chat-acme", "pat", "@slabot-mm /open 3 Disk full", t0 + 9000)));
  REQUIRE(wait_for_replies(bot, "#3 opened", 1));

  CHECK(bot.replies_with("#1 opened") == 1);
  CHECK(bot.replies_with("#2 opened") == 1);
  const auto opened_2 = bot.store->find_ticket(2, "acme");
  REQUIRE(opened_2);
  CHECK(opened_2->title == "API slow");
  CHECK(opened_2->opened_by_name == "dana");  // the name users/ids gave, as the socket's sender_name would
  const auto opened_3 = bot.store->find_ticket(3, "acme");
  REQUIRE(opened_3);
  CHECK(opened_3->title == "Disk full");
  CHECK_FALSE(bot.store->find_ticket(4, "acme"));

  // One fetch, from a minute before the newest post recorded, with the bot token.
  const auto fetches = requests_to(bot, "/api/v4/channels/chat-acme/posts");
  REQUIRE(fetches.size() == 1);
  CHECK(fetches[0].method == "GET");
  CHECK(fetches[0].target == "/api/v4/channels/chat-acme/posts?since=" + std::to_string(t0 + 1000 - 60000));
  CHECK(fetches[0].header("authorization") == "Bearer mm-bot-token");
  const auto names = requests_to(bot, "/api/v4/users/ids");
  REQUIRE(names.size() == 1);
  CHECK(json::parse(names[0].body) == json::array({"pat", "u-dana"}));
  CHECK(wait_for_post_time(bot, t0 + 9000) == t0 + 9000);
}

TEST_CASE(
    "mattermost websocket: after a restart the posts since the stored time are fetched; a failed fetch is tried "
    "again on a fresh connection",
    "[stream][mattermost]") {
  MattermostStreamBot bot;
  const std::int64_t stored = to_unix_ms(bot.clock.now()) - 600000;
  {
    SqliteStore before_restart(SqliteStoreOptions{bot.config.database_path});
    REQUIRE(wait_for([&](auto done) {
              before_restart.save_stream_cursor("mm", stored, bot.clock.now(), std::move(done));
            }).kind == WriteOutcome::Kind::applied);
  }
  bot.api.on("/api/v4/users/me", users_me());
  bot.api.on("/api/v4/users/ids", ScriptedResponse{500, {}, "{}"});  // names are cosmetic: ids then
  bot.api.enqueue(ScriptedResponse{503, {{"Content-Type", "application/json"}}, R"({"id":"app.unavailable"})"});
  bot.api.enqueue(post_list({post_of("post-1", "chat-acme", "pat", "@slabot-mm /open 1 DB down", stored + 1000)}));
  bot.start();

  auto socket = bot.next_socket();
  StreamBot::next_frame(*socket);
  socket->send(challenge_ok());
  socket->send(hello("conn-1"));
  // The fetch failed: the attempt ends, and the next one does not resume (a resume brings no
  // hello, so nothing would fetch again).
  CHECK(socket->wait_ended(patience()));
  socket = bot.next_socket();
  CHECK(socket->target() == "/api/v4/websocket");
  StreamBot::next_frame(*socket);
  socket->send(challenge_ok());
  socket->send(hello("conn-2"));
  REQUIRE(wait_for_replies(bot, "#1 opened", 1));
  CHECK(bot.store->find_ticket(1, "acme")->opened_by_name == "pat");

  const auto fetches = requests_to(bot, "/api/v4/channels/chat-acme/posts");
  REQUIRE(fetches.size() == 2);
  for (const auto& fetch : fetches) {
    CHECK(fetch.target == "/api/v4/channels/chat-acme/posts?since=" + std::to_string(stored - 60000));
  }
  CHECK(wait_for_post_time(bot, stored + 1000) == stored + 1000);
}
