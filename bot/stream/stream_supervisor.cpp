#include "bot/stream/stream_supervisor.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <exception>
#include <nlohmann/json.hpp>

#include "bot/metrics/metrics.hpp"
#include "bot/outbox/backoff.hpp"
#include "domain/thread_name.hpp"

namespace slabot {

bool RealSleeper::sleep_for(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  return !woken_.wait_for(lock, wait, [this] { return awake_; });
}

void RealSleeper::wake_all() {
  {
    std::lock_guard lock(mutex_);
    awake_ = true;
  }
  woken_.notify_all();
}

std::string_view state_name(StreamState state) {
  switch (state) {
    case StreamState::connecting: return "connecting";
    case StreamState::live: return "live";
    case StreamState::backing_off: return "backing_off";
    case StreamState::stopped: return "stopped";
  }
  return "unknown";
}

struct StreamSupervisor::Entry final : StreamReport {
  Entry(StreamSupervisor& owner_in, std::unique_ptr<StreamSession> session_in, ReconnectSettings settings)
      : owner(owner_in), session(std::move(session_in)), backoff(settings) {}

  // From the session's thread, as its attempt progresses.
  void state(StreamState state, std::string_view detail) override {
    owner.set_status(*this, state, std::string(detail));
  }

  StreamSupervisor& owner;
  std::unique_ptr<StreamSession> session;
  ReconnectBackoff backoff;
  StreamStatus status;  // under owner.mutex_
  std::thread thread;
};

StreamSupervisor::StreamSupervisor(std::vector<std::unique_ptr<StreamSession>> sessions,
                                   StreamSupervisorOptions options)
    : options_(std::move(options)) {
  if (!options_.jitter) options_.jitter = random_jitter;
  if (!options_.sleeper) options_.sleeper = std::make_shared<RealSleeper>();
  for (auto& session : sessions) {
    if (!session) continue;
    const auto own = options_.reconnect_by_connection.find(session->connection_name());
    const ReconnectSettings& reconnect =
        own != options_.reconnect_by_connection.end() ? own->second : options_.reconnect;
    entries_.push_back(std::make_unique<Entry>(*this, std::move(session), reconnect));
  }
}

StreamSupervisor::~StreamSupervisor() { stop(); }

void StreamSupervisor::start() {
  {
    std::lock_guard lock(mutex_);
    if (started_ || stopping_) return;
    started_ = true;
  }
  for (auto& entry : entries_) {
    if (options_.metrics) options_.metrics->set_stream_live(entry->session->connection_name(), false);
    entry->thread = std::thread([this, &entry = *entry] { run(entry); });
    name_thread(entry->thread, "stream " + entry->session->connection_name());
  }
}

void StreamSupervisor::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  for (auto& entry : entries_) entry->session->stop();
  options_.sleeper->wake_all();
  for (auto& entry : entries_) {
    if (entry->thread.joinable()) entry->thread.join();
  }
}

void StreamSupervisor::set_status(Entry& entry, StreamState state, std::string detail, bool announce) {
  const std::string& name = entry.session->connection_name();
  {
    std::lock_guard lock(mutex_);
    if (entry.status.state == state && entry.status.detail == detail) return;
    entry.status.state = state;
    entry.status.detail = detail;
  }
  if (options_.metrics) options_.metrics->set_stream_live(name, state == StreamState::live);
  if (!announce) return;
  if (detail.empty()) {
    spdlog::info("stream {}: {}", name, state_name(state));
  } else {
    spdlog::info("stream {}: {} ({})", name, state_name(state), detail);
  }
}

namespace {

std::string describe_wait(std::chrono::milliseconds wait) {
  if (wait.count() == 0) return "reconnecting at once";
  if (wait < std::chrono::seconds(10)) return fmt::format("next attempt in {} ms", wait.count());
  return fmt::format("next attempt in {} s", std::chrono::duration_cast<std::chrono::seconds>(wait).count());
}

}  // namespace

void StreamSupervisor::run(Entry& entry) {
  const std::string& name = entry.session->connection_name();
  bool first = true;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      if (!first) ++entry.status.reconnects;
    }
    if (!first && options_.metrics) options_.metrics->count_stream_reconnect(name);
    first = false;
    set_status(entry, StreamState::connecting, "", /*announce=*/false);  // the session says what it connects to
    SessionEnd end;
    try {
      end = entry.session->run_once(entry);
    } catch (const std::exception& e) {
      // A session that throws is a bug in it; the connection is tried again like any drop.
      end.kind = SessionEnd::Kind::dropped;
      end.reason = std::string("internal error: ") + e.what();
    } catch (...) {
      end.kind = SessionEnd::Kind::dropped;
      end.reason = "internal error";
    }
    if (end.kind == SessionEnd::Kind::stopped) break;
    const auto wait = entry.backoff.after(end, options_.jitter());
    const std::string detail =
        fmt::format("{}; {}", end.reason.empty() ? "connection ended" : end.reason, describe_wait(wait));
    if (end.kind == SessionEnd::Kind::refused) {
      spdlog::error("stream {}: refused by the platform: {}", name, detail);
    } else {
      spdlog::warn("stream {}: {}", name, detail);
    }
    set_status(entry, StreamState::backing_off, detail, /*announce=*/false);  // said just above
    if (wait.count() > 0 && !options_.sleeper->sleep_for(wait)) break;
  }
  set_status(entry, StreamState::stopped, "");
}

std::map<std::string, StreamStatus> StreamSupervisor::statuses() const {
  std::map<std::string, StreamStatus> out;
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) out[entry->session->connection_name()] = entry->status;
  return out;
}

nlohmann::json StreamSupervisor::statuses_json() const {
  auto streams = nlohmann::json::object();
  for (const auto& [name, status] : statuses()) {
    streams[name] = {
        {"state", std::string(state_name(status.state))}, {"detail", status.detail}, {"reconnects", status.reconnects}};
  }
  return streams;
}

}  // namespace slabot
