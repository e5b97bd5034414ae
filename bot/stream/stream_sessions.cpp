#include "bot/stream/stream_sessions.hpp"

#include <stdexcept>

#include "adapters/slack/slack_buttons.hpp"
#include "bot/stream/dingtalk_stream_session.hpp"
#include "bot/stream/lark_stream_session.hpp"
#include "bot/stream/mattermost_socket_session.hpp"
#include "bot/stream/slack_socket_session.hpp"
#include "bot/stream/stream_timeouts.hpp"
#include "bot/stream/telegram_session.hpp"

namespace slabot {

bool stream_session_implemented(const std::string& adapter) {
  return adapter == "dingtalk" || adapter == "lark" || adapter == "mattermost" || adapter == "slack" ||
         adapter == "telegram";
}

std::string stream_not_implemented(const std::string& adapter) {
  return "the " + adapter +
         " adapter's stream mode is not implemented yet (stream mode runs for: dingtalk, lark, mattermost, slack, "
         "telegram); " +
         "use \"mode\": \"webhook\"";
}

std::optional<InboundMessage> slack_socket_tap(const std::string&, const std::string& payload_json) {
  auto tap = slack_tap_from(payload_json);
  if (auto* message = std::get_if<InboundMessage>(&tap)) return std::move(*message);
  return std::nullopt;  // not one of slabot's buttons: acknowledged, ignored
}

std::unique_ptr<StreamSession> make_stream_session(const Connection& connection, StreamDependencies dependencies) {
  dependencies.websocket = websocket_options_for(connection, dependencies.websocket);
  if (connection.adapter == "dingtalk") return std::make_unique<DingTalkStreamSession>(connection, dependencies);
  if (connection.adapter == "lark") return std::make_unique<LarkStreamSession>(connection, dependencies);
  if (connection.adapter == "mattermost") return std::make_unique<MattermostSocketSession>(connection, dependencies);
  if (connection.adapter == "slack") {
    // A button tap through the socket reads as one through the interactivity Request URL.
    if (!dependencies.interactive) dependencies.interactive = slack_socket_tap;
    return std::make_unique<SlackSocketSession>(connection, dependencies);
  }
  if (connection.adapter == "telegram") {
    // Long polling over HTTPS rather than a socket; the same proxy and CA settings.
    if (dependencies.store == nullptr || dependencies.clock == nullptr) {
      throw std::invalid_argument("telegram polling needs the store for its offset");
    }
    TelegramSessionOptions options;
    options.http.ca_file = dependencies.websocket.ca_file;
    options.http.https_proxy = dependencies.websocket.https_proxy;
    options.http.no_proxy = dependencies.websocket.no_proxy;
    if (connection.stream.connect_timeout) options.http.connect_timeout = dependencies.websocket.connect_timeout;
    if (connection.stream.poll_timeout) {
      options.poll_timeout = std::chrono::duration_cast<std::chrono::seconds>(*connection.stream.poll_timeout);
    }
    return std::make_unique<TelegramSession>(connection, dependencies.handler, *dependencies.store, *dependencies.clock,
                                             std::move(options));
  }
  throw std::invalid_argument(stream_not_implemented(connection.adapter));
}

StreamSessionsOrProblem make_stream_sessions(const Config& config, StreamDependencies dependencies) {
  StreamSessionsOrProblem out;
  for (const auto& connection : config.connections) {
    if (connection.mode != ConnectionMode::stream) continue;
    try {
      out.sessions.push_back(make_stream_session(connection, dependencies));
    } catch (const std::exception& e) {
      // The adapters' and the session's messages name secrets, never their values.
      out.problem = "connection '" + connection.name + "': " + e.what();
      out.sessions.clear();
      return out;
    }
  }
  return out;
}

}  // namespace slabot
