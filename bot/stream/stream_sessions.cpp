#include "bot/stream/stream_sessions.hpp"

#include <stdexcept>

#include "bot/stream/dingtalk_stream_session.hpp"
#include "bot/stream/slack_socket_session.hpp"

namespace slabot {

bool stream_session_implemented(const std::string& adapter) { return adapter == "dingtalk" || adapter == "slack"; }

std::string stream_not_implemented(const std::string& adapter) {
  return "the " + adapter + " adapter's stream mode is not implemented yet (stream mode runs for: dingtalk, slack); " +
         "use \"mode\": \"webhook\"";
}

std::unique_ptr<StreamSession> make_stream_session(const Connection& connection, StreamDependencies dependencies) {
  if (connection.adapter == "dingtalk") return std::make_unique<DingTalkStreamSession>(connection, dependencies);
  if (connection.adapter == "slack") return std::make_unique<SlackSocketSession>(connection, dependencies);
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
