#include "bot/stream/telegram_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <variant>

#include "adapters/telegram/telegram_polling.hpp"
#include "adapters/telegram/telegram_update.hpp"

namespace slabot {

// What run_once waits on: an HTTP answer, the handler's reply or a store write, whichever is
// pending, or stop(). Callbacks hold it (and their slot), so one that comes after run_once gave
// up on it writes into memory that is still there.
struct TelegramSession::Shared {
  std::mutex mutex;
  std::condition_variable changed;
  bool stopped = false;
};

namespace {

template <class T>
using Slot = std::shared_ptr<std::optional<T>>;

// A callback that puts its value in `slot` and wakes the waiter.
template <class T, class State>
std::function<void(T)> fill(std::shared_ptr<State> shared, Slot<T> slot) {
  return [shared = std::move(shared), slot = std::move(slot)](T value) {
    {
      std::lock_guard lock(shared->mutex);
      *slot = std::move(value);
    }
    shared->changed.notify_all();
  };
}

// The slot's value once it came, or nullopt when stop() came first. A value that is there wins:
// a durable answer must still move the cursor.
template <class T, class State>
std::optional<T> wait_for_value(State& shared, const Slot<T>& slot) {
  std::unique_lock lock(shared.mutex);
  shared.changed.wait(lock, [&] { return shared.stopped || slot->has_value(); });
  if (!slot->has_value()) return std::nullopt;
  return std::move(**slot);
}

HttpClientOptions poll_client_options(const TelegramSessionOptions& options) {
  HttpClientOptions http = options.http;
  // Telegram answers a quiet long poll only after poll_timeout: the read must outlast it.
  http.read_timeout =
      std::max(http.read_timeout, std::chrono::milliseconds(options.poll_timeout + std::chrono::seconds(10)));
  http.total_timeout = std::max(http.total_timeout, http.read_timeout + http.connect_timeout + std::chrono::seconds(5));
  http.threads = 1;
  return http;
}

SessionEnd ended(SessionEnd::Kind kind, std::string reason, bool was_live,
                 std::chrono::milliseconds retry_after = std::chrono::milliseconds(0)) {
  SessionEnd end;
  end.kind = kind;
  end.reason = std::move(reason);
  end.was_live = was_live;
  end.retry_after = retry_after;
  return end;
}

// What became of one update.
enum class Handled { answered, stopped, not_recorded };

}  // namespace

TelegramSession::TelegramSession(const Connection& connection, MessageHandler& handler, Store& store,
                                 const Clock& clock, TelegramSessionOptions options)
    : name_(connection.name),
      handler_(handler),
      store_(store),
      clock_(clock),
      options_(std::move(options)),
      shared_(std::make_shared<Shared>()) {
  const auto token = connection.secrets.find("bot_token");
  if (token == connection.secrets.end() || token->second.empty()) {
    throw std::invalid_argument("telegram connection '" + name_ + "' needs secret \"bot_token\" to poll getUpdates");
  }
  get_updates_url_ = telegram::method_url(connection.stream_url, token->second, "getUpdates");
  answer_callback_url_ = telegram::method_url(connection.stream_url, token->second, "answerCallbackQuery");
  if (const auto username = connection.secrets.find("bot_username"); username != connection.secrets.end()) {
    bot_username_ = username->second.starts_with('@') ? username->second.substr(1) : username->second;
  }
}

TelegramSession::~TelegramSession() = default;

void TelegramSession::stop() {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopped = true;
  }
  shared_->changed.notify_all();
}

bool TelegramSession::is_stopped() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->stopped;
}

std::optional<BotReply> TelegramSession::handle_and_wait(InboundMessage message) {
  auto slot = std::make_shared<std::optional<BotReply>>();
  handler_.handle(std::move(message), fill<BotReply>(shared_, slot));
  return wait_for_value(*shared_, slot);
}

bool TelegramSession::save_cursor(std::int64_t cursor) {
  auto slot = std::make_shared<std::optional<WriteOutcome>>();
  store_.save_stream_cursor(name_, cursor, clock_.now(), fill<WriteOutcome>(shared_, slot));
  const auto outcome = wait_for_value(*shared_, slot);
  return outcome && outcome->kind == WriteOutcome::Kind::applied;
}

SessionEnd TelegramSession::run_once(StreamReport& report) {
  using Kind = SessionEnd::Kind;
  bool live = false;
  const auto stopped = [&] { return ended(Kind::stopped, "stopped", live); };
  if (is_stopped()) return stopped();
  report.state(StreamState::connecting, "polling getUpdates");
  // One client per attempt: leaving run_once destroys it, which cancels a poll in flight and
  // closes its socket (how stop() ends a long poll at once).
  std::unique_ptr<BeastHttpClient> client;
  std::optional<std::int64_t> offset;
  try {
    client = std::make_unique<BeastHttpClient>(poll_client_options(options_));
  } catch (const std::exception& e) {
    // An unreadable CA file or a malformed proxy setting: the operator's to fix.
    return ended(Kind::refused, std::string("cannot start polling: ") + e.what(), live);
  }
  try {
    offset = store_.stream_cursor(name_);
  } catch (const std::exception& e) {
    return ended(Kind::dropped, std::string("cannot read the polling offset: ") + e.what(), live);
  }

  // Hands one update to the dispatcher and waits until its answer is durable.
  const auto deliver = [&](const telegram::PolledUpdate& polled) {
    const ParseOutcome parsed = telegram::parse_update(polled.update, bot_username_);
    if (const auto* rejected = std::get_if<Rejected>(&parsed)) {
      spdlog::warn("{}: Telegram update {} passed over: {}", name_, polled.update_id, rejected->reason);
      return Handled::answered;
    }
    const auto* messages = std::get_if<ParsedMessages>(&parsed);
    if (!messages) return Handled::answered;
    for (InboundMessage message : messages->messages) {
      message.connection = name_;
      message.platform = "telegram";
      message.reply_via_outbox = true;  // no HTTP answer to carry it: sendMessage from the outbox
      const std::string query_id = message.tap ? message.tap->query_id : std::string();
      const auto reply = handle_and_wait(std::move(message));
      if (!reply) return Handled::stopped;
      if (reply->failed) return Handled::not_recorded;
      // A tap that acted: the outbox edits the message; this ends the tapper's spinner, best
      // effort as in the webhook's answer (a refusal's alert answers it from the outbox). Waited
      // for, so the attempt's end cannot cancel it; whatever Telegram answers changes nothing.
      if (reply->acted && !query_id.empty()) {
        auto answered = std::make_shared<std::optional<HttpResponse>>();
        client->send(telegram::answer_callback_request(answer_callback_url_, query_id),
                     fill<HttpResponse>(shared_, answered));
        if (!wait_for_value(*shared_, answered)) return Handled::stopped;
      }
    }
    return Handled::answered;
  };

  for (;;) {
    if (is_stopped()) return stopped();
    auto slot = std::make_shared<std::optional<HttpResponse>>();
    client->send(telegram::get_updates_request(get_updates_url_, {offset, options_.poll_timeout}),
                 fill<HttpResponse>(shared_, slot));
    const auto response = wait_for_value(*shared_, slot);
    if (!response) return stopped();

    const telegram::PollAnswer answer = telegram::read_get_updates(*response);
    if (const auto* refused = std::get_if<telegram::PollRefused>(&answer)) {
      return ended(Kind::refused, refused->reason, live);
    }
    if (const auto* throttled = std::get_if<telegram::PollThrottled>(&answer)) {
      return ended(Kind::dropped, throttled->reason, live, throttled->retry_after);
    }
    if (const auto* failed = std::get_if<telegram::PollFailed>(&answer)) {
      return ended(Kind::dropped, failed->reason, live);
    }
    if (!live) {
      live = true;
      report.state(StreamState::live, "polling getUpdates");
    }

    std::optional<std::int64_t> next = offset;
    std::optional<SessionEnd> end;
    for (const auto& polled : std::get<telegram::Polled>(answer).updates) {
      if (offset && polled.update_id < *offset) continue;  // confirmed before: answered already
      if (is_stopped()) return stopped();                  // hand nothing more in once told to stop
      const Handled handled = deliver(polled);
      if (handled == Handled::stopped) return stopped();
      if (handled == Handled::not_recorded) {
        spdlog::warn("{}: Telegram update {} not recorded; it stays unconfirmed", name_, polled.update_id);
        end = ended(Kind::dropped, "update " + std::to_string(polled.update_id) + " could not be recorded", live);
        break;
      }
      next = polled.update_id + 1;
    }
    // The updates before `next` are durable: the cursor, then the next getUpdates, confirm them.
    if (next != offset) {
      if (!save_cursor(*next)) {
        if (is_stopped()) return stopped();
        return ended(Kind::dropped, "the polling offset could not be stored", live);
      }
      offset = next;
    }
    if (end) return *end;
  }
}

}  // namespace slabot
