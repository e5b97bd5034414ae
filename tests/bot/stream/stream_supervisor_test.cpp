// The supervisor with scripted sessions and a sleeper that records its waits instead of
// sleeping: states, reconnect counts, waits, metrics and stopping, without a socket or a clock.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>

#include <nlohmann/json.hpp>

#include "bot/metrics/metrics.hpp"
#include "bot/stream/stream_supervisor.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

// Plays one scripted end per attempt (going live first when the end says it was); once the
// script is out, waits for stop().
class ScriptedSession final : public StreamSession {
 public:
  ScriptedSession(std::string name, std::deque<SessionEnd> script)
      : name_(std::move(name)), script_(std::move(script)) {}
  const std::string& connection_name() const override { return name_; }

  SessionEnd run_once(StreamReport& report) override {
    std::unique_lock lock(mutex_);
    ++attempts_;
    states_.push_back("attempt");
    if (script_.empty()) {
      report.state(StreamState::live, "");
      live_now_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return stopped_; });
      SessionEnd end;
      end.kind = SessionEnd::Kind::stopped;
      return end;
    }
    SessionEnd next = script_.front();
    script_.pop_front();
    if (next.was_live) report.state(StreamState::live, "");
    return next;
  }
  void stop() override {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }
  bool wait_live_at_end() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [this] { return live_now_; });
  }
  int attempts() {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

 private:
  const std::string name_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SessionEnd> script_;
  std::vector<std::string> states_;
  int attempts_ = 0;
  bool stopped_ = false;
  bool live_now_ = false;
};

class RecordingSleeper final : public StreamSleeper {
 public:
  bool sleep_for(std::chrono::milliseconds wait) override {
    std::lock_guard lock(mutex_);
    waits_.push_back(wait);
    return !woken_;
  }
  void wake_all() override {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  std::vector<std::chrono::milliseconds> waits() {
    std::lock_guard lock(mutex_);
    return waits_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::chrono::milliseconds> waits_;
  bool woken_ = false;
};

SessionEnd ended(SessionEnd::Kind kind, std::string reason, bool was_live = false) {
  SessionEnd end;
  end.kind = kind;
  end.reason = std::move(reason);
  end.was_live = was_live;
  return end;
}

// One session under a started supervisor whose waits `sleeper` records, without jitter.
std::unique_ptr<StreamSupervisor> supervise(std::unique_ptr<StreamSession> session, StreamSupervisorOptions options,
                                            std::shared_ptr<RecordingSleeper> sleeper) {
  options.jitter = [] { return 1.0; };
  options.sleeper = std::move(sleeper);
  std::vector<std::unique_ptr<StreamSession>> sessions;
  sessions.push_back(std::move(session));
  auto supervisor = std::make_unique<StreamSupervisor>(std::move(sessions), std::move(options));
  supervisor->start();
  return supervisor;
}

}  // namespace

TEST_CASE("supervisor: reconnects after each drop with backoff, reset by a live attempt, and counts it", "[stream]") {
  auto session = std::make_unique<ScriptedSession>(
      "ding", std::deque<SessionEnd>{ended(SessionEnd::Kind::dropped, "connect refused"),
                                     ended(SessionEnd::Kind::dropped, "connect refused"),
                                     ended(SessionEnd::Kind::dropped, "reading: connection reset", true),
                                     ended(SessionEnd::Kind::refused, "HTTP 401")});
  ScriptedSession& scripted = *session;
  auto sleeper = std::make_shared<RecordingSleeper>();
  Metrics metrics;
  StreamSupervisorOptions options;
  options.reconnect = ReconnectSettings{100ms, 1000ms, 60000ms};
  options.jitter = [] { return 1.0; };
  options.sleeper = sleeper;
  options.metrics = &metrics;
  std::vector<std::unique_ptr<StreamSession>> sessions;
  sessions.push_back(std::move(session));
  StreamSupervisor supervisor(std::move(sessions), options);
  supervisor.start();
  REQUIRE(scripted.wait_live_at_end());

  CHECK(scripted.attempts() == 5);
  CHECK(sleeper->waits() == std::vector<std::chrono::milliseconds>{100ms, 200ms, 100ms, 60000ms});
  const auto status = supervisor.statuses().at("ding");
  CHECK(status.state == StreamState::live);
  CHECK(status.reconnects == 4);
  const auto shown = supervisor.statuses_json();
  CHECK(shown["ding"]["state"] == "live");
  CHECK(shown["ding"]["reconnects"] == 4);
  const std::string exposition = metrics.render();
  CHECK(exposition.find("slabot_stream_live{connection=\"ding\"} 1") != std::string::npos);
  CHECK(exposition.find("slabot_stream_reconnects_total{connection=\"ding\"} 4") != std::string::npos);

  supervisor.stop();
  CHECK(supervisor.statuses().at("ding").state == StreamState::stopped);
  CHECK(metrics.render().find("slabot_stream_live{connection=\"ding\"} 0") != std::string::npos);
}

TEST_CASE("supervisor: while backing off, the state says why and when the next attempt comes", "[stream]") {
  // A sleeper that holds the first wait until released, so the state can be read mid-wait.
  struct HoldingSleeper final : StreamSleeper {
    std::mutex mutex;
    std::condition_variable changed;
    bool waiting = false, released = false, woken = false;
    bool sleep_for(std::chrono::milliseconds) override {
      std::unique_lock lock(mutex);
      waiting = true;
      changed.notify_all();
      changed.wait(lock, [this] { return released || woken; });
      return !woken;
    }
    void wake_all() override {
      std::lock_guard lock(mutex);
      woken = true;
      changed.notify_all();
    }
  };
  auto sleeper = std::make_shared<HoldingSleeper>();
  std::vector<std::unique_ptr<StreamSession>> sessions;
  sessions.push_back(std::make_unique<ScriptedSession>(
      "slack", std::deque<SessionEnd>{ended(SessionEnd::Kind::refused, "apps.connections.open: invalid_auth")}));
  StreamSupervisorOptions options;
  options.reconnect = ReconnectSettings{100ms, 1000ms, 300000ms};
  options.jitter = [] { return 1.0; };
  options.sleeper = sleeper;
  StreamSupervisor supervisor(std::move(sessions), options);
  supervisor.start();
  {
    std::unique_lock lock(sleeper->mutex);
    REQUIRE(sleeper->changed.wait_for(lock, 10s, [&] { return sleeper->waiting; }));
  }
  const auto status = supervisor.statuses().at("slack");
  CHECK(status.state == StreamState::backing_off);
  CHECK(status.detail == "apps.connections.open: invalid_auth; next attempt in 300 s");
  CHECK(status.reconnects == 0);
  // stop() ends the wait at once: no attempt after it.
  supervisor.stop();
  CHECK(supervisor.statuses().at("slack").state == StreamState::stopped);
}

TEST_CASE("supervisor: a session that throws is retried like a drop, never ends the process", "[stream]") {
  struct ThrowingOnce final : StreamSession {
    std::string name = "tg";
    int attempts = 0;
    std::mutex mutex;
    std::condition_variable changed;
    bool stopped = false;
    const std::string& connection_name() const override { return name; }
    SessionEnd run_once(StreamReport&) override {
      std::unique_lock lock(mutex);
      if (++attempts == 1) throw std::runtime_error("bug");
      changed.notify_all();
      changed.wait(lock, [this] { return stopped; });
      return SessionEnd{SessionEnd::Kind::stopped, "", {}, false, false};
    }
    void stop() override {
      std::lock_guard lock(mutex);
      stopped = true;
      changed.notify_all();
    }
  };
  auto session = std::make_unique<ThrowingOnce>();
  ThrowingOnce& throwing = *session;
  auto sleeper = std::make_shared<RecordingSleeper>();
  const auto supervisor = supervise(std::move(session), StreamSupervisorOptions{}, sleeper);
  {
    std::unique_lock lock(throwing.mutex);
    REQUIRE(throwing.changed.wait_for(lock, 10s, [&] { return throwing.attempts == 2; }));
  }
  CHECK(sleeper->waits() == std::vector<std::chrono::milliseconds>{1000ms});
  supervisor->stop();
}

TEST_CASE("supervisor: a connection's own max_retry caps its waits in place of the default", "[stream]") {
  std::deque<SessionEnd> drops;
  for (int i = 0; i < 5; ++i) drops.push_back(ended(SessionEnd::Kind::dropped, "connect refused"));
  auto session = std::make_unique<ScriptedSession>("slow", drops);
  ScriptedSession& scripted = *session;
  auto sleeper = std::make_shared<RecordingSleeper>();
  StreamSupervisorOptions options;
  options.reconnect = ReconnectSettings{100ms, 200ms, 60000ms};
  options.reconnect_by_connection["slow"] = ReconnectSettings{100ms, 800ms, 60000ms};
  options.reconnect_by_connection["other"] = ReconnectSettings{100ms, 100ms, 60000ms};
  const auto supervisor = supervise(std::move(session), options, sleeper);
  REQUIRE(scripted.wait_live_at_end());
  CHECK(sleeper->waits() == std::vector<std::chrono::milliseconds>{100ms, 200ms, 400ms, 800ms, 800ms});
}
