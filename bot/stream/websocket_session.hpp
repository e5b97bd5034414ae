#pragma once
// What DingTalk Stream mode and Slack Socket Mode share: an attempt opens the platform's socket
// (a REST call that returns a wss:// URL), then reads frames one by one until the socket ends,
// answering each; messages go to the MessageHandler (dispatcher, dedup, outbox) exactly as
// webhook messages do. A platform's session says only how to open and what a frame means.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "adapters/chat_adapter.hpp"
#include "adapters/http_types.hpp"
#include "bot/http/http_client.hpp"
#include "bot/message_handler.hpp"
#include "bot/stream/stream_session.hpp"
#include "bot/stream/websocket_client.hpp"
#include "config/config.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

class LiveConfig;

// What an interactive payload (a button tap: Slack's `interactive` envelope, as JSON text) on
// connection `connection` becomes: a message for the dispatcher, or none (acknowledged, ignored).
using InteractiveHook =
    std::function<std::optional<InboundMessage>(const std::string& connection, const std::string& payload_json)>;

// What every stream session is given: the HTTP client for the open call, the handler messages
// go to, the WebSocket settings (CA, proxy, timeouts), and what button taps become (unset: taps
// are acknowledged and ignored). Must outlive the sessions.
struct StreamDependencies {
  HttpClient& http;
  MessageHandler& handler;
  WebSocketOptions websocket;
  InteractiveHook interactive = {};
  // For sessions that keep a cursor in the database (Telegram's getUpdates offset); both must
  // outlive the session. Without them such a session cannot be made.
  Store* store = nullptr;
  const Clock* clock = nullptr;
  // The config as it is now (reloads included), for sessions that act on the channels listed for
  // their connection (Mattermost fetches back what each missed); must outlive the session.
  const LiveConfig* config = nullptr;
};

class WebSocketSession : public StreamSession {
 public:
  // Throws std::runtime_error as WebSocketClient does (bad ca_file or proxy): at start.
  WebSocketSession(std::string connection_name, StreamDependencies dependencies);

  const std::string& connection_name() const override { return name_; }
  SessionEnd run_once(StreamReport& report) final;
  void stop() final;

 protected:
  // The platform's open call: the socket's URL, or how the attempt ends (refused credentials,
  // a platform error, a rate limit with its retry_after).
  virtual std::variant<std::string, SessionEnd> open() = 0;
  // True when the socket is live as soon as it opens (DingTalk); false when the platform says
  // so in a frame (Slack's hello), and the session calls went_live().
  virtual bool live_on_connect() const = 0;
  // Right after the socket opened, before the first read: the platform's first frame from the
  // client (Mattermost's authentication_challenge); an end when the attempt should end there.
  virtual std::optional<SessionEnd> on_connected() { return std::nullopt; }
  // An upgrade the platform refused, for a platform that says why in the answer (its headers):
  // how the session ends then; nullopt ends it as any failed connection does (dropped).
  virtual std::optional<SessionEnd> on_refused_upgrade(const WebSocketResult&) { return std::nullopt; }
  // One frame from the platform; an end when the attempt should end there.
  virtual std::optional<SessionEnd> on_frame(const std::string& text) = 0;

  // For on_frame: writes a frame; an end when the write failed.
  std::optional<SessionEnd> send(const std::string& text);
  // The same for a binary frame (Lark's protobuf frames).
  std::optional<SessionEnd> send_binary(const std::string& bytes);
  // A heartbeat of the platform's own, sent while reads wait (WebSocketClient::heartbeat): set in
  // open() it starts at the first read; set again (a new interval), it counts from the last one.
  void heartbeat(std::string message, std::chrono::milliseconds every);
  // Marks the attempt live (the supervisor then resets its backoff).
  void went_live();
  // For on_frame, when the platform asks the client to move (Slack's refresh): opens a fresh
  // socket (the open call again) while the current one is still open, then closes the current
  // one and reads on from the fresh one. An end (dropped, reconnect_now) when that failed.
  std::optional<SessionEnd> move_to_fresh_socket();
  // The open call, waited for; nullopt when stop() came first.
  std::optional<HttpResponse> call(OutboundRequest request);
  // Hands a message to the handler and waits until what it changed is durable; nullopt when
  // stop() came first (the message is then answered by no ack: the platform sends it again).
  std::optional<BotReply> handle(InboundMessage message);
  // A callback the platform pushed (DingTalk's robot message, Lark's event): parsed as `adapter`
  // parses a webhook's, each message (connection, platform and reply route filled in) handed to
  // the handler and waited for, then acknowledged by `ack` (the platform's answer frame, written).
  // A callback the adapter refuses is acknowledged too (pushed again it would be refused again);
  // one with a message that could not be recorded is not, so the platform pushes it again. `id`
  // names it in logs. An end when stop() came first or the ack's write failed.
  std::optional<SessionEnd> record_and_ack(const ChatAdapter& adapter, const HttpRequest& callback, std::string_view id,
                                           const std::function<std::optional<SessionEnd>()>& ack);
  // The same, for platforms whose ack carries a callback's answer (Lark's card taps): `ack` gets
  // the adapter's synchronous answer when the callback was a tap (its toast and card, from the
  // tap's reply), nullopt otherwise.
  std::optional<SessionEnd> record_and_answer(
      const ChatAdapter& adapter, const HttpRequest& callback, std::string_view id,
      const std::function<std::optional<SessionEnd>(const std::optional<HttpAnswer>&)>& ack);
  // The pieces of those two, for a platform whose frames need more (Slack's envelopes).
  // `callback` parsed as `adapter` parses a webhook's: its messages, or nullopt when the adapter
  // refused it (logged, with `id`).
  std::optional<std::vector<InboundMessage>> parse_callback(const ChatAdapter& adapter, const HttpRequest& callback,
                                                            std::string_view id) const;
  // Each message (connection and platform filled in, its answer through the outbox when
  // `via_outbox` says so) handed to the handler and waited for, in order: all their replies, or
  // how it stopped short: stop() came first, or a message was not recorded (logged; the platform
  // is to push the callback again, and dedup absorbs what did get through).
  struct Recorded {
    enum class Kind { all, stopped, not_recorded };
    Kind kind = Kind::all;
    std::vector<BotReply> replies;
  };
  Recorded record(const ChatAdapter& adapter, std::vector<InboundMessage> messages,
                  const std::function<bool(const InboundMessage&)>& via_outbox);
  bool stopping() const { return stopping_; }
  const StreamDependencies& dependencies() const { return dependencies_; }
  // An end of this attempt (was_live filled in).
  SessionEnd end(SessionEnd::Kind kind, std::string reason) const;
  // The end of an attempt whose open call failed: refused when the platform refused the
  // credentials, else dropped; a wait the answer asked for (Retry-After) kept.
  SessionEnd open_failed(bool credentials, std::string reason, const HttpResponse& answer) const;

 private:
  const std::string name_;
  StreamDependencies dependencies_;
  // Two clients, so a fresh socket can open before the current one closes; reads and writes
  // go to *current_.
  WebSocketClient first_;
  WebSocketClient second_;
  WebSocketClient* current_ = &first_;
  // A write's result as on_frame returns it.
  std::optional<SessionEnd> written(const WebSocketResult& result) const;

  std::atomic<bool> stopping_{false};
  StreamReport* report_ = nullptr;  // during run_once
  bool live_ = false;               // this attempt went live
};

// The end a WebSocket failure makes: stopped, or dropped with the failure in words.
SessionEnd websocket_end(const WebSocketResult& result, std::string_view doing);

// The wait an HTTP 429 (or 503) asked for in Retry-After (seconds), else zero.
std::chrono::milliseconds retry_after_of(const HttpResponse& response);

}  // namespace slabot
