// /metrics end to end: the runtime and the real server over loopback, a scripted session through
// signed generic webhooks, then one scrape read back value by value and checked by promtool.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "bot/http/http_server.hpp"
#include "bot/metrics/commit_metrics.hpp"
#include "bot/runtime.hpp"
#include "bot/work_queue.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/metrics/exposition.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::sample;

namespace {

constexpr long long kNow = 1795329900;  // 2026-11-22 06:45:00 UTC
const Timestamp kT0 = from_unix_ms(kNow * 1000);
const std::string kSecret = "metrics-secret";

Config metrics_config(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::premium, "tom"}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}, true},
             {"tom", "Tom", Role::tam, {{"generic", "u-tom"}}}};
  c.connections = {{"hooks", "generic", {{"secret", kSecret}}, "http://platform.invalid/out"}};
  c.channels = {{"hooks", "acme-7x24", "acme"}, {"hooks", "support", ""}};
  return c;
}

std::string message(const std::string& event, const std::string& user, const std::string& text) {
  return json{{"event_id", event}, {"chat_id", "acme-7x24"}, {"user_id", user}, {"user_name", user}, {"text", text}}
      .dump();
}

// Answers the bot's sends with the scripted statuses in turn (then 200), from its own thread.
class ScriptedHttpClient final : public HttpClient {
 public:
  explicit ScriptedHttpClient(std::deque<int> statuses) : statuses_(std::move(statuses)) {}
  ~ScriptedHttpClient() override { answers_.reset(); }

  void send(OutboundRequest, std::function<void(HttpResponse)> done) override {
    HttpResponse response;
    {
      std::lock_guard lock(mutex_);
      response.status = statuses_.empty() ? 200 : statuses_.front();
      if (!statuses_.empty()) statuses_.pop_front();
    }
    answers_->post([response, done = std::move(done)] { done(response); });
  }

 private:
  std::mutex mutex_;
  std::deque<int> statuses_;
  std::unique_ptr<WorkQueue> answers_ = std::make_unique<WorkQueue>(1);
};

// HEAD over a plain socket: the test client reads a body after any header, and a HEAD has none.
// Returns everything the server sent before closing.
std::string head(unsigned short port, const std::string& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  const std::string request = "HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return answer;
}

struct Bot {
  testing::TempDir dir;
  Config config = metrics_config(dir.file("metrics.db"));
  SqliteStore store{{config.database_path}};
  ManualClock clock{kT0};
  ScriptedHttpClient http{{503}};  // the first send fails (may pass: retried), the rest succeed
  BotRuntime runtime{config, store, clock, http};
  CommitMetrics commit_metrics{store, runtime.metrics()};
  HttpServer server{HttpServerOptions{}, routes(), runtime, clock, [this] { return store.healthy(); },
                    &runtime.metrics()};
  unsigned short port = server.start();

  std::map<std::string, WebhookRoute> routes() {
    return {{"hooks", WebhookRoute{std::shared_ptr<const ChatAdapter>(make_adapter(config.connections[0]))}}};
  }
  int post(const std::string& body, const std::string& secret = kSecret) {
    return testing::post_generic(port, "hooks", secret, kNow, body).status;
  }
  // Fires what is due and delivers what is queued, by hand (the runtime's threads are not started).
  void drive() {
    runtime.scheduler().fire_due(clock.now());
    runtime.scheduler().wait_idle();
    runtime.outbox().pump(clock.now());
    runtime.outbox().wait_idle();
  }
};

}  // namespace

TEST_CASE("metrics e2e: a scripted session's requests, commands and deliveries, scraped exactly") {
  Bot bot;
  REQUIRE(bot.post(message("e1", "pat", "/open critical DB down")) == 200);
  REQUIRE(bot.post(message("e2", "pat", "/open critical API errors")) == 200);
  REQUIRE(bot.post(message("e3", "u-erin", "/ack #1")) == 200);
  REQUIRE(bot.post(message("e3", "u-erin", "/ack #1")) == 200);  // the platform's retry
  REQUIRE(bot.post(message("e4", "pat", "/ack")) == 200);        // no id: a usage error
  REQUIRE(bot.post(message("e5", "pat", "/open 1 forged"), "wrong-secret") == 401);
  // #2's clock runs out: one breach ping to the group and one climb to the support side. The
  // first send gets a 503 (kept, to be retried), the other is delivered.
  bot.clock.set(kT0 + 15min + 3s);  // fired 3 s after it was due
  bot.drive();
  bot.clock.set(kT0 + 15min + 45s);
  bot.runtime.gauges().refresh();

  const auto scrape = testing::http_request(bot.port, "GET", "/metrics", {}, "");
  REQUIRE(scrape.status == 200);
  CHECK(scrape.content_type == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scrape.body;
  INFO(text);
  CHECK(sample(text, "slabot_build_info{version=\"" + std::string(Metrics::build_version()) + "\"}") == 1);
  CHECK(sample(text, "slabot_http_requests_total{connection=\"hooks\",route=\"hooks\",status=\"200\"}") == 5);
  CHECK(sample(text, "slabot_http_requests_total{connection=\"hooks\",route=\"hooks\",status=\"401\"}") == 1);
  CHECK(sample(text, "slabot_commands_total{outcome=\"ok\",verb=\"open\"}") == 2);
  CHECK(sample(text, "slabot_commands_total{outcome=\"ok\",verb=\"ack\"}") == 1);
  CHECK(sample(text, "slabot_commands_total{outcome=\"duplicate\",verb=\"ack\"}") == 1);
  CHECK(sample(text, "slabot_commands_total{outcome=\"usage_error\",verb=\"unknown\"}") == 1);
  CHECK(sample(text, "slabot_command_duration_seconds_count{verb=\"open\"}") == 2);
  CHECK(sample(text, "slabot_command_duration_seconds_bucket{verb=\"open\",le=\"+Inf\"}") == 2);
  CHECK(sample(text, "slabot_outbox_deliveries_total{connection=\"hooks\",outcome=\"sent\",platform=\"generic\"}") ==
        1);
  CHECK(sample(text, "slabot_outbox_deliveries_total{connection=\"hooks\",outcome=\"retry\",platform=\"generic\"}") ==
        1);
  CHECK(sample(text, "slabot_outbox_messages{state=\"pending\"}") == 1);
  CHECK(sample(text, "slabot_outbox_messages{state=\"dead\"}") == 0);
  CHECK(sample(text, "slabot_outbox_oldest_pending_age_seconds") == 42);
  CHECK(sample(text, "slabot_open_tickets{severity=\"1\",state=\"acknowledged\",tenant=\"acme\"}") == 1);
  CHECK(sample(text, "slabot_open_tickets{severity=\"1\",state=\"open\",tenant=\"acme\"}") == 1);
  // #2's warning and breach came due together and collapsed into one breach, climbing to the TAM.
  CHECK(sample(text, "slabot_sla_stages_total{kind=\"breach\"}") == 1);
  CHECK(sample(text, "slabot_sla_escalations_total{rung=\"TAM\"}") == 1);
  CHECK(sample(text, "slabot_sla_scheduler_lag_seconds_count") == 1);
  CHECK(sample(text, "slabot_sla_scheduler_lag_seconds_sum") == 3);
  // Every write, in however many batches: two opens, an ack, the ack's retry (found to be one on
  // the writer, and rolled back), the breach, two delivery outcomes, and #1's stage, refused at
  // write time (it was acknowledged) but a write all the same.
  CHECK(sample(text, "slabot_store_write_batch_size_sum") == 8);
  CHECK(sample(text, "slabot_store_commit_duration_seconds_count") ==
        sample(text, "slabot_store_write_batch_size_count"));
  CHECK(sample(text, "slabot_store_commit_duration_seconds_sum") > 0);

  // The scrape itself is counted once answered: the next one shows it.
  const auto again = testing::http_request(bot.port, "GET", "/metrics", {}, "");
  CHECK(sample(again.body, "slabot_http_requests_total{connection=\"\",route=\"metrics\",status=\"200\"}") == 1);

  const auto verdict = testing::promtool_check(text);
  if (!verdict) {
    WARN("promtool not found (Debian package `prometheus`): the exposition check is skipped");
  } else {
    INFO(verdict->output);
    CHECK(verdict->status == 0);
  }
}

TEST_CASE("metrics e2e: /metrics takes GET and HEAD only; paths outside the table count as other") {
  Bot bot;
  const auto posted = testing::http_request(bot.port, "POST", "/metrics", {}, "x");
  CHECK(posted.status == 405);
  const std::string headed = head(bot.port, "/metrics");
  CHECK(headed.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(headed.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n") != std::string::npos);
  CHECK(headed.ends_with("\r\n\r\n"));  // the header only
  CHECK(testing::http_request(bot.port, "GET", "/no/such/path?x=1", {}, "").status == 404);
  CHECK(testing::http_request(bot.port, "POST", "/hooks/nobody", {}, "").status == 404);
  const std::string text = testing::http_request(bot.port, "GET", "/metrics", {}, "").body;
  CHECK(sample(text, "slabot_http_requests_total{connection=\"\",route=\"metrics\",status=\"405\"}") == 1);
  CHECK(sample(text, "slabot_http_requests_total{connection=\"\",route=\"metrics\",status=\"200\"}") == 1);
  CHECK(sample(text, "slabot_http_requests_total{connection=\"\",route=\"other\",status=\"404\"}") == 1);
  CHECK(sample(text, "slabot_http_requests_total{connection=\"\",route=\"hooks\",status=\"404\"}") == 1);
  CHECK(text.find("/no/such/path") == std::string::npos);
}
