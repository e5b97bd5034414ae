#pragma once
// A WebSocket client over TLS for the stream connections (wss:// only: every platform's gateway
// is), through the same HTTPS proxy (CONNECT) and CA settings as the HTTP client
// (bot/http/client/outbound_setup). Its calls block the calling thread, one at a time: a
// session reads a frame, handles it, answers it, reads the next. Beast and Asio stay in the .cpp.
//
// Heartbeats: while a read waits, a ping goes out after idle_timeout / 2 of silence, and the
// connection counts as dead (timed_out) when nothing at all, not even a pong, came for
// idle_timeout. Pings from the peer are answered by Beast during reads. A platform that wants a
// heartbeat of its own in a message (Lark's ping frame) sets one: sent while reads wait.
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

namespace slabot {

struct WebSocketOptions {
  // Resolving, connecting, the proxy's CONNECT, the TLS handshake and the upgrade, each.
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds write_timeout{10000};
  std::size_t max_message_bytes = 1 << 20;
  std::string ca_file;      // PEM trust anchors; empty: the system trust store
  std::string https_proxy;  // empty: https_proxy / HTTPS_PROXY from the environment
  std::string no_proxy;     // empty: no_proxy / NO_PROXY
  std::string user_agent = "slabot";
};

struct WebSocketResult {
  enum class Kind {
    ok,
    failed,     // could not connect, TLS, the connection was lost
    refused,    // the upgrade was answered with an HTTP status (a bad or stale ticket): `status`
    closed,     // the peer closed the WebSocket (a close frame); `text` has its reason
    timed_out,  // a step passed its deadline, or the peer went silent for idle_timeout
    stopped,    // stop() was called
  };
  Kind kind = Kind::ok;
  std::string text;  // what happened, in words, for the log; never a secret (no query strings)
  int status = 0;    // refused: the HTTP status of the answer to the upgrade
  // refused: the answer's headers, names in lower case, where a platform says why (Lark's
  // Handshake-Status, Handshake-Msg, Handshake-Autherrcode).
  std::map<std::string, std::string> headers;
  bool ok() const { return kind == Kind::ok; }
};

class WebSocketClient {
 public:
  // Throws std::runtime_error when ca_file cannot be loaded or the proxy setting is unusable.
  explicit WebSocketClient(WebSocketOptions options);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Opens `url` (wss://host[:port]/path?query), replacing any connection before.
  WebSocketResult connect(const std::string& url);
  // The next message (text or binary), into `message`.
  WebSocketResult read(std::string& message);
  // One text message.
  WebSocketResult write(const std::string& message);
  // One binary message.
  WebSocketResult write_binary(const std::string& message);
  // From the next read on, `message` goes out as a binary message while reads wait: the first at
  // the first read after connect(), then every `every` (measured from the last one sent). An
  // empty message stops it. A failed heartbeat write ends the read waiting (Kind::failed).
  void heartbeat(std::string message, std::chrono::milliseconds every);
  // Sends a close frame and waits briefly for the peer's; then drops the connection.
  void close();
  // From any thread: ends the call in progress and every later one with Kind::stopped.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "wss://host:port/path" without the query (which carries tickets): for logs.
std::string loggable_url(const std::string& url);

}  // namespace slabot
