#include "bot/metrics/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace slabot {
namespace pm = prometheus;

namespace {

// Commands answer in milliseconds when the store is well; the upper buckets catch a slow disk
// (a group commit waits for fsync) and a stuck writer.
const pm::Histogram::BucketBoundaries command_seconds_buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                              0.25,  0.5,    1,     2.5,  5,     10};

// The series of a family that is counted on every request, found by their label values without
// building prometheus-cpp's label map (a node and a string for each label, hashed under the
// family's lock) each time: that was some ten of the ~110 allocations the HTTP thread made for
// each /open. `make` adds a series the first time its values are seen.
template <typename Series, std::size_t N>
class SeriesCache {
 public:
  using Labels = std::array<std::string_view, N>;

  template <typename Make>
  Series get(const Labels& labels, Make make) {
    std::lock_guard lock(mutex_);
    auto found = series_.find(labels);
    if (found == series_.end()) {
      std::array<std::string, N> key;
      std::copy(labels.begin(), labels.end(), key.begin());
      found = series_.emplace(std::move(key), make()).first;
    }
    return found->second;
  }

 private:
  struct Less {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      for (std::size_t i = 0; i < N; ++i) {
        if (const int order = std::string_view(a[i]).compare(std::string_view(b[i])); order != 0) return order < 0;
      }
      return false;
    }
  };

  std::mutex mutex_;
  std::map<std::array<std::string, N>, Series, Less> series_;
};

// A status as its label, without allocating: "200".
class StatusLabel {
 public:
  explicit StatusLabel(int status) : length_(std::to_chars(text_, text_ + sizeof text_, status).ptr - text_) {}
  std::string_view view() const { return {text_, length_}; }

 private:
  char text_[12];
  std::size_t length_;
};

struct CommandSeries {
  pm::Counter* count;
  pm::Histogram* seconds;
};

}  // namespace

struct Metrics::Impl {
  // Declared first: the families below are registered in it and refer into it.
  std::shared_ptr<pm::Registry> registry = std::make_shared<pm::Registry>();

  pm::Family<pm::Gauge>& build_info = pm::BuildGauge()
                                          .Name("slabot_build_info")
                                          .Help("Always 1; the version of slabot running, as a label.")
                                          .Register(*registry);
  pm::Family<pm::Counter>& http_requests = pm::BuildCounter()
                                               .Name("slabot_http_requests_total")
                                               .Help("HTTP requests answered, by connection, route and status.")
                                               .Register(*registry);
  pm::Family<pm::Counter>& commands = pm::BuildCounter()
                                          .Name("slabot_commands_total")
                                          .Help("Commands handled, by verb and outcome.")
                                          .Register(*registry);
  pm::Family<pm::Histogram>& command_seconds =
      pm::BuildHistogram()
          .Name("slabot_command_duration_seconds")
          .Help("Time from a command's arrival at the dispatcher to its reply, by verb.")
          .Register(*registry);
  pm::Family<pm::Counter>& deliveries =
      pm::BuildCounter()
          .Name("slabot_outbox_deliveries_total")
          .Help("Outbox delivery steps recorded, by connection, platform and outcome.")
          .Register(*registry);
  pm::Family<pm::Gauge>& outbox_messages = pm::BuildGauge()
                                               .Name("slabot_outbox_messages")
                                               .Help("Outbox messages by state, as the store last counted them.")
                                               .Register(*registry);
  pm::Gauge& outbox_pending = outbox_messages.Add({{"state", "pending"}});
  pm::Gauge& outbox_dead = outbox_messages.Add({{"state", "dead"}});
  pm::Gauge& oldest_pending = pm::BuildGauge()
                                  .Name("slabot_outbox_oldest_pending_age_seconds")
                                  .Help("Age of the oldest pending outbox message (0 when none), as last counted.")
                                  .Register(*registry)
                                  .Add({});
  pm::Family<pm::Gauge>& open_tickets =
      pm::BuildGauge()
          .Name("slabot_open_tickets")
          .Help("Active tickets (open or acknowledged) by tenant, severity and state, as last counted.")
          .Register(*registry);
  pm::Family<pm::Counter>& sla_stages = pm::BuildCounter()
                                            .Name("slabot_sla_stages_total")
                                            .Help("SLA stages fired and recorded, by kind (warning, breach, repeat).")
                                            .Register(*registry);
  pm::Family<pm::Counter>& escalations = pm::BuildCounter()
                                             .Name("slabot_sla_escalations_total")
                                             .Help("Escalations the SLA clock made, by the rung reached.")
                                             .Register(*registry);
  pm::Histogram& scheduler_lag =
      pm::BuildHistogram()
          .Name("slabot_sla_scheduler_lag_seconds")
          .Help("Time from an SLA stage's due time to its firing.")
          .Register(*registry)
          .Add({}, pm::Histogram::BucketBoundaries{0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600});
  pm::Histogram& commit_seconds =
      pm::BuildHistogram()
          .Name("slabot_store_commit_duration_seconds")
          .Help("Time to apply and commit one batch of writes (BEGIN to COMMIT, fsync included).")
          .Register(*registry)
          .Add({}, pm::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                   2.5});
  // Up to SqliteStoreOptions::max_batch (1,024): how much group commit saves under load.
  pm::Histogram& batch_writes =
      pm::BuildHistogram()
          .Name("slabot_store_write_batch_size")
          .Help("Writes committed together in one transaction (group commit).")
          .Register(*registry)
          .Add({}, pm::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  pm::Family<pm::Counter>& config_reloads = pm::BuildCounter()
                                                .Name("slabot_config_reloads_total")
                                                .Help("Config reloads (SIGHUP), by result (applied, refused).")
                                                .Register(*registry);
  pm::Gauge& last_reload_successful =
      pm::BuildGauge()
          .Name("slabot_config_last_reload_successful")
          .Help("1 when the last config reload was applied (or none was tried), 0 when it was refused.")
          .Register(*registry)
          .Add({});
  pm::Gauge& last_reload_success_time =
      pm::BuildGauge()
          .Name("slabot_config_last_reload_success_timestamp_seconds")
          .Help("When the running config was last loaded (start or reload), Unix seconds.")
          .Register(*registry)
          .Add({});
  pm::Family<pm::Gauge>& stream_live =
      pm::BuildGauge()
          .Name("slabot_stream_live")
          .Help("1 while a stream connection (DingTalk Stream, Slack Socket Mode, ...) is live, else 0.")
          .Register(*registry);
  pm::Family<pm::Counter>& stream_reconnects =
      pm::BuildCounter()
          .Name("slabot_stream_reconnects_total")
          .Help("Attempts a stream connection made after its first, by connection.")
          .Register(*registry);
  SeriesCache<pm::Counter*, 3> http_series;      // connection, route, status
  SeriesCache<CommandSeries, 2> command_series;  // verb, outcome
  std::mutex open_tickets_mutex;                 // one refresh at a time replaces the set below
  std::vector<pm::Gauge*> open_ticket_gauges;
};

Metrics::Metrics(std::string_view version) : impl_(std::make_unique<Impl>()) {
  impl_->build_info.Add({{"version", std::string(version)}}).Set(1);
  impl_->last_reload_successful.Set(1);
  // Both results show from the first scrape: a refusal reads as a counter going up, not appearing.
  impl_->config_reloads.Add({{"result", "applied"}});
  impl_->config_reloads.Add({{"result", "refused"}});
  impl_->last_reload_success_time.SetToCurrentTime();
}

Metrics::~Metrics() = default;

std::string_view Metrics::build_version() { return SLABOT_VERSION; }

void Metrics::count_http_request(std::string_view connection, std::string_view route, int status) {
  const StatusLabel code(status);
  impl_->http_series
      .get({connection, route, code.view()},
           [&] {
             return &impl_->http_requests.Add({{"connection", std::string(connection)},
                                               {"route", std::string(route)},
                                               {"status", std::string(code.view())}});
           })
      ->Increment();
}

void Metrics::observe_command(std::string_view verb, std::string_view outcome, double seconds) {
  const CommandSeries series = impl_->command_series.get({verb, outcome}, [&] {
    return CommandSeries{&impl_->commands.Add({{"verb", std::string(verb)}, {"outcome", std::string(outcome)}}),
                         &impl_->command_seconds.Add({{"verb", std::string(verb)}}, command_seconds_buckets)};
  });
  series.count->Increment();
  series.seconds->Observe(seconds);
}

void Metrics::count_delivery(std::string_view connection, std::string_view platform, std::string_view outcome) {
  impl_->deliveries
      .Add({{"connection", std::string(connection)},
            {"platform", std::string(platform)},
            {"outcome", std::string(outcome)}})
      .Increment();
}

void Metrics::count_sla_stage(std::string_view kind, std::optional<std::string_view> climbed_to, double lag_seconds) {
  impl_->sla_stages.Add({{"kind", std::string(kind)}}).Increment();
  if (climbed_to) impl_->escalations.Add({{"rung", std::string(*climbed_to)}}).Increment();
  impl_->scheduler_lag.Observe(lag_seconds);
}

void Metrics::observe_commit(std::size_t writes, double seconds) {
  impl_->commit_seconds.Observe(seconds);
  impl_->batch_writes.Observe(static_cast<double>(writes));
}

void Metrics::count_config_reload(bool applied, double unix_seconds) {
  impl_->config_reloads.Add({{"result", applied ? "applied" : "refused"}}).Increment();
  impl_->last_reload_successful.Set(applied ? 1 : 0);
  if (applied) impl_->last_reload_success_time.Set(unix_seconds);
}

void Metrics::set_stream_live(std::string_view connection, bool live) {
  impl_->stream_live.Add({{"connection", std::string(connection)}}).Set(live ? 1 : 0);
}

void Metrics::count_stream_reconnect(std::string_view connection) {
  impl_->stream_reconnects.Add({{"connection", std::string(connection)}}).Increment();
}

void Metrics::set_outbox(const OutboxFigures& figures) {
  impl_->outbox_pending.Set(static_cast<double>(figures.pending));
  impl_->outbox_dead.Set(static_cast<double>(figures.dead));
  impl_->oldest_pending.Set(figures.oldest_pending_age_seconds);
}

void Metrics::set_open_tickets(const std::vector<OpenTickets>& counts) {
  std::lock_guard lock(impl_->open_tickets_mutex);
  std::vector<pm::Gauge*> now;
  for (const auto& c : counts) {
    pm::Gauge& gauge =
        impl_->open_tickets.Add({{"tenant", c.tenant}, {"severity", std::to_string(c.severity)}, {"state", c.state}});
    gauge.Set(static_cast<double>(c.count));
    now.push_back(&gauge);
  }
  // Zero rather than removed: a series that vanishes looks like a scrape gap, not "none left".
  for (pm::Gauge* before : impl_->open_ticket_gauges) {
    if (std::find(now.begin(), now.end(), before) == now.end()) {
      before->Set(0);
      now.push_back(before);
    }
  }
  impl_->open_ticket_gauges = std::move(now);
}

std::string Metrics::render() const { return pm::TextSerializer().Serialize(impl_->registry->Collect()); }

}  // namespace slabot
