#pragma once
// Delivers the outbox: every message the bot sends was stored first; this sends it, reads the
// platform's answer through the adapter, and records the outcome. A crash between send and
// record means a resend, never a loss.
//
// Per destination (connection, chat, url): one message in flight at a time, so messages to one
// group keep their order within a lane; the urgent lane (breach pings, escalations) goes before
// the routine one; the platform's rate limit (or the connection's override) is respected. What
// an answer means for the message is delivery_rules.hpp's: a wait the platform asked for is not
// a failure, failures that may pass retry until `max_age`, a message the platform calls wrong
// dies at `max_attempts`, and one that can never go is dead at once: visible, never dropped.
// A warning whose ticket moved on meanwhile is superseded, not sent late.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "adapters/chat_adapter.hpp"
#include "bot/http/http_client.hpp"
#include "bot/metrics/metrics.hpp"
#include "bot/outbox/rate_window.hpp"
#include "bot/worker_thread.hpp"
#include "config/config.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

struct OutboxRoute {
  std::shared_ptr<const ChatAdapter> adapter;
  RateLimit limit;  // per destination
};

struct PumpResult {
  std::size_t started = 0;  // sends begun in this pass
  // When a backoff ends, a rate window opens or a platform's wait is over; `now` itself when
  // an outcome recorded during the pass left something to look at again at once.
  std::optional<Timestamp> next_wake;
};

class OutboxWorker {
 public:
  OutboxWorker(Store& store, const Clock& clock, HttpClient& http, std::map<std::string, OutboxRoute> routes,
               OutboxSettings settings, std::function<double()> jitter = {}, Metrics* metrics = nullptr);
  ~OutboxWorker();  // stops the driver, then waits for sends in flight to be recorded
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // Starts every send allowed at `now`.
  PumpResult pump(Timestamp now);

  // Waits until every started send has been answered and recorded.
  void wait_idle();

  // From the next pass on, sends through these routes with these settings (a config reload).
  // Sends in flight finish with the adapter they started with; a destination's pause and rate
  // window carry over.
  void reconfigure(std::map<std::string, OutboxRoute> routes, OutboxSettings settings);

  // Runs pump on its own thread whenever woken, at the next wake time, and at least every 200 ms
  // of real time (new messages are found by polling too).
  void start();
  void stop();
  void wake();

 private:
  struct Destination {
    bool in_flight = false;
    RateWindow window;
    // The platform asked this destination to wait (429 Retry-After, DingTalk's mute): nothing
    // goes to it, in either lane, before then.
    std::optional<Timestamp> paused_until;
    // The value of recorded_ when its last outcome was recorded: a pass that read the outbox
    // before then saw this destination as it was, and must not act on it.
    std::uint64_t recorded_at = 0;
  };

  // The routes and settings one pass (and the sends it starts) works with.
  struct Plan {
    std::map<std::string, OutboxRoute> routes;
    OutboxSettings settings;
  };
  std::shared_ptr<const Plan> plan() const;

  // Why `row` (an SLA stage's notice) is out of date and must not be sent late, if it is.
  using TicketCache = std::map<std::int64_t, std::optional<Ticket>>;
  std::optional<std::string> superseded_because(const OutboxRow& row, TicketCache& tickets);
  // False when nothing was sent (no URL, or the adapter could not render it: recorded dead).
  bool send(const OutboxRow& row, const OutboxRoute& route, const OutboxSettings& settings,
            const std::string& destination, Timestamp now);
  // Sends the adapter's credential request in the message's place (ChatAdapter::credential_request).
  bool fetch_credential(const OutboxRow& row, const OutboxRoute& route, const OutboxSettings& settings,
                        const std::string& destination, OutboundRequest fetch);
  void finish(const OutboxRow& row, const std::string& destination, const DeliveryUpdate& update,
              std::optional<Timestamp> pause_until = std::nullopt);
  std::chrono::nanoseconds run_pass();

  Store& store_;
  const Clock& clock_;
  Metrics* metrics_;  // optional: counts each recorded step (delivery_outcome)
  HttpClient& http_;
  const std::function<double()> jitter_;

  mutable std::mutex mutex_;
  std::shared_ptr<const Plan> plan_;
  std::condition_variable idle_;
  std::map<std::string, Destination> destinations_;
  std::size_t in_flight_ = 0;
  std::uint64_t recorded_ = 0;  // outcomes recorded so far, successful or not
  // Outcomes the store failed to record, by row id: recorded again before the row could be
  // sent again, so a storage hiccup does not resend a message the platform already has.
  std::map<std::int64_t, DeliveryUpdate> unrecorded_;
  WorkerThread driver_{"outbox"};  // last: its rounds use the rest
};

}  // namespace slabot
