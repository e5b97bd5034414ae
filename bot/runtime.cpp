#include "bot/runtime.hpp"

#include "adapters/registry.hpp"
#include "bot/entitlements/running_packages.hpp"
#include "report/report_reader.hpp"

namespace slabot {

std::map<std::string, OutboxRoute> outbox_routes(const Config& config) {
  std::map<std::string, OutboxRoute> routes;
  for (const auto& connection : config.connections) {
    std::shared_ptr<const ChatAdapter> adapter = make_adapter(connection);
    const RateLimit limit = connection.rate_limit.value_or(adapter->rate_limit());
    routes[connection.name] = OutboxRoute{std::move(adapter), limit};
  }
  return routes;
}

BotRuntime::BotRuntime(const Config& config, Store& store, const Clock& clock, HttpClient& http)
    : store_(store),
      file_config_(config),
      config_(with_running_packages(config, store)),
      gauges_(store, clock, metrics_),
      notices_(config_, duty_),
      scheduler_(config_, store, clock, &metrics_, &duty_),
      outbox_(store, clock, http, outbox_routes(config), config.outbox, {}, &metrics_),
      pruner_(store, clock),
      reports_(config_, store, clock),
      reminders_(config_, store, clock),
      engagement_reminders_("engage-reminder", "send engagement reminders", kEngagementRemindersEvery,
                            [this, &clock] {
                              if (remind_engagements(*config_.current(), store_, clock.now()) > 0) outbox_.wake();
                            }),
      holidays_(config_, clock) {
  // Duty as the last hand-overs left it (the config's on_duty for whoever never changed theirs).
  for (const auto& change : store.latest_duty()) duty_.apply(change);
  CommandHooks hooks;
  hooks.duty_changed = [this](const DutyChange& change) { duty_.apply(change); };
  // A write that queued messages (an answer on an outbox platform, an escalation's notices) says
  // so through outbox_changed.
  hooks.ticket_changed = [this](const Ticket& ticket) { scheduler_.watch(ticket); };
  hooks.escalated = [this](const Ticket& ticket, const std::string& reason, Timestamp now,
                           const std::string& from_channel) {
    return notices_.escalated(ticket, reason, now, from_channel);
  };
  hooks.outbox_changed = [this] { outbox_.wake(); };  // queued messages, `/outbox retry`: send them now
  hooks.report = [this](const Tenant& tenant, const Period& period) {
    const auto config = config_.current();
    ReportReader reader(config->database_path);  // read-only, beside the store's writer
    return reader.report(tenant, config->sla, period);
  };
  reports_.on_posted([this] { outbox_.wake(); });
  hooks.ctg_started = [this](const Ticket& ticket, const std::string& by, Timestamp now,
                             const std::string& from_channel) {
    return notices_.ctg_started(ticket, by, now, from_channel);
  };
  hooks.closed = [this](const Ticket& ticket, const std::function<std::string(const Zone&)>& summary, Timestamp now,
                        const std::string& from_channel) {
    return notices_.closed(ticket, summary, now, from_channel);
  };
  hooks.package_changed = [this] { packages_changed(); };
  reminders_.on_sent([this] { outbox_.wake(); });
  scheduler_.on_fired([this] { outbox_.wake(); });
  dispatcher_ = std::make_unique<Dispatcher>(config_, store, clock, std::move(hooks), &metrics_, &duty_);
}

Config BotRuntime::file_config() {
  std::lock_guard lock(packages_mutex_);
  return file_config_;
}

void BotRuntime::packages_changed() {
  {
    std::lock_guard lock(packages_mutex_);
    config_.replace(with_running_packages(file_config_, store_));
  }
  // Running clocks re-read their package's warnings and repeats (see reconfigure).
  scheduler_.load();
}

void BotRuntime::reconfigure(Config next) {
  auto routes = outbox_routes(next);  // may throw: then nothing has changed
  std::lock_guard lock(packages_mutex_);
  file_config_ = next;
  next = with_running_packages(std::move(next), store_);
  const OutboxSettings settings = next.outbox;
  const auto before = config_.current();
  // A package's warnings or repeats, or a tenant's package, changed: each running clock's next
  // stage may now fall later than the one queued for it, and a queued stage found not yet due
  // is dropped. So each clock's next stage is queued anew (the old entries drop out harmlessly).
  const bool stages_move = before->sla != next.sla || before->tenants != next.tenants;
  config_.replace(std::move(next));
  outbox_.reconfigure(std::move(routes), settings);
  if (stages_move) scheduler_.load();
}

BotRuntime::~BotRuntime() {
  dispatcher_.reset();  // no new changes after this
  stop();
}

std::size_t BotRuntime::start() {
  const std::size_t loaded = scheduler_.load();
  scheduler_.start();
  outbox_.start();
  pruner_.start();
  reports_.start();
  reminders_.start();
  engagement_reminders_.start();
  holidays_.start();
  gauges_.start();
  return loaded;
}

void BotRuntime::stop() {
  gauges_.stop();
  reports_.stop();
  reminders_.stop();
  engagement_reminders_.stop();
  holidays_.stop();
  pruner_.stop();
  scheduler_.stop();
  scheduler_.wait_idle();
  outbox_.stop();
  outbox_.wait_idle();
}

void BotRuntime::handle(InboundMessage message, std::function<void(BotReply)> done) {
  // An answer queued as an outbound message wakes the outbox from the write that queued it
  // (hooks.outbox_changed), so it goes out without waiting for the poll.
  dispatcher_->handle(std::move(message), std::move(done));
}

}  // namespace slabot
