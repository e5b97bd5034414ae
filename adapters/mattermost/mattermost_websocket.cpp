#include "adapters/mattermost/mattermost_websocket.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/mattermost/mattermost_post.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/percent.hpp"

namespace slabot {

using nlohmann::json;

std::string mattermost_server_base(const std::string& stream_url) {
  if (!stream_url.starts_with("https://")) {
    throw std::invalid_argument(
        "mattermost stream mode needs \"stream_url\": the server's https:// address (https://chat.example.com)");
  }
  std::string base = stream_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

OutboundRequest mattermost_users_me(const std::string& server, const std::string& token) {
  OutboundRequest request;
  request.method = "GET";
  request.url = server + "/api/v4/users/me";
  request.headers["Authorization"] = "Bearer " + token;
  request.headers["Accept"] = "application/json";
  return request;
}

std::variant<MattermostBot, MattermostOpenRefused> mattermost_bot_of(const HttpResponse& answer) {
  if (answer.status == 0) return MattermostOpenRefused{false, "no answer: " + answer.body};
  const json body = parse_json(answer.body);
  if (answer.status != 200) {
    // An AppError names what went wrong: api.context.session_expired.app_error, ...
    const std::string id = json_string(body, "id");
    return MattermostOpenRefused{answer.status == 401 || answer.status == 403,
                                 "HTTP " + std::to_string(answer.status) + (id.empty() ? "" : " " + id)};
  }
  MattermostBot bot{json_string(body, "id"), json_string(body, "username")};
  if (bot.user_id.empty()) return MattermostOpenRefused{false, "users/me answered without an id"};
  return bot;
}

std::string mattermost_socket_url(const std::string& server, const std::string& connection_id,
                                  std::int64_t next_sequence) {
  std::string url = "wss://" + server.substr(server.find("://") + 3) + mattermost_websocket_path;
  // The server closes a socket that names a connection without a sequence number: both or none.
  if (!connection_id.empty()) {
    url += "?connection_id=" + percent_encode(connection_id) + "&sequence_number=" + std::to_string(next_sequence);
  }
  return url;
}

std::string mattermost_authentication_challenge(const std::string& token) {
  return dump_json({{"seq", 1}, {"action", "authentication_challenge"}, {"data", {{"token", token}}}});
}

namespace {

std::int64_t integer_or_zero(const json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0;
}

std::optional<MattermostPost> post_of(const json& data) {
  // data.post is the post as JSON text (post.ToJson() in the server), not an object.
  auto post = mattermost_post_from(parse_json(json_string(data, "post")));
  if (post) post->sender_name = json_string(data, "sender_name");
  return post;
}

}  // namespace

std::optional<MattermostPost> mattermost_post_from(const json& post) {
  if (!post.is_object() || json_string(post, "id").empty()) return std::nullopt;
  MattermostPost out{json_string(post, "id"),      json_string(post, "channel_id"), json_string(post, "user_id"),
                     json_string(post, "message"), json_string(post, "type"),       ""};
  out.root_id = json_string(post, "root_id");
  out.create_at = integer_or_zero(post, "create_at");
  out.delete_at = integer_or_zero(post, "delete_at");
  return out;
}

std::optional<MattermostFrame> read_mattermost_frame(const std::string& text, std::string& error) {
  const json body = parse_json(text);
  if (!body.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  MattermostFrame frame;
  frame.event = json_string(body, "event");
  const auto seq = body.find("seq");
  if (seq != body.end() && seq->is_number_integer()) frame.seq = seq->get<std::int64_t>();
  frame.status = json_string(body, "status");
  const auto failure = body.find("error");
  if (failure != body.end()) {
    frame.error = json_string(*failure, "id");
    if (frame.error.empty()) frame.error = json_string(*failure, "message");
  }
  const auto data = body.find("data");
  const json empty = json::object();
  const json& fields = data != body.end() && data->is_object() ? *data : empty;
  if (frame.event == "hello") {
    frame.connection_id = json_string(fields, "connection_id");
    const auto broadcast = body.find("broadcast");
    if (broadcast != body.end()) frame.broadcast_user_id = json_string(*broadcast, "user_id");
  } else if (frame.event == "posted") {
    frame.post = post_of(fields);
  }
  return frame;
}

std::optional<InboundMessage> mattermost_message_of(const MattermostPost& post, const MattermostBot& bot) {
  if (post.user_id.empty() || post.user_id == bot.user_id || !post.type.empty() || post.channel_id.empty()) {
    return std::nullopt;
  }
  InboundMessage message;
  message.platform = "mattermost";
  message.event_id = post.id;
  message.chat_id = post.channel_id;
  message.user_id = post.user_id;
  std::string_view name = post.sender_name;
  if (name.starts_with('@')) name.remove_prefix(1);
  message.user_name = name.empty() ? post.user_id : std::string(name);
  message.text = post.message;
  // "@<bot> /ack 12" is how a post reaches the bot: Mattermost takes a leading "/" for one of its
  // own slash commands, so the mention goes first, and the parser skips the bot's own handle.
  message.bot_name = bot.username;
  // The answer lands in the thread: the one the post is in, or the one it starts.
  message.thread_id = post.root_id.empty() ? post.id : post.root_id;
  return message;
}

}  // namespace slabot
