#include "bot/stream/websocket_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <future>

namespace slabot {
namespace {

// How often a wait for the HTTP client or the handler looks at the stop flag.
constexpr auto stop_check = std::chrono::milliseconds(50);

template <class T>
std::optional<T> wait_unless_stopped(std::future<T>& future, const std::atomic<bool>& stopping) {
  while (future.wait_for(stop_check) != std::future_status::ready) {
    if (stopping) return std::nullopt;
  }
  return future.get();
}

}  // namespace

WebSocketSession::WebSocketSession(std::string connection_name, StreamDependencies dependencies)
    : name_(std::move(connection_name)),
      dependencies_(dependencies),
      first_(dependencies.websocket),
      second_(dependencies.websocket) {}

void WebSocketSession::stop() {
  stopping_ = true;
  first_.stop();
  second_.stop();
}

SessionEnd WebSocketSession::end(SessionEnd::Kind kind, std::string reason) const {
  SessionEnd out;
  out.kind = stopping_ ? SessionEnd::Kind::stopped : kind;
  out.reason = std::move(reason);
  out.was_live = live_;
  return out;
}

SessionEnd WebSocketSession::open_failed(bool credentials, std::string reason, const HttpResponse& answer) const {
  SessionEnd failed = end(credentials ? SessionEnd::Kind::refused : SessionEnd::Kind::dropped, std::move(reason));
  failed.retry_after = retry_after_of(answer);
  return failed;
}

SessionEnd websocket_end(const WebSocketResult& result, std::string_view doing) {
  SessionEnd out;
  out.kind = result.kind == WebSocketResult::Kind::stopped ? SessionEnd::Kind::stopped : SessionEnd::Kind::dropped;
  out.reason = std::string(doing) + ": " + result.text;
  return out;
}

std::chrono::milliseconds retry_after_of(const HttpResponse& response) {
  const auto found = response.headers.find("retry-after");
  if (found == response.headers.end()) return std::chrono::milliseconds(0);
  long seconds = 0;
  const std::string& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || seconds < 0) return std::chrono::milliseconds(0);
  return std::chrono::seconds(std::min(seconds, 3600L));
}

SessionEnd WebSocketSession::run_once(StreamReport& report) {
  report_ = &report;
  live_ = false;
  if (stopping_) return end(SessionEnd::Kind::stopped, "stopped");
  report.state(StreamState::connecting, "opening");
  auto opened = open();
  if (auto* failed = std::get_if<SessionEnd>(&opened)) {
    if (stopping_) failed->kind = SessionEnd::Kind::stopped;
    return *failed;
  }
  const std::string& url = std::get<std::string>(opened);
  report.state(StreamState::connecting, "connecting to " + loggable_url(url));
  const WebSocketResult connected = current_->connect(url);
  if (!connected.ok()) {
    if (connected.kind == WebSocketResult::Kind::refused) {
      if (auto refused = on_refused_upgrade(connected)) {
        if (stopping_) refused->kind = SessionEnd::Kind::stopped;
        return *refused;
      }
    }
    SessionEnd failed = websocket_end(connected, "connecting");
    return failed;
  }
  if (auto finished = on_connected()) {
    current_->close();
    finished->was_live = live_;
    if (stopping_) finished->kind = SessionEnd::Kind::stopped;
    return *finished;
  }
  if (live_on_connect()) went_live();
  for (;;) {
    std::string frame;
    const WebSocketResult read = current_->read(frame);
    if (!read.ok()) {
      SessionEnd failed = websocket_end(read, "reading");
      failed.was_live = live_;
      return failed;
    }
    if (auto finished = on_frame(frame)) {
      current_->close();
      finished->was_live = live_;
      if (stopping_) finished->kind = SessionEnd::Kind::stopped;
      return *finished;
    }
  }
}

std::optional<SessionEnd> WebSocketSession::send(const std::string& text) { return written(current_->write(text)); }

std::optional<SessionEnd> WebSocketSession::send_binary(const std::string& bytes) {
  return written(current_->write_binary(bytes));
}

std::optional<SessionEnd> WebSocketSession::written(const WebSocketResult& result) const {
  if (result.ok()) return std::nullopt;
  SessionEnd failed = websocket_end(result, "writing");
  failed.was_live = live_;
  return failed;
}

void WebSocketSession::heartbeat(std::string message, std::chrono::milliseconds every) {
  // Both clients: the one a fresh socket opens on has it too.
  first_.heartbeat(message, every);
  second_.heartbeat(std::move(message), every);
}

std::optional<SessionEnd> WebSocketSession::move_to_fresh_socket() {
  auto opened = open();
  if (auto* failed = std::get_if<SessionEnd>(&opened)) {
    failed->reconnect_now = failed->kind == SessionEnd::Kind::dropped;
    if (stopping_) failed->kind = SessionEnd::Kind::stopped;
    return *failed;
  }
  WebSocketClient* fresh = current_ == &first_ ? &second_ : &first_;
  const WebSocketResult connected = fresh->connect(std::get<std::string>(opened));
  if (!connected.ok()) {
    SessionEnd failed = websocket_end(connected, "moving to a fresh socket");
    failed.was_live = live_;
    failed.reconnect_now = failed.kind == SessionEnd::Kind::dropped;
    return failed;
  }
  // The fresh socket is open: only now does the old one close.
  current_->close();
  current_ = fresh;
  return std::nullopt;
}

void WebSocketSession::went_live() {
  live_ = true;
  if (report_) report_->state(StreamState::live, "");
}

std::optional<HttpResponse> WebSocketSession::call(OutboundRequest request) {
  auto answer = std::make_shared<std::promise<HttpResponse>>();
  auto future = answer->get_future();
  dependencies_.http.send(std::move(request),
                          [answer](HttpResponse response) { answer->set_value(std::move(response)); });
  return wait_unless_stopped(future, stopping_);
}

std::optional<SessionEnd> WebSocketSession::record_and_ack(const ChatAdapter& adapter, const HttpRequest& callback,
                                                           std::string_view id,
                                                           const std::function<std::optional<SessionEnd>()>& ack) {
  return record_and_answer(adapter, callback, id, [&ack](const std::optional<HttpAnswer>&) { return ack(); });
}

std::optional<SessionEnd> WebSocketSession::record_and_answer(
    const ChatAdapter& adapter, const HttpRequest& callback, std::string_view id,
    const std::function<std::optional<SessionEnd>(const std::optional<HttpAnswer>&)>& ack) {
  auto messages = parse_callback(adapter, callback, id);
  if (!messages) return ack(std::nullopt);  // pushed again it would be refused again
  // A callback carries one tap at most: the ack answers it with the tap's own reply.
  const auto tap = std::find_if(messages->begin(), messages->end(), [](const auto& m) { return m.tap.has_value(); });
  const std::optional<InboundMessage> tapped = tap == messages->end() ? std::nullopt : std::optional(*tap);
  const auto tap_index = static_cast<std::size_t>(tap - messages->begin());
  const Recorded recorded = record(adapter, std::move(*messages), [&adapter](const InboundMessage& message) {
    return adapter.reply_route(message) == ReplyRoute::via_outbox;
  });
  if (recorded.kind == Recorded::Kind::stopped) return end(SessionEnd::Kind::stopped, "stopped");
  if (recorded.kind == Recorded::Kind::not_recorded) return std::nullopt;
  if (!tapped) return ack(std::nullopt);
  try {
    return ack(adapter.sync_answer(*tapped, recorded.replies[tap_index]));
  } catch (const std::exception& e) {
    spdlog::warn("stream {}: the answer to tap {} could not be made: {}", name_, id, e.what());
    return ack(std::nullopt);
  }
}

std::optional<std::vector<InboundMessage>> WebSocketSession::parse_callback(const ChatAdapter& adapter,
                                                                            const HttpRequest& callback,
                                                                            std::string_view id) const {
  ParseOutcome parsed;
  try {
    parsed = adapter.parse(callback);
  } catch (const std::exception& e) {
    spdlog::warn("stream {}: adapter threw: {}", name_, e.what());
    parsed = Rejected{500, "adapter error"};
  }
  if (const auto* rejected = std::get_if<Rejected>(&parsed)) {
    spdlog::warn("stream {}: message {} refused: {}", name_, id, rejected->reason);
    return std::nullopt;
  }
  if (auto* found = std::get_if<ParsedMessages>(&parsed)) return std::move(found->messages);
  return std::vector<InboundMessage>{};  // nothing to act on (a challenge, an event ignored)
}

WebSocketSession::Recorded WebSocketSession::record(const ChatAdapter& adapter, std::vector<InboundMessage> messages,
                                                    const std::function<bool(const InboundMessage&)>& via_outbox) {
  Recorded recorded;
  for (auto& message : messages) {
    message.connection = name_;
    message.platform = adapter.adapter_name();
    message.reply_via_outbox = via_outbox(message);
    const std::string event_id = message.event_id;
    auto reply = handle(std::move(message));
    if (!reply) return Recorded{Recorded::Kind::stopped, {}};
    if (reply->failed) {
      spdlog::warn("stream {}: message '{}' not recorded; left unacknowledged for the platform to push again", name_,
                   event_id);
      return Recorded{Recorded::Kind::not_recorded, {}};
    }
    recorded.replies.push_back(std::move(*reply));
  }
  return recorded;
}

std::optional<BotReply> WebSocketSession::handle(InboundMessage message) {
  auto answer = std::make_shared<std::promise<BotReply>>();
  auto future = answer->get_future();
  dependencies_.handler.handle(std::move(message), [answer](BotReply reply) { answer->set_value(std::move(reply)); });
  return wait_unless_stopped(future, stopping_);
}

}  // namespace slabot
