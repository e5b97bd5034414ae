#include "bot/stream/lark_stream_session.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <string_view>

#include "adapters/lark/lark_ws_endpoint.hpp"
#include "adapters/registry.hpp"
#include "adapters/wire/secrets.hpp"
#include "adapters/wire/stream_base.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

// The SDK's PingInterval until Lark says otherwise (ws/client.go NewClient: 2 minutes).
constexpr std::chrono::seconds default_ping_every{120};

// The refusals the SDKs do not retry (ws/client.go: codeForbidden, codeExceedConnLimit).
constexpr std::string_view handshake_forbidden = "403";
constexpr std::string_view handshake_exceed_conn_limit = "1000040350";

// A header of Lark's refusal as it may go in a log line: its own words, without control
// characters, at most 200 bytes (it is the platform's text, not ours).
std::string loggable(const std::map<std::string, std::string>& headers, const std::string& name) {
  const auto found = headers.find(name);
  if (found == headers.end()) return {};
  std::string out = shorten_for_log(found->second, 200);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

}  // namespace

LarkStreamSession::LarkStreamSession(const Connection& connection, StreamDependencies dependencies)
    : WebSocketSession(connection.name, dependencies),
      app_id_(required_secret(connection, "lark", "app_id")),
      app_secret_(required_secret(connection, "lark", "app_secret")),
      api_base_(stream_api_base(connection, lark_open_platform)),
      adapter_(make_adapter(connection)) {}

LarkStreamSession::~LarkStreamSession() = default;

std::variant<std::string, SessionEnd> LarkStreamSession::open() {
  const auto answer = call(lark_endpoint_request(api_base_, app_id_, app_secret_));
  if (!answer) return end(SessionEnd::Kind::stopped, "stopped");
  auto endpoint = read_lark_endpoint(*answer);
  if (auto* refused = std::get_if<LarkEndpointRefused>(&endpoint)) {
    return open_failed(refused->credentials, "asking for the endpoint: " + refused->reason, *answer);
  }
  auto& opened = std::get<LarkEndpoint>(endpoint);
  if (!opened.device_id.empty()) spdlog::info("stream {}: Lark connection {}", connection_name(), opened.device_id);
  service_id_ = opened.service_id;
  // A message split across the last connection is pushed again whole, unacknowledged as it was.
  fragments_.clear();
  heartbeat(lark_ping(service_id_), opened.ping_every.value_or(default_ping_every));
  return std::move(opened.url);
}

std::optional<SessionEnd> LarkStreamSession::on_refused_upgrade(const WebSocketResult& result) {
  const std::string status = loggable(result.headers, "handshake-status");
  const std::string message = loggable(result.headers, "handshake-msg");
  const std::string auth_code = loggable(result.headers, "handshake-autherrcode");
  if (status.empty() && message.empty() && auth_code.empty()) return std::nullopt;  // not Lark's words
  std::string reason = "Lark refused the connection (HTTP " + std::to_string(result.status) +
                       (status.empty() ? "" : ", Handshake-Status " + status) +
                       (auth_code.empty() ? "" : ", Handshake-Autherrcode " + auth_code) + ")";
  if (!message.empty()) reason += ": " + message;
  const bool over_limit = auth_code == handshake_exceed_conn_limit;
  if (over_limit) reason += "; the app has as many connections as Lark allows: another client uses this app_id";
  const bool operators = over_limit || status == handshake_forbidden;
  return end(operators ? SessionEnd::Kind::refused : SessionEnd::Kind::dropped, std::move(reason));
}

std::optional<SessionEnd> LarkStreamSession::on_frame(const std::string& bytes) {
  std::string error;
  const auto frame = read_lark_frame(bytes, error);
  if (!frame) {
    // Nothing to acknowledge without a frame; the socket is still good.
    spdlog::warn("stream {}: frame ignored: {}", connection_name(), error);
    return std::nullopt;
  }
  if (frame->method == lark_data_frame) return data_frame(*frame);
  if (frame->method == lark_control_frame && frame->header("type") == "pong") {
    // The pong may carry the ClientConfig to use from now on: its PingInterval is the heartbeat's.
    if (const auto every = lark_ping_interval(frame->payload)) heartbeat(lark_ping(service_id_), *every);
    return std::nullopt;
  }
  // A ping from Lark, or a frame of a kind the SDKs do not know: answered by none.
  spdlog::debug("stream {}: control frame '{}' ignored", connection_name(), frame->header("type"));
  return std::nullopt;
}

std::optional<SessionEnd> LarkStreamSession::data_frame(const LarkFrame& frame) {
  const auto started = std::chrono::steady_clock::now();
  auto added = fragments_.add(frame);
  if (!added.error.empty()) {
    // As the SDK (which panics on a bad seq and recovers): dropped unanswered.
    spdlog::warn("stream {}: data frame {} dropped: {}", connection_name(), frame.header("message_id"), added.error);
    return std::nullopt;
  }
  if (!added.payload) return std::nullopt;  // a part; the one that completes the message is answered
  const auto ack = [&](const std::optional<HttpAnswer>& answer) {
    const auto handled_in =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return send_binary(lark_ack(frame, handled_in, answer ? std::optional(answer->body) : std::nullopt));
  };
  // Events come as frames of type "event"; callbacks (card.action.trigger, a tap on one of
  // slabot's buttons) as "card", or as "event" from older gateways: both are the webhook's body,
  // and a tap's answer (the toast, the card replaced by its text) goes back in the ack.
  const std::string type = frame.header("type");
  if (type != "event" && type != "card") {
    spdlog::debug("stream {}: data frame of type '{}' acknowledged unread", connection_name(), type);
    return ack(std::nullopt);
  }
  HttpRequest callback;
  callback.method = "POST";
  callback.headers["content-type"] = "application/json";
  callback.body = std::move(*added.payload);
  return record_and_answer(*adapter_, callback, frame.header("message_id"), ack);
}

}  // namespace slabot
