#pragma once
// A WebSocket server over TLS on loopback, standing in for a platform's stream gateway (DingTalk
// Stream mode, Slack Socket Mode, Mattermost, Lark's long connection) in tests: it accepts or refuses each upgrade as
// the test says, and hands every accepted socket to the test, which plays the platform's side frame by frame (push a
// message, wait for its ack, ping, send disconnect, drop the TCP connection). The platform's open call is a
// FakeHttpsPeer. Its own thread; Beast stays in the .cpp.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/test_ca.hpp"

namespace slabot::testing {

// One client connection, as the gateway holds it. Thread-safe.
class GatewaySocket {
 public:
  virtual ~GatewaySocket() = default;
  virtual const std::string& target() const = 0;  // the upgrade's path and query
  virtual void send(const std::string& text) = 0;
  // A binary message (Lark's protobuf frames).
  virtual void send_binary(const std::string& bytes) = 0;
  // The next message the client sent, or nullopt when none came within `timeout` (or it closed).
  virtual std::optional<std::string> receive(std::chrono::milliseconds timeout) = 0;
  // A WebSocket close frame (normal closure).
  virtual void close() = 0;
  // The TCP connection cut, with no close frame: a network failure as the client sees it.
  virtual void drop() = 0;
  // True once the connection has ended (either side), false after `timeout`.
  virtual bool wait_ended(std::chrono::milliseconds timeout) = 0;
  // How many of the gateway's other sockets were still open when this one's upgrade request
  // arrived: 1 when a client opened it before closing the one it had (make-before-break).
  virtual std::size_t others_open_at_upgrade() const = 0;
  // Pings the client sent that Beast answered (a heartbeat), so far.
  virtual std::size_t pings_received() const = 0;
  // Messages the client sent as text (not binary), so far.
  virtual std::size_t text_messages_received() const = 0;
};

class FakeWebSocketGateway {
 public:
  explicit FakeWebSocketGateway(TestCertificate certificate);
  ~FakeWebSocketGateway();
  FakeWebSocketGateway(const FakeWebSocketGateway&) = delete;
  FakeWebSocketGateway& operator=(const FakeWebSocketGateway&) = delete;

  unsigned short port() const;
  // "wss://127.0.0.1:<port><path>".
  std::string url(const std::string& path) const;

  // Decides each upgrade from its target: 0 accepts, an HTTP status refuses with that status.
  // Unset: every upgrade is accepted.
  void on_upgrade(std::function<int(const std::string& target)> decide);
  // The headers a refusal carries, decided from its target (Lark's Handshake-Status and the like).
  void refusal_headers(std::function<std::map<std::string, std::string>(const std::string& target)> headers);
  // From now on, accepted sockets are never read: the client's pings go unanswered (Beast pongs
  // only while reading), as a peer that hangs. Messages sent to them are still written.
  void stop_reading_new_sockets();
  // Every upgrade's target, accepted or not, in order.
  std::vector<std::string> upgrade_targets() const;

  // The next accepted socket, in order of acceptance; null when none came within `timeout`.
  std::shared_ptr<GatewaySocket> next_socket(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot::testing
