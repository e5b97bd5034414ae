#pragma once
// Private to bot/http: the answer to one request, whatever transport carried it. The server
// reads and writes bytes; this decides what they mean.
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "adapters/http_types.hpp"
#include "bot/http/http_server.hpp"

namespace slabot {

// A short JSON error body for `status`. Why a request failed goes to the log, not to the caller.
HttpAnswer error_answer(int status);

class WebhookRouter {
 public:
  // `event_loop` owns the io_context the answering coroutines run on. A MessageHandler may call
  // `done` after the server stopped; holding the loop until then keeps that call harmless.
  WebhookRouter(std::map<std::string, WebhookRoute> routes, MessageHandler& handler,
                const Clock& clock, std::function<bool()> health_probe,
                std::shared_ptr<void> event_loop);

  // Must be awaited on a strand (or a single-threaded executor): `done` is posted back to it.
  boost::asio::awaitable<HttpAnswer> answer(HttpRequest request) const;

 private:
  HttpAnswer health() const;
  boost::asio::awaitable<HttpAnswer> webhook(const std::string& connection,
                                             const ChatAdapter& adapter,
                                             HttpRequest request) const;

  std::map<std::string, WebhookRoute> routes_;
  MessageHandler& handler_;
  const Clock& clock_;
  std::function<bool()> health_probe_;
  std::shared_ptr<void> event_loop_;
};

}  // namespace slabot
