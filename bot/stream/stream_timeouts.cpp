#include "bot/stream/stream_timeouts.hpp"

#include <chrono>

namespace slabot {
namespace {

// Telegram's stream is getUpdates over HTTPS: no socket that idles or takes frames.
bool polls(const Connection& connection) { return connection.adapter == "telegram"; }

std::chrono::milliseconds ms(Duration value) { return std::chrono::duration_cast<std::chrono::milliseconds>(value); }

}  // namespace

std::optional<StreamKeyProblem> misplaced_stream_key(const Connection& connection) {
  const StreamTimeouts& set = connection.stream;
  if (polls(connection)) {
    const char* socket_only = set.idle_timeout ? "idle_timeout" : set.write_timeout ? "write_timeout" : nullptr;
    if (socket_only) {
      return StreamKeyProblem{socket_only, "the " + connection.adapter +
                                               " adapter's stream polls getUpdates over HTTPS, with no socket to idle "
                                               "or write to; use poll_timeout and connect_timeout"};
    }
  } else if (set.poll_timeout) {
    return StreamKeyProblem{"poll_timeout", "only telegram polls; the " + connection.adapter +
                                                " adapter's stream is a WebSocket (use idle_timeout)"};
  }
  return std::nullopt;
}

WebSocketOptions websocket_options_for(const Connection& connection, WebSocketOptions defaults) {
  const StreamTimeouts& set = connection.stream;
  if (set.connect_timeout) defaults.connect_timeout = ms(*set.connect_timeout);
  if (set.idle_timeout) defaults.idle_timeout = ms(*set.idle_timeout);
  if (set.write_timeout) defaults.write_timeout = ms(*set.write_timeout);
  return defaults;
}

ReconnectSettings reconnect_settings_for(const Connection& connection, ReconnectSettings defaults) {
  if (connection.stream.max_retry) defaults.max_wait = ms(*connection.stream.max_retry);
  return defaults;
}

}  // namespace slabot
