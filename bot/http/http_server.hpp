#pragma once
// The inbound HTTP endpoint: platform webhooks and the health check. Beast and Asio stay in the
// .cpp files (pimpl), so including this header costs little.
//
//   GET, HEAD /metrics        200, the Prometheus text exposition of `metrics` (404 without one)
//   GET, HEAD /healthz        200 {"status":"ok"} or 503 {"status":"unavailable"}, from the last
//                             health probe (run on a thread of its own, never on the I/O threads),
//                             with "streams" when the server has stream connections to show
//   POST /hooks/<connection>  verified and parsed by the connection's adapter, handed to the
//                             MessageHandler; answered with the adapter's sync reply, or 503 when
//                             the message could not be recorded (the platform retries). GET only
//                             for an adapter that checks its URL with one (WeCom).
//   any other method          405 with Allow
//
// Connections, from accept to close:
//   accepted --first_request_timeout--> first request's header read --request_timeout (from its
//   first byte)--> request read --> handled --> answer written --idle_timeout--> next request...
// At max_connections, when a new client is waiting to be accepted, the connection idle the
// longest is closed to make room: a kept-alive one first, else one that has not sent anything
// yet. Connections in the middle of a request are never closed for room: if every connection is
// reading or handling one, new clients wait in the listen backlog until one ends or turns idle.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "adapters/chat_adapter.hpp"
#include "bot/message_handler.hpp"
#include "domain/clock.hpp"

namespace slabot {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0: let the system pick; start() returns the port
  std::size_t body_limit = 64 * 1024;
  // A new connection must send its first request's whole header within this, from its accept: a
  // client that connects and sends nothing (or trickles) holds a slot no longer than this.
  // Platforms send at once: Teams gives a bot 5 s, Slack 3 s for the whole exchange.
  std::chrono::milliseconds first_request_timeout{5000};
  // Reading one whole request (header and body), from its first byte; also writing one answer.
  // Bounds a client that trickles bytes (slow-loris).
  std::chrono::milliseconds request_timeout{10000};
  // How long a kept-alive connection may wait for its next request after an answer.
  std::chrono::milliseconds idle_timeout{10000};
  int threads = 1;
  // Open connections at most, idle ones included (see above for what happens at the cap).
  // 512 is half the usual soft limit on open files (1024, systemd's default too), leaving
  // descriptors for the database, the outbox's outbound connections and the logs, so the cap
  // is reached before accept fails for want of descriptors; it also bounds request buffers to
  // about 512 x body_limit (32 MiB by default). Webhook traffic needs far fewer. Must be >= 1.
  std::size_t max_connections = 512;
  // The health probe runs this often; /healthz says 503 when the last probe failed or finished
  // longer than health_stale_after ago (a probe that hangs: a stuck database).
  std::chrono::milliseconds health_every{1000};
  std::chrono::milliseconds health_stale_after{3000};
  // When set, /healthz also says how each stream connection is ({"streams": {name: {"state",
  // "detail", "reconnects"}}}), from memory; a stream that is down does not make it 503: the
  // webhooks, the clocks and the outbox still work, and the state says what is wrong.
  std::function<nlohmann::json()> health_streams;
};

class Metrics;

struct WebhookRoute {
  std::shared_ptr<const ChatAdapter> adapter;
};

class HttpServer {
 public:
  // `handler`, `clock`, `health_probe` and `metrics` (optional: it counts every answered request
  // and serves /metrics) must outlive the server. `health_probe` may block (it
  // asks the database): it runs on a thread of its own, every options.health_every. Throws
  // std::invalid_argument when a route has no adapter or max_connections is 0.
  HttpServer(HttpServerOptions options, std::map<std::string, WebhookRoute> routes_by_connection,
             MessageHandler& handler, const Clock& clock, std::function<bool()> health_probe,
             Metrics* metrics = nullptr);
  ~HttpServer();  // stops

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens, without accepting yet; returns the bound port. Clients that connect wait
  // in the backlog until start(). Throws std::system_error "cannot listen on <address>:<port>"
  // with the OS's reason as its code (address in use, not available) when the socket cannot be
  // had, std::runtime_error for a bad address. Done by start() when not done before.
  unsigned short listen();

  // listen() if not done yet, then starts accepting and the server's own threads; returns the
  // bound port. Waits (at most health_stale_after) for the first health probe. Throws as listen()
  // does, or std::logic_error when called twice.
  unsigned short start();

  // A graceful stop, as on SIGTERM: begin_shutdown(), wait_until_drained() for at most
  // `timeout`, then stop(). Returns how many connections were still open at the bound and so
  // abandoned (0: every request in hand was answered). Must not be called from a MessageHandler
  // callback.
  std::size_t shutdown(std::chrono::milliseconds timeout);

  // The parts of shutdown(), for a caller that also listens for a second signal. Stops accepting
  // (clients already queued in the listen backlog are still taken, up to the cap, and those that
  // sent nothing after a moment's grace are closed), closes every kept-alive connection waiting
  // for its next request, and from now on answers with `Connection: close` and closes. Requests
  // being read or handled go on, under their deadlines. Returns at once; idempotent.
  void begin_shutdown();
  // Blocks until no connection is open, or until `deadline`; true when none is.
  bool wait_until_drained(std::chrono::steady_clock::time_point deadline);

  // Stops at once: connections still open are abandoned (reset), and their number logged.
  // Idempotent. Must not be called from a MessageHandler callback (it joins the server's threads).
  void stop();

  // The webhook routes from the next request on (a config reload: rotated secrets, a connection
  // added or removed); requests in hand finish with the adapter they began with. Throws
  // std::invalid_argument, changing nothing, when a route has no adapter. Thread-safe.
  void replace_routes(std::map<std::string, WebhookRoute> routes_by_connection);

  // Connections open now (accepted and not yet closed), for metrics and tests.
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot
