#pragma once
// What the bot counts and measures, for `GET /metrics` (the Prometheus text format 0.0.4). One
// object per process, passed to the parts that count; the instruments themselves (Debian's
// prometheus-cpp) stay behind this header, so including it costs little.
//
// Every method is thread-safe and cheap (a family's mutex, held to find or add one labelled
// series). A label value should come from a small set (a connection's name, a verb, a status):
// each value seen stays a series until the process ends.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slabot {

// The outbox as the store last counted it (see StoreGauges).
struct OutboxFigures {
  std::int64_t pending = 0;
  std::int64_t dead = 0;
  double oldest_pending_age_seconds = 0;  // 0 when nothing is pending
};

// Active tickets of one tenant, severity and state, as the store last counted them.
struct OpenTickets {
  std::string tenant;
  int severity = 0;
  std::string state;
  std::int64_t count = 0;
};

class Metrics {
 public:
  // `version` becomes slabot_build_info{version=...} 1.
  explicit Metrics(std::string_view version = build_version());
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered HTTP request. `route` is the path's kind (healthz, metrics, hooks, other), never
  // the raw path; `connection` is set for /hooks/<connection> of a configured connection only.
  void count_http_request(std::string_view connection, std::string_view route, int status);

  // One command handled, from its arrival at the dispatcher to its reply.
  void observe_command(std::string_view verb, std::string_view outcome, double seconds);

  // One recorded outbox delivery step: sent, throttled, retry, refused, dead or superseded.
  void count_delivery(std::string_view connection, std::string_view platform, std::string_view outcome);

  // One recorded SLA stage: its kind (warning, breach, repeat), the rung it climbed to if it
  // did, and how late it fired after its due time.
  void count_sla_stage(std::string_view kind, std::optional<std::string_view> climbed_to, double lag_seconds);

  // One committed store batch: how many writes, and BEGIN to COMMIT (fsync included).
  void observe_commit(std::size_t writes, double seconds);

  // One config reload (SIGHUP): applied or refused. Also sets whether the last one was applied,
  // and when it was, as Prometheus itself reports its own reloads.
  void count_config_reload(bool applied, double unix_seconds);

  // A stream connection (bot/stream/) going live or not; and each attempt after its first.
  void set_stream_live(std::string_view connection, bool live);
  void count_stream_reconnect(std::string_view connection);

  void set_outbox(const OutboxFigures& figures);
  // Replaces the open-ticket gauges: a combination counted before and absent now reads 0.
  void set_open_tickets(const std::vector<OpenTickets>& counts);

  // The exposition, every family in it. Never blocks on anything but the families' mutexes.
  std::string render() const;

  // The version this build was made as (the project's version in CMake).
  static std::string_view build_version();

  // The content type `render()` is served with.
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot
