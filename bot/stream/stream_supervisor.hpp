#pragma once
// Runs every stream connection of the process (DingTalk Stream mode, Slack Socket Mode, Telegram
// getUpdates, ...): one thread per connection, attempt after attempt (StreamSession::run_once),
// with the wait between them from ReconnectBackoff. Each connection's state (connecting, live,
// backing off, stopped) shows in the log, in /healthz ("streams") and in /metrics
// (slabot_stream_live, slabot_stream_reconnects_total). A stream that is down is reported, never
// fatal: webhooks, the SLA clocks and the outbox go on without it.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bot/stream/reconnect_backoff.hpp"
#include "bot/stream/stream_session.hpp"

namespace slabot {

class Metrics;

// Where the supervisor waits between attempts: a real sleep in serve, a recording one in tests.
class StreamSleeper {
 public:
  virtual ~StreamSleeper() = default;
  // Waits `wait` unless woken by wake_all(); true when the whole wait passed.
  virtual bool sleep_for(std::chrono::milliseconds wait) = 0;
  // Ends every sleep in progress and every later one at once (false).
  virtual void wake_all() = 0;
};

// sleep_for on a condition variable and the steady clock.
class RealSleeper final : public StreamSleeper {
 public:
  bool sleep_for(std::chrono::milliseconds wait) override;
  void wake_all() override;

 private:
  std::mutex mutex_;
  std::condition_variable woken_;
  bool awake_ = false;
};

std::string_view state_name(StreamState state);  // "connecting", "live", "backing_off", "stopped"

// One connection as /healthz shows it.
struct StreamStatus {
  StreamState state = StreamState::connecting;
  std::string detail;            // why it is not live (the last end's reason and the wait), or ""
  std::uint64_t reconnects = 0;  // attempts after the first
};

struct StreamSupervisorOptions {
  ReconnectSettings reconnect;
  // A connection's own settings (connections[].stream.max_retry), in place of `reconnect`.
  std::map<std::string, ReconnectSettings> reconnect_by_connection;
  std::function<double()> jitter;          // empty: random_jitter() (a factor in [0.8, 1.2))
  std::shared_ptr<StreamSleeper> sleeper;  // empty: a RealSleeper
  Metrics* metrics = nullptr;              // optional; must outlive the supervisor
};

class StreamSupervisor {
 public:
  StreamSupervisor(std::vector<std::unique_ptr<StreamSession>> sessions, StreamSupervisorOptions options = {});
  ~StreamSupervisor();  // stop()
  StreamSupervisor(const StreamSupervisor&) = delete;
  StreamSupervisor& operator=(const StreamSupervisor&) = delete;

  // Starts one thread per session. Once.
  void start();
  // Stops every session (StreamSession::stop) and wakes every wait, then joins the threads.
  // Idempotent.
  void stop();

  bool empty() const { return entries_.empty(); }
  std::map<std::string, StreamStatus> statuses() const;
  // {name: {"state", "detail", "reconnects"}}, what /healthz shows as "streams".
  nlohmann::json statuses_json() const;

 private:
  struct Entry;
  void run(Entry& entry);
  // Records the state for /healthz and the metrics; logs it when `announce`.
  void set_status(Entry& entry, StreamState state, std::string detail, bool announce = true);

  StreamSupervisorOptions options_;
  std::vector<std::unique_ptr<Entry>> entries_;
  mutable std::mutex mutex_;  // guards every entry's status
  bool started_ = false;
  bool stopping_ = false;
};

}  // namespace slabot
