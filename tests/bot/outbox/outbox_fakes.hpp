#pragma once
// Fakes for the outbox worker's tests: an HttpClient whose answers the test releases, and a
// Store decorator that can lose delivery records (a crash) or run a hook mid-pass (a race).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bot/http/http_client.hpp"
#include "storage/forwarding_store.hpp"

namespace slabot::testing {

// Records every request; the test answers each one when it likes. Answers are delivered from
// the fake's own thread, never inline, as the HttpClient interface promises.
class FakeHttpClient final : public HttpClient {
 public:
  FakeHttpClient() : thread_([this] { run(); }) {}
  ~FakeHttpClient() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  FakeHttpClient(const FakeHttpClient&) = delete;
  FakeHttpClient& operator=(const FakeHttpClient&) = delete;

  void send(OutboundRequest request, std::function<void(HttpResponse)> done) override {
    std::lock_guard lock(mutex_);
    sent_.push_back({std::move(request), std::move(done)});
    changed_.notify_all();
  }

  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return sent_.size();
  }
  OutboundRequest request(std::size_t i) const {
    std::lock_guard lock(mutex_);
    return sent_.at(i).request;
  }
  // How many requests are still waiting for their answer.
  std::size_t unanswered() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& s : sent_) n += s.done ? 1 : 0;
    return n;
  }

  // Answers request `i` (0-based, in send order) from the fake's thread.
  void answer(std::size_t i, HttpResponse response) {
    std::lock_guard lock(mutex_);
    REQUIRE(i < sent_.size());
    REQUIRE(sent_[i].done);  // each request is answered once
    answers_.push_back([done = std::move(sent_[i].done), response = std::move(response)] { done(response); });
    sent_[i].done = nullptr;
    changed_.notify_all();
  }
  void answer(std::size_t i, int status, std::string body = "", std::map<std::string, std::string> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    answer(i, std::move(response));
  }

  // Answers every request still waiting with status 0, as a client that stops does: so a test
  // that failed half-way still lets its worker finish.
  void fail_unanswered() {
    std::lock_guard lock(mutex_);
    for (auto& s : sent_) {
      if (!s.done) continue;
      HttpResponse stopped;
      stopped.body = "client stopped";
      answers_.push_back([done = std::move(s.done), stopped] { done(stopped); });
      s.done = nullptr;
    }
    changed_.notify_all();
  }

  // True once at least `n` requests were sent, false after `limit`.
  bool wait_for_count(std::size_t n, std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return sent_.size() >= n; });
  }

 private:
  struct Sent {
    OutboundRequest request;
    std::function<void(HttpResponse)> done;
  };

  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return stopping_ || !answers_.empty(); });
      if (answers_.empty()) return;
      auto answer = std::move(answers_.front());
      answers_.pop_front();
      lock.unlock();
      answer();
      lock.lock();
    }
  }

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<Sent> sent_;
  std::deque<std::function<void()>> answers_;
  bool stopping_ = false;
  std::thread thread_;
};

// Forwards to a real store. `lose_deliveries` delivery records fail without being written (a
// full disk; or, lost for good, a process that died between the send and the record);
// `after_list_outbox` runs once, after rows were read (due_outbox, list_outbox, outbox_heads) and
// before the caller sees them.
class HookedStore final : public ForwardingStore {
 public:
  explicit HookedStore(Store& inner) : ForwardingStore(inner) {}

  std::atomic<int> lose_deliveries{0};
  std::function<void()> after_list_outbox;

  std::vector<OutboxRow> due_outbox(Timestamp now, int limit) override {
    auto rows = ForwardingStore::due_outbox(now, limit);
    run_hook();
    return rows;
  }
  std::vector<OutboxRow> list_outbox(OutboxQuery query, int limit) override {
    auto rows = ForwardingStore::list_outbox(query, limit);
    run_hook();
    return rows;
  }
  std::vector<OutboxRow> outbox_heads(int limit) override {
    auto rows = ForwardingStore::outbox_heads(limit);
    run_hook();
    return rows;
  }
  void record_delivery(std::int64_t id, DeliveryUpdate update, WriteDone done) override {
    if (lose_deliveries > 0) {
      --lose_deliveries;
      done(WriteOutcome{WriteOutcome::Kind::failed, {}, std::nullopt});
      return;
    }
    ForwardingStore::record_delivery(id, std::move(update), std::move(done));
  }

 private:
  void run_hook() {
    if (!after_list_outbox) return;
    auto hook = std::move(after_list_outbox);
    after_list_outbox = nullptr;
    hook();
  }
};

}  // namespace slabot::testing
