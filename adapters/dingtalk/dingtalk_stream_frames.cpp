#include "adapters/dingtalk/dingtalk_stream_frames.hpp"

#include <nlohmann/json.hpp>

#include "adapters/wire.hpp"
#include "adapters/wire/percent.hpp"

namespace slabot {
namespace {

using nlohmann::json;

std::string string_member(const json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end()) return "";
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer()) return std::to_string(found->get<std::int64_t>());
  return "";
}

std::string answer_frame(const DingTalkFrame& frame, const std::string& data) {
  return dump_json({{"code", 200},
                    {"headers", {{"contentType", "application/json"}, {"messageId", frame.message_id}}},
                    {"message", "OK"},
                    {"data", data}});
}

}  // namespace

std::string dingtalk_open_body(const std::string& client_id, const std::string& client_secret,
                               const std::string& user_agent) {
  return dump_json({{"clientId", client_id},
                    {"clientSecret", client_secret},
                    {"subscriptions", json::array({{{"type", "CALLBACK"}, {"topic", dingtalk_robot_topic}}})},
                    {"ua", user_agent}});
}

std::variant<std::string, DingTalkOpenRefused> dingtalk_socket_url(const HttpResponse& answer) {
  const json body = parse_json(answer.body);
  if (answer.status != 200) {
    // DingTalk's errors: {"code":"...","message":"..."}; the message never holds the secret.
    std::string said;
    if (body.is_object()) {
      const std::string code = string_member(body, "code");
      const std::string message = string_member(body, "message");
      if (!code.empty() || !message.empty()) said = ": " + code + (message.empty() ? "" : " " + message);
    }
    if (answer.status == 0) return DingTalkOpenRefused{false, "no answer: " + answer.body};
    const bool credentials = answer.status == 400 || answer.status == 401 || answer.status == 403;
    return DingTalkOpenRefused{credentials, "HTTP " + std::to_string(answer.status) + said};
  }
  if (!body.is_object()) return DingTalkOpenRefused{false, "the open answer is not a JSON object"};
  const std::string endpoint = string_member(body, "endpoint");
  const std::string ticket = string_member(body, "ticket");
  if (!endpoint.starts_with("wss://") || ticket.empty()) {
    return DingTalkOpenRefused{false, "the open answer has no wss:// endpoint and ticket"};
  }
  // The ticket is opaque: percent-encoded for the query.
  const std::string url =
      endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") + "ticket=" + percent_encode(ticket);
  return url;
}

std::optional<DingTalkFrame> read_dingtalk_frame(const std::string& text, std::string& error) {
  const json body = parse_json(text);
  if (!body.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  DingTalkFrame frame;
  frame.type = string_member(body, "type");
  const auto headers = body.find("headers");
  if (headers != body.end() && headers->is_object()) {
    frame.topic = string_member(*headers, "topic");
    frame.message_id = string_member(*headers, "messageId");
    frame.time = string_member(*headers, "time");
  }
  const auto data = body.find("data");
  if (data != body.end() && data->is_string()) frame.data = data->get<std::string>();
  if (frame.type.empty() || frame.message_id.empty()) {
    error = "a frame without type or headers.messageId";
    return std::nullopt;
  }
  return frame;
}

std::string dingtalk_ack(const DingTalkFrame& frame) { return answer_frame(frame, R"({"response":null})"); }

std::string dingtalk_pong(const DingTalkFrame& frame) { return answer_frame(frame, frame.data); }

HttpRequest dingtalk_robot_callback(const DingTalkFrame& frame) {
  HttpRequest request;
  request.method = "POST";
  request.body = frame.data;
  if (!frame.time.empty()) request.headers["timestamp"] = frame.time;
  return request;
}

}  // namespace slabot
