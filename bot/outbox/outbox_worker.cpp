#include "bot/outbox/outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <variant>

#include "adapters/message_id.hpp"
#include "bot/outbox/backoff.hpp"
#include "bot/outbox/delivery_rules.hpp"
#include "domain/sla_clock.hpp"
#include "domain/time_format.hpp"

namespace slabot {
namespace {

// Lane heads one pass looks at at most (two per destination): the oldest first, so a pass that
// reaches the limit leaves out the destinations that queued last.
constexpr int kHeadsWindow = 20000;

std::string destination_of(const OutboundMessage& m) { return m.connection + '\n' + m.chat_id + '\n' + m.url; }

Timestamp earlier(std::optional<Timestamp> a, Timestamp b) { return a && *a < b ? *a : b; }

// An update that leaves the row's counts as they are.
DeliveryUpdate final_update(const OutboxRow& row, OutboxStatus status, Timestamp at, std::string error) {
  return {status, row.attempts, at, std::move(error), row.waits, row.refusals};
}

}  // namespace

OutboxWorker::OutboxWorker(Store& store, const Clock& clock, HttpClient& http,
                           std::map<std::string, OutboxRoute> routes, OutboxSettings settings,
                           std::function<double()> jitter, Metrics* metrics)
    : store_(store),
      clock_(clock),
      metrics_(metrics),
      http_(http),
      jitter_(jitter ? std::move(jitter) : std::function<double()>(random_jitter)),
      plan_(std::make_shared<const Plan>(Plan{std::move(routes), settings})) {}

std::shared_ptr<const OutboxWorker::Plan> OutboxWorker::plan() const {
  std::lock_guard lock(mutex_);
  return plan_;
}

void OutboxWorker::reconfigure(std::map<std::string, OutboxRoute> routes, OutboxSettings settings) {
  auto next = std::make_shared<const Plan>(Plan{std::move(routes), settings});
  {
    std::lock_guard lock(mutex_);
    plan_.swap(next);
  }
  wake();  // a message that had no route may have one now
}

OutboxWorker::~OutboxWorker() {
  stop();
  wait_idle();
}

PumpResult OutboxWorker::pump(Timestamp now) {
  PumpResult result;
  const auto plan_in_use = plan();
  const auto& routes = plan_in_use->routes;
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
  TicketCache tickets;  // each ticket read once per pass, however many notices it has waiting
  for (const auto& [destination, h] : heads) {
    {
      // Nothing to decide for a destination whose message is out: its outcome wakes a pass.
      std::lock_guard lock(mutex_);
      const auto state = destinations_.find(destination);
      if (state != destinations_.end() && state->second.in_flight) continue;
    }
    const OutboxRow* pick = nullptr;
    std::optional<std::string> stale;
    for (const OutboxRow* head : {h.urgent, h.routine}) {
      if (!head) continue;
      // Out of date already: recorded so at once, wherever its backoff or the destination's
      // pause stands, so the messages behind it move up.
      stale = superseded_because(*head, tickets);
      if (stale || head->next_attempt_at <= now) {
        pick = head;
        break;
      }
      result.next_wake = earlier(result.next_wake, head->next_attempt_at);
    }
    if (!pick) continue;
    const auto route = routes.find(pick->item.message.connection);
    std::unique_lock lock(mutex_);
    Destination& state = destinations_[destination];
    if (state.in_flight) continue;
    // Records `update` for the pick without sending it: the destination is held, as for a send,
    // until the store has it.
    const auto record_unsent = [&](const DeliveryUpdate& update) {
      state.in_flight = true;
      ++in_flight_;
      lock.unlock();
      finish(*pick, destination, update);
    };
    if (state.recorded_at > read_at) {
      // An outcome for this destination was recorded after the rows were read: what they say
      // of it is stale (its head may be sent already, or in its backoff). Look again now.
      result.next_wake = earlier(result.next_wake, now);
      continue;
    }
    if (const auto unrecorded = unrecorded_.find(pick->id); unrecorded != unrecorded_.end()) {
      // Its outcome is known; only the store has not got it yet.
      record_unsent(DeliveryUpdate(unrecorded->second));
      continue;
    }
    if (route == routes.end() || !route->second.adapter) {
      record_unsent(
          final_update(*pick, OutboxStatus::dead, now, "no connection named " + pick->item.message.connection));
      continue;
    }
    if (stale) {
      record_unsent(final_update(*pick, OutboxStatus::superseded, now, *stale));
      result.next_wake = earlier(result.next_wake, now);
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
    if (send(*pick, route->second, plan_in_use->settings, destination, now)) ++result.started;
  }
  return result;
}

std::optional<std::string> OutboxWorker::superseded_because(const OutboxRow& row, TicketCache& tickets) {
  const int stage = row.item.stage;
  // A breach notice stays: the breach happened, and says who the ticket climbed to.
  if (row.item.ticket_id == 0 || stage == kNoStage || stage == kBreachStage) return std::nullopt;
  auto cached = tickets.find(row.item.ticket_id);
  if (cached == tickets.end())
    cached = tickets.emplace(row.item.ticket_id, store_.find_ticket(row.item.ticket_id, "")).first;
  const auto& ticket = cached->second;
  if (!ticket) return std::nullopt;
  const std::string ref = "superseded: #" + std::to_string(ticket->id);
  if (!clock_running(*ticket)) return ref + " is " + std::string(state_name(ticket->state)) + " now";
  // Its clock restarted (a reopen) since the notice was queued, or moved on past it.
  if (ticket->clock_started_at != row.item.stage_clock || ticket->sla_stage < stage) return ref + "'s clock restarted";
  if (ticket->sla_stage > stage) return ref + " reached " + stage_name(ticket->sla_stage);
  return std::nullopt;
}

bool OutboxWorker::send(const OutboxRow& row, const OutboxRoute& route, const OutboxSettings& settings,
                        const std::string& destination, Timestamp now) {
  OutboundRequest request;
  try {
    OutboundMessage message = row.item.message;
    message.message_id = outbox_message_id(row.item.idempotency_key);
    if (auto fetch = route.adapter->credential_request(message, now)) {
      return fetch_credential(row, route, settings, destination, std::move(*fetch));
    }
    request = route.adapter->render(message, now);
  } catch (const std::exception& e) {
    // Rendering depends on the message alone: it would fail the same way every time.
    finish(row, destination, final_update(row, OutboxStatus::dead, now, std::string("could not render: ") + e.what()));
    return false;
  }
  if (request.url.empty()) {
    finish(row, destination, final_update(row, OutboxStatus::dead, now, "no outbound url for this destination"));
    return false;
  }
  auto on_answer = [this, row, destination, adapter = route.adapter, settings](HttpResponse response) {
    const Timestamp at = clock_.now();
    const auto result = read_delivery(*adapter, response);
    if (!result) {
      // The client stopped with the bot: the message goes first after the restart.
      finish(row, destination, final_update(row, OutboxStatus::pending, at, row.last_error));
      return;
    }
    const DeliveryStep step = next_delivery_step(row, *result, at, settings, jitter_());
    finish(row, destination, step.update, step.pause_until);
  };
  try {
    http_.send(std::move(request), std::move(on_answer));
  } catch (const std::exception& e) {
    // The destination must not stay in flight for ever: a client that throws is a failure that
    // may pass, retried as any other.
    const DeliveryStep step = next_delivery_step(
        row, RetryLater{std::nullopt, std::string("internal error: ") + e.what()}, now, settings, jitter_());
    finish(row, destination, step.update, step.pause_until);
    return false;
  }
  return true;
}

bool OutboxWorker::fetch_credential(const OutboxRow& row, const OutboxRoute& route, const OutboxSettings& settings,
                                    const std::string& destination, OutboundRequest fetch) {
  auto on_answer = [this, row, destination, adapter = route.adapter, settings](HttpResponse response) {
    const Timestamp at = clock_.now();
    const auto result = read_credential(*adapter, response, at);
    if (!result || std::holds_alternative<Delivered>(*result)) {
      // Taken (or the bot is stopping): the message itself goes on the next pass, no attempt
      // counted, in its place in the destination's order.
      finish(row, destination, final_update(row, OutboxStatus::pending, at, row.last_error));
      return;
    }
    // Without the credential the message cannot go: it waits (or dies) as a failed send would.
    DeliveryResult failed = *result;
    rewrite_delivery_error(failed, [](const std::string& error) { return "credential: " + error; });
    const DeliveryStep step = next_delivery_step(row, failed, at, settings, jitter_());
    finish(row, destination, step.update, step.pause_until);
  };
  try {
    http_.send(std::move(fetch), std::move(on_answer));
  } catch (const std::exception& e) {
    const DeliveryStep step = next_delivery_step(
        row, RetryLater{std::nullopt, std::string("internal error: ") + e.what()}, clock_.now(), settings, jitter_());
    finish(row, destination, step.update, step.pause_until);
    return false;
  }
  return true;
}

void OutboxWorker::finish(const OutboxRow& row, const std::string& destination, const DeliveryUpdate& update,
                          std::optional<Timestamp> pause_until) {
  const auto& m = row.item.message;
  switch (update.status) {
    case OutboxStatus::dead:
      spdlog::warn("outbox: message {} to {} on {} is dead: {}", row.id, m.chat_id, m.connection, update.last_error);
      break;
    case OutboxStatus::superseded:
      spdlog::info("outbox: message {} to {} on {} not sent, {}", row.id, m.chat_id, m.connection, update.last_error);
      break;
    case OutboxStatus::pending:
      if (update.attempts != row.attempts) {
        spdlog::info(
            "outbox: message {} to {} on {} not delivered ({}); {} failed tries, asked to wait {} times; "
            "next try in {}",
            row.id, m.chat_id, m.connection, update.last_error, update.attempts - update.waits, update.waits,
            format_duration(update.next_attempt_at - clock_.now()));
      }
      break;
    case OutboxStatus::sent:
      spdlog::debug("outbox: message {} to {} on {} delivered", row.id, m.chat_id, m.connection);
      break;
  }
  // Counted once its record is durable: a step whose write failed is finished again later.
  std::optional<std::string_view> counted = metrics_ ? delivery_outcome(row, update) : std::nullopt;
  const auto plan_in_use = plan();
  const auto route = plan_in_use->routes.find(m.connection);
  const std::string platform =
      route != plan_in_use->routes.end() && route->second.adapter ? route->second.adapter->adapter_name() : "";
  auto recorded = [this, id = row.id, destination, update, pause_until, counted, connection = m.connection,
                   platform](WriteOutcome outcome) {
    if (counted && outcome.kind != WriteOutcome::Kind::failed) metrics_->count_delivery(connection, platform, *counted);
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
      driver_.wake();
    }
    --in_flight_;
    idle_.notify_all();
  };
  try {
    store_.record_delivery(row.id, update, recorded);
  } catch (const std::exception& e) {
    // As a failed write: kept, recorded again later, and the destination is free again, so
    // wait_idle() and the next pass are not held up for ever.
    spdlog::error("outbox: could not start recording message {}: {}", row.id, e.what());
    recorded(WriteOutcome{WriteOutcome::Kind::failed, {}, std::nullopt});
  }
}

void OutboxWorker::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

void OutboxWorker::wake() { driver_.wake(); }

void OutboxWorker::start() {
  driver_.start([this] { return run_pass(); });
}

void OutboxWorker::stop() { driver_.stop(); }

std::chrono::nanoseconds OutboxWorker::run_pass() {
  using namespace std::chrono_literals;
  PumpResult result;
  try {
    result = pump(clock_.now());
  } catch (const std::exception& e) {
    spdlog::error("outbox: pass failed: {}", e.what());
  }
  Duration wait = 200ms;
  if (result.next_wake) wait = std::min(wait, clock_.real_time_until(*result.next_wake));
  return wait;
}

}  // namespace slabot
