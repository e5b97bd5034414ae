#include "adapters/slack/socket_mode_frames.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "adapters/wire.hpp"
#include "adapters/wire/percent.hpp"

namespace slabot {

using nlohmann::json;

OutboundRequest slack_connections_open(const std::string& api_base, const std::string& app_token) {
  OutboundRequest request;
  request.method = "POST";
  request.url = api_base + slack_open_path;
  request.headers["Authorization"] = "Bearer " + app_token;
  request.headers["Content-Type"] = "application/x-www-form-urlencoded";
  return request;
}

std::variant<std::string, SlackOpenRefused> slack_socket_url(const HttpResponse& answer) {
  if (answer.status == 0) return SlackOpenRefused{false, "no answer: " + answer.body};
  const json body = parse_json(answer.body);
  if (answer.status != 200 || !body.is_object()) {
    return SlackOpenRefused{answer.status == 401 || answer.status == 403, "HTTP " + std::to_string(answer.status)};
  }
  const auto ok = body.find("ok");
  const auto url = body.find("url");
  if (ok != body.end() && *ok == true && url != body.end() && url->is_string() &&
      url->get_ref<const std::string&>().starts_with("wss://")) {
    return url->get<std::string>();
  }
  const auto error = body.find("error");
  const std::string code = error != body.end() && error->is_string() ? error->get<std::string>() : "no wss:// url";
  // The token's errors (Web API "errors" of apps.connections.open and of every method).
  static const std::set<std::string> token_errors{"invalid_auth",  "not_authed",    "account_inactive",
                                                  "token_revoked", "token_expired", "not_allowed_token_type",
                                                  "missing_scope", "no_permission"};
  return SlackOpenRefused{token_errors.contains(code), code};
}

std::optional<SocketModeFrame> read_socket_mode_frame(const std::string& text, std::string& error) {
  const json body = parse_json(text);
  if (!body.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  SocketModeFrame frame;
  const auto string_of = [&body](const char* name) {
    const auto found = body.find(name);
    return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  frame.type = string_of("type");
  frame.envelope_id = string_of("envelope_id");
  frame.reason = string_of("reason");
  const auto payload = body.find("payload");
  frame.payload = payload != body.end() && payload->is_object() ? dump_json(*payload) : "{}";
  const auto accepts = body.find("accepts_response_payload");
  frame.accepts_response_payload = accepts != body.end() && *accepts == true;
  if (frame.type.empty()) {
    error = "a frame without type";
    return std::nullopt;
  }
  return frame;
}

std::string socket_mode_ack(const std::string& envelope_id, const std::string& payload) {
  json ack = {{"envelope_id", envelope_id}};
  if (!payload.empty()) {
    const json parsed = parse_json(payload);
    if (parsed.is_object()) ack["payload"] = parsed;
  }
  return dump_json(ack);
}

HttpRequest slash_command_request(const SocketModeFrame& frame) {
  HttpRequest request;
  request.method = "POST";
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  const json payload = parse_json(frame.payload);
  if (!payload.is_object()) return request;
  for (const auto& [name, value] : payload.items()) {
    if (!value.is_string()) continue;  // the form's fields are all text
    request.body += (request.body.empty() ? "" : "&") + percent_encode(name) + "=" +
                    percent_encode(value.get_ref<const std::string&>());
  }
  return request;
}

}  // namespace slabot
