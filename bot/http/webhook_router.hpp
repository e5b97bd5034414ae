#pragma once
// Private to bot/http: the answer to one request, whatever transport carried it. The server
// reads and writes bytes; this decides what they mean.
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "adapters/http_types.hpp"
#include "bot/http/http_server.hpp"
#include "bot/metrics/metrics.hpp"

namespace slabot {

// A short JSON error body for `status`. Why a request failed goes to the log, not to the caller.
HttpAnswer error_answer(int status);

// What the server writes back: the answer, and with a 405 the methods the path does take (the
// Allow header, which RFC 9110 15.5.6 requires on a 405).
struct RoutedAnswer {
  HttpAnswer answer;
  std::string allow;
};

class WebhookRouter {
 public:
  // `event_loop` owns the io_context the answering coroutines run on. A MessageHandler may call
  // `done` after the server stopped; holding the loop until then keeps that call harmless.
  // `healthy` runs on the I/O thread: it must answer from memory (see HealthWatch). `metrics`,
  // when given, counts every answer and is served at /metrics (rendered from memory too).
  WebhookRouter(std::map<std::string, WebhookRoute> routes, MessageHandler& handler, const Clock& clock,
                std::function<bool()> healthy, std::shared_ptr<void> event_loop, Metrics* metrics = nullptr);

  // Only the methods a path documents get through:
  //   /healthz          GET, HEAD (the server leaves out the body)
  //   /metrics          GET, HEAD (404 when the router has no metrics)
  //   /hooks/<name>     POST; GET too when the adapter checks its URL with one (accepts_get)
  // anything else is a 405 with Allow. Must be awaited on a strand (or a single-threaded
  // executor): `done` is posted back to it.
  boost::asio::awaitable<RoutedAnswer> answer(HttpRequest request) const;

  // The routes from the next request on (a config reload); requests in hand finish with the
  // adapter they began with. Throws std::invalid_argument, changing nothing, when a route has
  // no adapter. Thread-safe.
  void replace_routes(std::map<std::string, WebhookRoute> routes);

  // /healthz adds {"streams": streams()} when set (HttpServerOptions::health_streams). Before
  // the first request.
  void show_streams(std::function<nlohmann::json()> streams) { streams_ = std::move(streams); }

 private:
  using Routes = std::map<std::string, WebhookRoute>;
  std::shared_ptr<const Routes> routes() const;
  // answer() without counting it in the metrics.
  boost::asio::awaitable<RoutedAnswer> answer_unmeasured(std::shared_ptr<const Routes> routes,
                                                         HttpRequest request) const;
  HttpAnswer health() const;
  HttpAnswer exposition() const;
  static RoutedAnswer not_allowed(std::string allow);
  // Verifies and parses a hook's request: the answer to give at once, or the messages to handle.
  std::variant<HttpAnswer, std::vector<InboundMessage>> accept(const std::string& connection,
                                                               const ChatAdapter& adapter,
                                                               const HttpRequest& request) const;
  // Hands each message to the handler and answers with their replies, in the adapter's terms.
  boost::asio::awaitable<HttpAnswer> answer_messages(const std::string& connection, const ChatAdapter& adapter,
                                                     std::vector<InboundMessage> messages) const;
  boost::asio::awaitable<HttpAnswer> webhook(const std::string& connection, const ChatAdapter& adapter,
                                             HttpRequest request) const;

  mutable std::mutex routes_mutex_;
  std::shared_ptr<const Routes> routes_;
  MessageHandler& handler_;
  const Clock& clock_;
  std::function<bool()> healthy_;
  std::function<nlohmann::json()> streams_;
  std::shared_ptr<void> event_loop_;
  Metrics* metrics_;
};

}  // namespace slabot
