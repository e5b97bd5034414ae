#include "bot/sla/sla_scheduler.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "domain/sla_clock.hpp"
#include "domain/time_format.hpp"

namespace slabot {

SlaScheduler::SlaScheduler(const LiveConfig& config, Store& store, const Clock& clock, Metrics* metrics,
                           const DutyRoster* duty)
    : config_(config), store_(store), clock_(clock), metrics_(metrics), notices_(config, duty ? *duty : no_changes_) {}

SlaScheduler::~SlaScheduler() {
  stop();
  wait_idle();
}

const SlaPolicy& SlaScheduler::policy_for(const Config& config, const Ticket& ticket) {
  const Tenant* tenant = config.find_tenant(ticket.tenant_id);
  return config.sla.for_package(tenant ? tenant->package : Package::selected);
}

std::size_t SlaScheduler::load() {
  std::size_t loaded = 0;
  const auto config = config_.current();  // one snapshot for every clock: start-up reads a million
  store_.for_each_running_clock([&](const Ticket& ticket) {
    push(ticket, *config);
    ++loaded;
  });
  driver_.wake();
  return loaded;
}

void SlaScheduler::watch(const Ticket& ticket) {
  if (!clock_running(ticket)) return;  // its stale entries drop out when they come up
  // The driver sleeps until the earliest queued stage (a second at most): a later one needs no
  // wake-up, and a busy desk opens thousands of tickets a second, each due minutes from now.
  if (push(ticket, *config_.current())) driver_.wake();
}

bool SlaScheduler::push(const Ticket& ticket, const Config& config) {
  if (!clock_running(ticket)) return false;
  const SlaStage stage = next_stage(policy_for(config, ticket), ticket);
  const Entry entry{to_unix_ms(stage.at), ticket.id};
  std::lock_guard lock(mutex_);
  const bool earliest = queue_.empty() || entry.at_ms < queue_.top().at_ms;
  queue_.push(entry);
  return earliest;
}

std::size_t SlaScheduler::fire_due(Timestamp now) {
  std::vector<TicketId> due;
  {
    std::lock_guard lock(mutex_);
    while (!queue_.empty() && queue_.top().at_ms <= to_unix_ms(now)) {
      // One write per ticket however many of its entries are due.
      if (due.empty() || due.back() != queue_.top().id) due.push_back(queue_.top().id);
      queue_.pop();
    }
    in_flight_ += due.size();
  }
  for (const TicketId id : due) {
    try {
      fire(id, now);
    } catch (const std::exception& e) {
      // The write never started, so its callback will not run: count it out here, and try the
      // stage again shortly rather than lose it (or the rest of this batch, or the thread).
      spdlog::error("sla: could not start recording a stage of #{}: {}; retrying", id, e.what());
      std::lock_guard lock(mutex_);
      queue_.push({to_unix_ms(clock_.now()) + 1000, id});
      --in_flight_;
      idle_.notify_all();
    }
  }
  return due.size();
}

void SlaScheduler::fire(TicketId id, Timestamp now) {
  const SlaNotices& notices = notices_;
  // What the last run of `decide` chose, for the metrics once the change is recorded.
  struct Fired {
    std::string stage;  // "warn50", "breach", "repeat-2"
    std::string_view kind;
    std::optional<std::string_view> climbed_to;
    double lag_seconds = 0;
  };
  auto fired = std::make_shared<Fired>();
  Mutator decide = [this, &notices, now, fired](Ticket& t) -> Decision {
    if (!clock_running(t)) return Refusal{};
    const auto config = config_.current();  // held while `policy` is used
    const SlaPolicy& policy = policy_for(*config, t);
    const auto stage = due_stage(policy, t, now);
    if (!stage) return Refusal{};  // a stale entry: the deadline moved later
    // One rung per breach or repeat stage reached; stages collapsed after downtime climb as many
    // rungs as they cover, in one message.
    const int from_stage = t.sla_stage;
    int climbs = 0;
    if (is_breach_or_later(stage->code)) climbs = stage->code - std::max(from_stage, kBreachStage - 1);
    const int from_rung = t.escalation_level;
    t.escalation_level = std::min(kEscalationManager, t.escalation_level + climbs);
    t.sla_stage = stage->code;
    const bool climbed = t.escalation_level > from_rung;
    // No clock time in the record: groups read its timeline in their own zones, and the row's
    // own time is shown in each. What was left (or how late) says the same in any zone.
    const auto late = std::chrono::floor<std::chrono::seconds>(now - t.response_due_at);
    std::string detail = stage->code < kBreachStage ? format_duration(t.response_due_at - now) + " left"
                         : late > Duration::zero()  ? "overdue by " + format_duration(late)
                                                    : "";
    if (climbed) {
      if (!detail.empty()) detail += "; ";
      detail += "escalated to " + std::string(escalation_rung_name(t.escalation_level));
    }
    fired->stage = stage_name(stage->code);
    fired->kind = stage->code < kBreachStage ? "warning" : stage->code == kBreachStage ? "breach" : "repeat";
    fired->climbed_to = climbed ? std::optional(escalation_rung_name(t.escalation_level)) : std::nullopt;
    fired->lag_seconds = std::chrono::duration<double>(now - stage->at).count();
    return Change{"sla " + stage_name(stage->code), detail, "",
                  notices.stage_fired(t, policy, stage->code, climbed, now)};
  };
  WriteContext context{"slabot", "slabot", "sla", now, std::nullopt, std::nullopt};
  store_.update_ticket(id, "", std::move(context), std::move(decide), [this, id, fired](WriteOutcome outcome) {
    if (outcome.kind == WriteOutcome::Kind::applied) {
      if (metrics_) metrics_->count_sla_stage(fired->kind, fired->climbed_to, fired->lag_seconds);
      // One line a stage, with how late it fired and whom it climbed to.
      spdlog::info("sla: #{} {} fired {:.0f} ms after due{}{}", id, fired->stage, fired->lag_seconds * 1000,
                   fired->climbed_to ? "; escalated to " : "", fired->climbed_to.value_or(""));
      push(*outcome.ticket, *config_.current());  // its next stage
      if (on_fired_) on_fired_();
    } else if (outcome.kind == WriteOutcome::Kind::failed) {
      spdlog::warn("sla: could not record a stage of #{}; retrying", id);
    }
    std::lock_guard lock(mutex_);
    // Not recorded, so not sent: try again shortly rather than lose the stage.
    if (outcome.kind == WriteOutcome::Kind::failed) queue_.push({to_unix_ms(clock_.now()) + 1000, id});
    --in_flight_;
    // Notified under the lock: once wait_idle() sees zero, this callback no longer touches `this`.
    idle_.notify_all();
    driver_.wake();
  });
}

void SlaScheduler::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

std::optional<Timestamp> SlaScheduler::next_due() const {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) return std::nullopt;
  return from_unix_ms(queue_.top().at_ms);
}

std::size_t SlaScheduler::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::size_t SlaScheduler::passes() const {
  std::lock_guard lock(mutex_);
  return passes_;
}

void SlaScheduler::start() {
  driver_.start([this] { return run_pass(); });
}

void SlaScheduler::stop() { driver_.stop(); }

std::chrono::nanoseconds SlaScheduler::run_pass() {
  using namespace std::chrono_literals;
  try {
    fire_due(clock_.now());
  } catch (const std::exception& e) {
    // Never the end of the thread: the clocks would stop for good.
    spdlog::error("sla: a pass failed: {}", e.what());
  }
  // Sleep until the next stage is due by the injected clock (which may run faster than real
  // time), but never more than a second, so a changed clock or a missed wake-up costs little.
  Duration wait = 1s;
  std::lock_guard lock(mutex_);
  ++passes_;
  if (!queue_.empty()) wait = std::min(wait, clock_.real_time_until(from_unix_ms(queue_.top().at_ms)));
  return wait;
}

}  // namespace slabot
