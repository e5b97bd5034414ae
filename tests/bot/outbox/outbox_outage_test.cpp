// A one-minute platform outage while tickets warn and breach, end to end through the runtime (the
// scheduler, the store and the outbox worker on their own threads) on a clock 20 times faster
// than the wall's: 30 s of 503, then 30 s of 429 with Retry-After 3, then recovery. Every
// message arrives, none is dead, each group's order holds, out-of-date warnings are superseded
// instead of sent late, and `slabot outbox list`'s report shows each step meanwhile.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/message_id.hpp"
#include "bot/runtime.hpp"
#include "commands/outbox_view.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/ladder_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

// Fast enough for the suite (the minute and a half takes 9 s), slow enough that each step has
// hundreds of milliseconds of real time on a loaded machine.
constexpr double kSpeed = 10;

// The platform: answers by the bot's clock, on its own thread (never inside send), and records
// every request it accepted.
class OutagePlatform final : public HttpClient {
 public:
  OutagePlatform(const Clock& clock, Timestamp start) : clock_(clock), start_(start) {
    thread_ = std::thread([this] { run(); });
  }
  ~OutagePlatform() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void send(OutboundRequest request, std::function<void(HttpResponse)> done) override {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(request), std::move(done)});
    wake_.notify_all();
  }

  struct Received {
    std::string chat_id;
    std::string message_id;
    std::string text;
  };
  std::vector<Received> delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
  }
  std::size_t refused() const {
    std::lock_guard lock(mutex_);
    return refused_;
  }

 private:
  struct Pending {
    OutboundRequest request;
    std::function<void(HttpResponse)> done;
  };

  HttpResponse answer(const OutboundRequest& request) {
    const auto since = clock_.now() - start_;
    HttpResponse response;
    if (since < 30s) {
      response.status = 503;
    } else if (since < 60s) {
      response.status = 429;
      response.headers["retry-after"] = "3";
    } else {
      response.status = 200;
      const auto body = nlohmann::json::parse(request.body);
      delivered_.push_back({body.at("chat_id"), body.at("message_id"), body.at("text")});
      return response;
    }
    ++refused_;
    return response;
  }

  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      Pending next = std::move(queue_.front());
      queue_.pop_front();
      HttpResponse response = answer(next.request);
      lock.unlock();
      next.done(std::move(response));
      lock.lock();
    }
  }

  const Clock& clock_;
  const Timestamp start_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  std::vector<Received> delivered_;
  std::size_t refused_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

Config outage_config(const std::string& db) {
  Config c = testing::ladder_config(db, "http://platform.test/out");
  // Critical answers due in 50 s: warnings at 25 s and 40 s and the breach at 50 s fall in the
  // outage; the first repeat ping at 80 s after it.
  SlaPolicy& premium = c.sla.for_package(Package::premium);
  premium.response_limits[0] = 50s;
  premium.repeat_every = 30s;
  c.outbox.first_retry = 2s;
  c.outbox.max_retry = 4s;
  return c;
}

std::string ask(MessageHandler& handler, const std::string& user, const std::string& text) {
  std::promise<BotReply> promise;
  handler.handle(InboundMessage{"hooks", "generic", "", "acme-7x24", user, user, text},
                 [&](BotReply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get().text;
}

// Sleeps until the bot's clock shows `start + at`.
void until(const Clock& clock, Timestamp start, Duration at) {
  std::this_thread::sleep_for(clock.real_time_until(start + at));
}

// Polls `done` until it holds or the bot's clock reaches `start + by`; false then.
template <typename Predicate>
bool before(const Clock& clock, Timestamp start, Duration by, Predicate done) {
  while (!done()) {
    if (clock.now() >= start + by) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

TEST_CASE("outage: 60 s of 503 then 429 while tickets warn and breach; after it every message arrives, in order",
          "[outage]") {
  testing::TempDir dir;
  const Config config = outage_config(dir.file("outage.db"));
  SqliteStore store({config.database_path});
  SystemClock wall;
  ScaledClock clock(wall, kSpeed);
  const Timestamp start = clock.now();
  OutagePlatform platform(clock, start);
  std::string during_503, during_429;
  {
    BotRuntime runtime(config, store, clock, platform);
    runtime.start();
    REQUIRE(ask(runtime, "u-pat", "/open critical DB down").starts_with("#1 opened"));
    REQUIRE(ask(runtime, "u-pat", "/open critical VPN down").starts_with("#2 opened"));

    // Both warned at 25 s, refused with 503 since.
    until(clock, start, 25s);
    CHECK(before(clock, start, 30s, [&] {
      during_503 = outbox_report(store, 50, "", Zone{});
      return during_503.find("HTTP 503") != std::string::npos;
    }));
    // #2 acknowledged well before its 80% warning (40 s): its 50% one is out of date.
    until(clock, start, 31s);
    REQUIRE(ask(runtime, "u-erin", "/ack 2").starts_with("#2 acknowledged"));
    // #1 breached at 50 s; the platform asks to wait.
    until(clock, start, 50s);
    CHECK(before(clock, start, 60s, [&] {
      during_429 = outbox_report(store, 50, "", Zone{});
      return during_429.find("asked to wait") != std::string::npos;
    }));
    // Recovered at 60 s; #1's first repeat ping at 80 s, the second not before 110 s.
    until(clock, start, 80s);
    CHECK(before(clock, start, 105s, [&] {
      return store.count_outbox(OutboxQuery::pending) == 0 &&
             platform.delivered().size() >= 4;  // the breach and the repeat, each to the group and the support side
    }));
    runtime.stop();
  }

  INFO("report during the 503s:\n" << during_503);
  INFO("report during the 429s:\n" << during_429);
  CHECK(during_503.find("HTTP 503") != std::string::npos);
  CHECK(during_503.find("failed tr") != std::string::npos);
  CHECK(during_429.find("HTTP 429") != std::string::npos);
  CHECK(during_429.find("asked to wait") != std::string::npos);
  CHECK(platform.refused() > 0);

  // Nothing dead, nothing left waiting.
  CHECK(store.count_outbox(OutboxQuery::dead) == 0);
  CHECK(store.count_outbox(OutboxQuery::pending) == 0);

  const auto rows = store.list_outbox(OutboxQuery::all, 100);
  std::map<std::string, const OutboxRow*> by_message_id;
  for (const auto& row : rows) by_message_id[outbox_message_id(row.item.idempotency_key)] = &row;

  // Every sent row arrived, exactly once here, and no superseded one did.
  const auto delivered = platform.delivered();
  std::map<std::string, int> arrivals;
  for (const auto& d : delivered) ++arrivals[d.message_id];
  for (const auto& row : rows) {
    CAPTURE(row.id, row.item.message.text, row.last_error);
    const int times = arrivals[outbox_message_id(row.item.idempotency_key)];
    if (row.status == OutboxStatus::sent) {
      CHECK(times == 1);
    } else {
      CHECK(row.status == OutboxStatus::superseded);
      CHECK(times == 0);
    }
  }

  // What was superseded: #1's 50% warning (by its 80%) and its 80% (by the breach), and #2's 50%
  // (acknowledged meanwhile).
  std::multiset<std::string> superseded;
  for (const auto& row : rows) {
    if (row.status == OutboxStatus::superseded) superseded.insert(row.last_error);
  }
  CHECK(superseded == std::multiset<std::string>{"superseded: #1 reached breach", "superseded: #1 reached warn80",
                                                 "superseded: #2 is acknowledged now"});

  // The breach ping and the repeat reached the group, breach first; each group in queue order.
  std::map<std::string, std::int64_t> last_id;
  std::vector<std::string> group_texts;
  for (const auto& d : delivered) {
    const OutboxRow* row = by_message_id.at(d.message_id);
    CHECK(row->id > last_id[d.chat_id]);
    last_id[d.chat_id] = row->id;
    if (d.chat_id == "acme-7x24") group_texts.push_back(d.text);
  }
  REQUIRE(group_texts.size() >= 2);
  CHECK(group_texts[0].find("#1 Critical \"DB down\": response SLA of 50s breached") == 0);
  CHECK(group_texts[1].find("#1 Critical \"DB down\": still no response") == 0);
  CHECK(last_id.count("support") == 1);  // the climb reached the support side too
}
