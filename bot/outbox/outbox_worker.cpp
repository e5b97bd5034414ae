#include "bot/outbox/outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <variant>

#include "bot/outbox/backoff.hpp"

namespace slabot {
namespace {

// Lane heads one pass looks at at most (two per destination): the oldest first, so a pass that
// reaches the limit leaves out the destinations that queued last.
constexpr int kHeadsWindow = 20000;

std::string destination_of(const OutboundMessage& m) { return m.connection + '\n' + m.chat_id + '\n' + m.url; }

Timestamp earlier(std::optional<Timestamp> a, Timestamp b) { return a && *a < b ? *a : b; }

}  // namespace

OutboxWorker::OutboxWorker(Store& store, const Clock& clock, HttpClient& http,
                           std::map<std::string, OutboxRoute> routes, OutboxSettings settings,
                           std::function<double()> jitter)
    : store_(store),
      clock_(clock),
      http_(http),
      routes_(std::move(routes)),
      settings_(settings),
      jitter_(jitter ? std::move(jitter) : std::function<double()>(random_jitter)) {}

OutboxWorker::~OutboxWorker() {
  stop();
  wait_idle();
}

PumpResult OutboxWorker::pump(Timestamp now) {
  PumpResult result;
  std::uint64_t read_at = 0;
  {
    std::lock_guard lock(mutex_);
    read_at = recorded_;
  }
  // Each destination's lane heads: only a lane's head may go, so order holds. Read as heads, not
  // as the first rows pending: a backlog in one group must not hide every other group's messages.
  struct Heads {
    const OutboxRow* urgent = nullptr;
    const OutboxRow* routine = nullptr;
  };
  const auto rows = store_.outbox_heads(kHeadsWindow);
  std::map<std::string, Heads> heads;
  for (const auto& row : rows) {
    auto& h = heads[destination_of(row.item.message)];
    auto& head = row.item.lane == Lane::urgent ? h.urgent : h.routine;
    if (!head) head = &row;
  }
  for (const auto& [destination, h] : heads) {
    const OutboxRow* pick = nullptr;
    for (const OutboxRow* head : {h.urgent, h.routine}) {
      if (!head) continue;
      if (head->next_attempt_at <= now) {
        pick = head;
        break;
      }
      result.next_wake = earlier(result.next_wake, head->next_attempt_at);
    }
    if (!pick) continue;
    const auto route = routes_.find(pick->item.message.connection);
    std::unique_lock lock(mutex_);
    Destination& state = destinations_[destination];
    if (state.in_flight) continue;
    if (state.recorded_at > read_at) {
      // An outcome for this destination was recorded after the rows were read: what they say
      // of it is stale (its head may be sent already, or in its backoff). Look again now.
      result.next_wake = earlier(result.next_wake, now);
      continue;
    }
    if (const auto unrecorded = unrecorded_.find(pick->id); unrecorded != unrecorded_.end()) {
      // Its outcome is known; only the store has not got it yet.
      const DeliveryUpdate update = unrecorded->second;
      state.in_flight = true;
      ++in_flight_;
      lock.unlock();
      finish(*pick, destination, update);
      continue;
    }
    if (route == routes_.end() || !route->second.adapter) {
      state.in_flight = true;
      ++in_flight_;
      lock.unlock();
      finish(*pick, destination,
             {OutboxStatus::dead, pick->attempts, now, "no connection named " + pick->item.message.connection});
      continue;
    }
    if (state.paused_until) {
      if (*state.paused_until > now) {
        result.next_wake = earlier(result.next_wake, *state.paused_until);
        continue;
      }
      state.paused_until.reset();
    }
    if (auto until = state.window.blocked_until(route->second.limit, now)) {
      result.next_wake = earlier(result.next_wake, *until);
      continue;
    }
    state.in_flight = true;
    state.window.record(now);
    ++in_flight_;
    lock.unlock();
    if (send(*pick, route->second, destination, now)) ++result.started;
  }
  return result;
}

bool OutboxWorker::send(const OutboxRow& row, const OutboxRoute& route, const std::string& destination,
                        Timestamp now) {
  OutboundRequest request;
  try {
    request = route.adapter->render(row.item.message, now);
  } catch (const std::exception& e) {
    // Rendering depends on the message alone: it would fail the same way every time.
    finish(row, destination, {OutboxStatus::dead, row.attempts, now, std::string("could not render: ") + e.what()});
    return false;
  }
  if (request.url.empty()) {
    finish(row, destination, {OutboxStatus::dead, row.attempts, now, "no outbound url for this destination"});
    return false;
  }
  http_.send(std::move(request), [this, row, destination, adapter = route.adapter](HttpResponse response) {
    const Timestamp at = clock_.now();
    DeliveryResult verdict = RetryLater{};
    try {
      verdict = adapter->interpret(response);
    } catch (const std::exception& e) {
      // Never leave the destination in flight for ever: an answer we cannot read is a failure.
      verdict = RetryLater{std::nullopt, std::string("could not read the answer: ") + e.what()};
    }
    DeliveryUpdate update{OutboxStatus::pending, row.attempts + 1, at, ""};
    std::optional<Timestamp> pause_until;
    if (std::holds_alternative<Delivered>(verdict)) {
      update.status = OutboxStatus::sent;
    } else if (const auto* give_up = std::get_if<GiveUp>(&verdict)) {
      update.status = OutboxStatus::dead;
      update.last_error = give_up->error;
    } else {
      const auto& retry = std::get<RetryLater>(verdict);
      update.last_error = retry.error;
      // The platform's wait is about the destination, not this one message.
      if (retry.after) pause_until = at + *retry.after;
      if (update.attempts >= settings_.max_attempts || at - row.created_at >= settings_.max_age) {
        update.status = OutboxStatus::dead;
        update.last_error += " (gave up after " + std::to_string(update.attempts) + " attempts)";
      } else {
        update.next_attempt_at = at + retry_delay(settings_, update.attempts, retry.after, jitter_());
      }
    }
    finish(row, destination, update, pause_until);
  });
  return true;
}

void OutboxWorker::finish(const OutboxRow& row, const std::string& destination, const DeliveryUpdate& update,
                          std::optional<Timestamp> pause_until) {
  if (update.status == OutboxStatus::dead) {
    spdlog::warn("outbox: message {} to {} is dead: {}", row.id, row.item.message.chat_id, update.last_error);
  } else if (update.status == OutboxStatus::pending) {
    spdlog::info("outbox: message {} to {} failed ({}), attempt {} of {}", row.id, row.item.message.chat_id,
                 update.last_error, update.attempts, settings_.max_attempts);
  }
  store_.record_delivery(row.id, update, [this, id = row.id, destination, update, pause_until](WriteOutcome outcome) {
    std::lock_guard lock(mutex_);
    // Only now may the destination's next message go: its order within a lane holds.
    Destination& state = destinations_[destination];
    state.in_flight = false;
    state.recorded_at = ++recorded_;
    if (pause_until && (!state.paused_until || *state.paused_until < *pause_until)) state.paused_until = pause_until;
    if (outcome.kind == WriteOutcome::Kind::failed) {
      // Kept, and recorded again when a pass next reaches the row: never sent again meanwhile.
      // No immediate wake: the driver's poll retries, so a failing store is not hammered.
      spdlog::error("outbox: could not record the outcome of message {}; will record it again", id);
      unrecorded_[id] = update;
    } else {
      unrecorded_.erase(id);
      woken_ = true;
    }
    --in_flight_;
    idle_.notify_all();
    wake_.notify_one();
  });
}

void OutboxWorker::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

void OutboxWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void OutboxWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void OutboxWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::run() {
  using namespace std::chrono_literals;
  for (;;) {
    PumpResult result;
    try {
      result = pump(clock_.now());
    } catch (const std::exception& e) {
      spdlog::error("outbox: pass failed: {}", e.what());
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    Duration wait = 200ms;
    if (result.next_wake) wait = std::min(wait, clock_.real_time_until(*result.next_wake));
    if (!woken_ && wait > Duration::zero()) wake_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace slabot
