#pragma once
// The inbound HTTP endpoint: platform webhooks and the health check. Beast and Asio stay in the
// .cpp files (pimpl), so including this header costs little.
//
//   GET  /healthz            200 {"status":"ok"} or 503 {"status":"unavailable"}
//   POST /hooks/<connection> verified and parsed by the connection's adapter, handed to the
//                            MessageHandler; answered with the adapter's sync reply, or 503 when
//                            the message could not be recorded (the platform retries).
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "adapters/chat_adapter.hpp"
#include "bot/message_handler.hpp"
#include "domain/clock.hpp"

namespace slabot {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0: let the system pick; start() returns the port
  std::size_t body_limit = 64 * 1024;
  // Deadline for reading one whole request (and for idling between keep-alive requests), and
  // for writing one answer: a slow or silent client is dropped, never waited on.
  std::chrono::seconds read_timeout{10};
  int threads = 1;
  // Open connections at most, idle keep-alive ones included. At the cap the server stops
  // accepting until one closes: further clients wait in the kernel's listen backlog (their
  // requests are served late, not refused), and no descriptor or buffer is spent on them.
  // 512 is half the usual soft limit on open files (1024, systemd's default too), leaving
  // descriptors for the database, the outbox's outbound connections and the logs, so the cap
  // is reached before accept fails for want of descriptors; it also bounds request buffers to
  // about 512 x body_limit (32 MiB by default). Webhook traffic needs far fewer. Must be >= 1.
  std::size_t max_connections = 512;
};

struct WebhookRoute {
  std::shared_ptr<const ChatAdapter> adapter;
};

class HttpServer {
 public:
  // `handler`, `clock` and `health_probe` must outlive the server. `health_probe` runs on the
  // server's threads, so it must be quick and must not block. Throws std::invalid_argument
  // when a route has no adapter or max_connections is 0.
  HttpServer(HttpServerOptions options, std::map<std::string, WebhookRoute> routes_by_connection,
             MessageHandler& handler, const Clock& clock, std::function<bool()> health_probe);
  ~HttpServer();  // stops

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the server's own threads; returns the bound port. Throws
  // std::runtime_error (bad address, address in use) or std::logic_error when called twice.
  unsigned short start();

  // Stops accepting and abandons open connections; idempotent. Must not be called from a
  // MessageHandler callback (it joins the server's threads).
  void stop();

  // Connections open now (accepted and not yet closed), for metrics and tests.
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot
