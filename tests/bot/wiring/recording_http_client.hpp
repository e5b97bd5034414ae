#pragma once
// An HttpClient that records what the bot sends and answers each request with a scripted
// status from its own thread (the interface promises never to answer inline).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "bot/http/http_client.hpp"
#include "bot/work_queue.hpp"

namespace slabot::testing {

class RecordingHttpClient final : public HttpClient {
 public:
  explicit RecordingHttpClient(int status = 200) : status_(status) {}
  ~RecordingHttpClient() override { answers_.reset(); }

  void send(OutboundRequest request, std::function<void(HttpResponse)> done) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    changed_.notify_all();
    answers_->post([this, done = std::move(done)] {
      HttpResponse response;
      response.status = status_;
      done(std::move(response));
    });
  }

  std::vector<OutboundRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // True once `count` requests arrived; false after `timeout`.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
  }

 private:
  const int status_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<OutboundRequest> requests_;
  std::unique_ptr<WorkQueue> answers_ = std::make_unique<WorkQueue>(1);
};

}  // namespace slabot::testing
