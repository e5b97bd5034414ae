#include "bot/http/webhook_router.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <exception>
#include <stdexcept>
#include <string_view>
#include <variant>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace slabot {
namespace asio = boost::asio;

namespace {

constexpr std::string_view hooks_prefix = "/hooks/";

// The path without the query: routing ignores "?...".
std::string_view path_of(const std::string& target) {
  const std::string_view view(target);
  return view.substr(0, view.find('?'));
}

HttpAnswer json_answer(int status, const nlohmann::json& body) {
  return HttpAnswer{status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

// The suspended coroutine's completion, shared between the MessageHandler's `done` (any thread)
// and the error path, so that exactly one of them resumes it.
template <class Completion>
struct PendingReply {
  explicit PendingReply(Completion c) : completion(std::move(c)) {}
  bool claim() { return !finished.exchange(true); }

  Completion completion;
  std::atomic<bool> finished{false};
};

// The `done` callback handed to the MessageHandler. Member order matters: members are destroyed
// in reverse, so the event loop outlives the executor and the coroutine that refer to it.
template <class Completion>
struct ReplyPoster {
  std::shared_ptr<void> event_loop;
  asio::any_io_executor executor;
  std::shared_ptr<PendingReply<Completion>> pending;

  void operator()(BotReply reply) const {
    if (!pending->claim()) {
      spdlog::warn("MessageHandler called done more than once; later calls are ignored");
      return;
    }
    resume(std::move(reply));
  }

  // Always posted, never run inline: `done` may come from another thread, or from inside
  // handle() before the coroutine finished suspending.
  void resume(BotReply reply) const {
    asio::post(executor,
               [pending = pending, reply = std::move(reply)]() mutable { pending->completion(std::move(reply)); });
  }
};

// Hands `message` to the handler and suspends until `done` runs, wherever it runs.
asio::awaitable<BotReply> handle_message(MessageHandler& handler, InboundMessage message,
                                         std::shared_ptr<void> event_loop) {
  auto initiate = [](auto completion, MessageHandler* handler, InboundMessage message,
                     std::shared_ptr<void> event_loop) {
    using Completion = decltype(completion);
    auto executor = asio::get_associated_executor(completion);
    ReplyPoster<Completion> poster{std::move(event_loop), executor,
                                   std::make_shared<PendingReply<Completion>>(std::move(completion))};
    try {
      handler->handle(std::move(message), poster);
    } catch (const std::exception& e) {
      // Nothing was promised durable: answer 503 so the platform retries.
      spdlog::warn("MessageHandler::handle threw: {}", e.what());
      if (poster.pending->claim()) poster.resume(BotReply{"", true});
    } catch (...) {
      spdlog::warn("MessageHandler::handle threw a non-standard exception");
      if (poster.pending->claim()) poster.resume(BotReply{"", true});
    }
  };
  return asio::async_initiate<decltype(asio::use_awaitable), void(BotReply)>(
      std::move(initiate), asio::use_awaitable, &handler, std::move(message), std::move(event_loop));
}

// One answer for a request's messages: the texts joined (none when they went through the outbox),
// every reply's buttons, acted if any acted.
const char* status_word(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 413: return "payload too large";
    case 500: return "internal error";
    case 503: return "unavailable";
    default: return "error";
  }
}

}  // namespace

HttpAnswer error_answer(int status) { return json_answer(status, {{"error", status_word(status)}}); }

WebhookRouter::WebhookRouter(std::map<std::string, WebhookRoute> routes, MessageHandler& handler, const Clock& clock,
                             std::function<bool()> healthy, std::shared_ptr<void> event_loop, Metrics* metrics)
    : handler_(handler),
      clock_(clock),
      healthy_(std::move(healthy)),
      event_loop_(std::move(event_loop)),
      metrics_(metrics) {
  replace_routes(std::move(routes));
}

void WebhookRouter::replace_routes(std::map<std::string, WebhookRoute> routes) {
  for (const auto& [name, route] : routes) {
    if (!route.adapter) throw std::invalid_argument("webhook route '" + name + "' has no adapter");
  }
  auto next = std::make_shared<const Routes>(std::move(routes));
  std::lock_guard lock(routes_mutex_);
  routes_.swap(next);  // the old table goes when its last request does
}

std::shared_ptr<const WebhookRouter::Routes> WebhookRouter::routes() const {
  std::lock_guard lock(routes_mutex_);
  return routes_;
}

asio::awaitable<RoutedAnswer> WebhookRouter::answer(HttpRequest request) const {
  // One table for the whole request: a reload does not take its adapter away mid-answer.
  std::shared_ptr<const Routes> table = routes();
  if (!metrics_) {
    RoutedAnswer routed = co_await answer_unmeasured(std::move(table), std::move(request));
    co_return routed;
  }
  // The labels come from the routing table, never from the raw path: a scan of random paths
  // must not grow the exposition.
  const std::string_view path = path_of(request.target);
  std::string route_label = "other";
  std::string connection;
  if (path == "/healthz" || path == "/metrics") {
    route_label = path.substr(1);
  } else if (path.starts_with(hooks_prefix)) {
    route_label = "hooks";
    const std::string name(path.substr(hooks_prefix.size()));
    if (table->contains(name)) connection = name;
  }
  RoutedAnswer routed = co_await answer_unmeasured(std::move(table), std::move(request));
  metrics_->count_http_request(connection, route_label, routed.answer.status);
  co_return routed;
}

asio::awaitable<RoutedAnswer> WebhookRouter::answer_unmeasured(std::shared_ptr<const Routes> table,
                                                               HttpRequest request) const {
  const std::string_view path = path_of(request.target);
  if (path == "/healthz") {
    if (request.method == "GET" || request.method == "HEAD") co_return RoutedAnswer{health(), ""};
    co_return not_allowed("GET, HEAD");
  }
  if (path == "/metrics" && metrics_) {
    if (request.method == "GET" || request.method == "HEAD") co_return RoutedAnswer{exposition(), ""};
    co_return not_allowed("GET, HEAD");
  }
  if (path.starts_with(hooks_prefix)) {
    const auto route = table->find(std::string(path.substr(hooks_prefix.size())));
    if (route == table->end()) co_return RoutedAnswer{error_answer(404), ""};
    const ChatAdapter& adapter = *route->second.adapter;
    // A GET reaches only an adapter that documents one (WeCom's signed URL check): a signed body
    // sent with GET to any other is refused here, before it could be parsed and recorded.
    const bool get_allowed = adapter.accepts_get();
    if (request.method == "POST" || (get_allowed && request.method == "GET")) {
      // Awaited on its own line: GCC 12 miscompiles a co_await inside a braced initializer.
      HttpAnswer answer = co_await webhook(route->first, adapter, std::move(request));
      co_return RoutedAnswer{std::move(answer), ""};
    }
    co_return not_allowed(get_allowed ? "GET, POST" : "POST");
  }
  co_return RoutedAnswer{error_answer(404), ""};
}

RoutedAnswer WebhookRouter::not_allowed(std::string allow) { return RoutedAnswer{error_answer(405), std::move(allow)}; }

HttpAnswer WebhookRouter::health() const {
  const bool healthy = !healthy_ || healthy_();
  nlohmann::json body = {{"status", healthy ? "ok" : "unavailable"}};
  if (streams_) body["streams"] = streams_();
  return json_answer(healthy ? 200 : 503, body);
}

HttpAnswer WebhookRouter::exposition() const {
  return HttpAnswer{200, std::string(Metrics::content_type), metrics_->render()};
}

std::variant<HttpAnswer, std::vector<InboundMessage>> WebhookRouter::accept(const std::string& connection,
                                                                            const ChatAdapter& adapter,
                                                                            const HttpRequest& request) const {
  // An adapter that throws is a bug in that adapter; it must not take the server down.
  ParseOutcome parsed;
  try {
    const VerifyResult verified = adapter.verify(request, clock_.now());
    if (const auto* rejected = std::get_if<Rejected>(&verified)) {
      spdlog::warn("hooks/{}: request refused ({}): {}", connection, rejected->status, rejected->reason);
      return error_answer(rejected->status);
    }
    parsed = adapter.parse(request);
  } catch (const std::exception& e) {
    spdlog::warn("hooks/{}: adapter {} threw: {}", connection, adapter.adapter_name(), e.what());
    return error_answer(500);
  }
  if (auto* answer = std::get_if<HttpAnswer>(&parsed)) return std::move(*answer);
  if (const auto* rejected = std::get_if<Rejected>(&parsed)) {
    spdlog::warn("hooks/{}: body refused ({}): {}", connection, rejected->status, rejected->reason);
    return error_answer(rejected->status);
  }
  auto& messages = std::get<ParsedMessages>(parsed).messages;
  // An event the adapter chose to ignore: acknowledge it so the platform does not retry.
  if (messages.empty()) return json_answer(200, nlohmann::json::object());
  return std::move(messages);
}

// Verifying and parsing are plain calls (accept), the messages' answers a coroutine of their own:
// in one coroutine, GCC 12 reports a false -Wmismatched-new-delete on its frame.
asio::awaitable<HttpAnswer> WebhookRouter::webhook(const std::string& connection, const ChatAdapter& adapter,
                                                   HttpRequest request) const {
  auto accepted = accept(connection, adapter, request);
  if (auto* answer = std::get_if<HttpAnswer>(&accepted)) co_return std::move(*answer);
  HttpAnswer answer =
      co_await answer_messages(connection, adapter, std::get<std::vector<InboundMessage>>(std::move(accepted)));
  co_return answer;
}

asio::awaitable<HttpAnswer> WebhookRouter::answer_messages(const std::string& connection, const ChatAdapter& adapter,
                                                           std::vector<InboundMessage> messages) const {
  std::vector<BotReply> replies;
  bool via_outbox = false;
  for (auto& message : messages) {
    message.connection = connection;
    message.platform = adapter.adapter_name();
    // Platforms with short deadlines or reply webhooks get their answer as an outbound message,
    // queued with the change it answers.
    message.reply_via_outbox = adapter.reply_route(message) == ReplyRoute::via_outbox;
    via_outbox = via_outbox || message.reply_via_outbox;
    BotReply reply = co_await handle_message(handler_, message, event_loop_);
    if (reply.failed) {
      // Not recorded: refuse, so the platform delivers it again (dedup absorbs the rest).
      spdlog::warn("hooks/{}: event '{}' not recorded; answering 503", connection, message.event_id);
      co_return error_answer(503);
    }
    replies.push_back(std::move(reply));
  }
  try {
    co_return adapter.sync_answer(messages.back(), joined_reply(replies, via_outbox));
  } catch (const std::exception& e) {
    spdlog::warn("hooks/{}: sync_reply threw: {}", connection, e.what());
  }
  co_return error_answer(500);
}

}  // namespace slabot
