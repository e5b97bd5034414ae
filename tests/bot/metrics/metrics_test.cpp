// The registry's text exposition: names, HELP and TYPE, label escaping, histogram buckets.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "bot/metrics/metrics.hpp"
#include "tests/bot/metrics/exposition.hpp"

using namespace slabot;
using testing::sample;

TEST_CASE("metrics: build info, HELP and TYPE for every family, counters ending in _total") {
  Metrics metrics("1.2.3");
  metrics.count_http_request("hooks", "hooks", 200);
  metrics.observe_command("open", "ok", 0.01);  // a family without a series is left out
  const std::string text = metrics.render();
  CHECK(sample(text, "slabot_build_info{version=\"1.2.3\"}") == 1);
  CHECK(text.find("# TYPE slabot_build_info gauge\n") != std::string::npos);
  CHECK(text.find("# HELP slabot_http_requests_total ") != std::string::npos);
  CHECK(text.find("# TYPE slabot_http_requests_total counter\n") != std::string::npos);
  CHECK(text.find("# TYPE slabot_command_duration_seconds histogram\n") != std::string::npos);
  CHECK(sample(text, "slabot_http_requests_total{connection=\"hooks\",route=\"hooks\",status=\"200\"}") == 1);
  CHECK(Metrics::build_version() == SLABOT_TEST_VERSION);
}

TEST_CASE("metrics: each combination of a request's labels is a series of its own, however it is counted") {
  Metrics metrics("v");
  for (int i = 0; i < 3; ++i) metrics.count_http_request("hooks", "hooks", 200);
  metrics.count_http_request("hooks", "hooks", 401);
  metrics.count_http_request("hook", "shooks", 200);  // the same letters, split otherwise
  metrics.count_http_request("", "healthz", 200);
  metrics.count_http_request("", "healthz", 200);
  // Counted from several threads at once, as the HTTP threads do.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 1000; ++i) {
        metrics.count_http_request("lark", "hooks", t % 2 == 0 ? 200 : 429);
        metrics.observe_command(t % 2 == 0 ? "open" : "ack", "ok", 0.001);
        if (t == 0) metrics.observe_command("open", "refused", 0.001);  // same verb, other outcome
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = metrics.render();
  const std::string name = "slabot_http_requests_total";
  CHECK(sample(text, name + "{connection=\"hooks\",route=\"hooks\",status=\"200\"}") == 3);
  CHECK(sample(text, name + "{connection=\"hooks\",route=\"hooks\",status=\"401\"}") == 1);
  CHECK(sample(text, name + "{connection=\"hook\",route=\"shooks\",status=\"200\"}") == 1);
  CHECK(sample(text, name + "{connection=\"\",route=\"healthz\",status=\"200\"}") == 2);
  CHECK(sample(text, name + "{connection=\"lark\",route=\"hooks\",status=\"200\"}") == 2000);
  CHECK(sample(text, name + "{connection=\"lark\",route=\"hooks\",status=\"429\"}") == 2000);
  CHECK(sample(text, "slabot_commands_total{outcome=\"ok\",verb=\"open\"}") == 2000);
  CHECK(sample(text, "slabot_commands_total{outcome=\"refused\",verb=\"open\"}") == 1000);
  CHECK(sample(text, "slabot_command_duration_seconds_count{verb=\"open\"}") == 3000);  // both outcomes
  CHECK(sample(text, "slabot_command_duration_seconds_count{verb=\"ack\"}") == 2000);
}

TEST_CASE("metrics: a label value's backslash, quote and newline are escaped") {
  Metrics metrics("v");
  metrics.count_delivery("a\\b\"c\nd", "generic", "sent");
  CHECK(
      sample(metrics.render(),
             "slabot_outbox_deliveries_total{connection=\"a\\\\b\\\"c\\nd\",outcome=\"sent\",platform=\"generic\"}") ==
      1);
}

TEST_CASE("metrics: histogram buckets are cumulative and end in +Inf, with _sum and _count") {
  Metrics metrics("v");
  metrics.observe_command("ack", "ok", 0.003);
  metrics.observe_command("ack", "ok", 0.003);
  metrics.observe_command("ack", "failed", 7);
  const std::string text = metrics.render();
  const std::string name = "slabot_command_duration_seconds";
  CHECK(sample(text, name + "_bucket{verb=\"ack\",le=\"0.0025\"}") == 0);
  CHECK(sample(text, name + "_bucket{verb=\"ack\",le=\"0.005\"}") == 2);
  CHECK(sample(text, name + "_bucket{verb=\"ack\",le=\"5\"}") == 2);
  CHECK(sample(text, name + "_bucket{verb=\"ack\",le=\"10\"}") == 3);
  CHECK(sample(text, name + "_bucket{verb=\"ack\",le=\"+Inf\"}") == 3);
  CHECK(sample(text, name + "_count{verb=\"ack\"}") == 3);
  CHECK(sample(text, name + "_sum{verb=\"ack\"}") == Approx(7.006));
  CHECK(sample(text, "slabot_commands_total{outcome=\"ok\",verb=\"ack\"}") == 2);
  CHECK(sample(text, "slabot_commands_total{outcome=\"failed\",verb=\"ack\"}") == 1);
}

TEST_CASE("metrics: the outbox gauges hold the last figures set") {
  Metrics metrics("v");
  metrics.set_outbox({3, 1, 42.5});
  metrics.set_outbox({2, 1, 12});
  const std::string text = metrics.render();
  CHECK(sample(text, "slabot_outbox_messages{state=\"pending\"}") == 2);
  CHECK(sample(text, "slabot_outbox_messages{state=\"dead\"}") == 1);
  CHECK(sample(text, "slabot_outbox_oldest_pending_age_seconds") == 12);
}

TEST_CASE("metrics: promtool accepts the exposition") {
  Metrics metrics("1.2.3");
  metrics.count_http_request("", "healthz", 200);
  metrics.observe_command("open", "ok", 0.01);
  metrics.count_delivery("x\"y", "generic", "retry");
  const auto verdict = testing::promtool_check(metrics.render());
  if (!verdict) {
    WARN("promtool not found (Debian package `prometheus`): the exposition check is skipped");
    return;
  }
  INFO(verdict->output);
  CHECK(verdict->status == 0);
}

TEST_CASE("metrics: open tickets are replaced each refresh; a combination gone since reads 0") {
  Metrics metrics("v");
  metrics.set_open_tickets({{"acme", 1, "open", 2}, {"globex", 3, "acknowledged", 1}});
  metrics.set_open_tickets({{"acme", 1, "open", 1}});
  const std::string text = metrics.render();
  CHECK(sample(text, "slabot_open_tickets{severity=\"1\",state=\"open\",tenant=\"acme\"}") == 1);
  CHECK(sample(text, "slabot_open_tickets{severity=\"3\",state=\"acknowledged\",tenant=\"globex\"}") == 0);
}

TEST_CASE("metrics: SLA stages by kind, escalations by rung, the scheduler's lag") {
  Metrics metrics("v");
  metrics.count_sla_stage("warning", std::nullopt, 0.02);
  metrics.count_sla_stage("breach", "TAM", 1.5);
  const std::string text = metrics.render();
  CHECK(sample(text, "slabot_sla_stages_total{kind=\"warning\"}") == 1);
  CHECK(sample(text, "slabot_sla_stages_total{kind=\"breach\"}") == 1);
  CHECK(sample(text, "slabot_sla_escalations_total{rung=\"TAM\"}") == 1);
  CHECK(sample(text, "slabot_sla_scheduler_lag_seconds_bucket{le=\"0.05\"}") == 1);
  CHECK(sample(text, "slabot_sla_scheduler_lag_seconds_bucket{le=\"2\"}") == 2);
  CHECK(sample(text, "slabot_sla_scheduler_lag_seconds_count") == 2);
}

TEST_CASE("metrics: store commits by time and by writes per batch") {
  Metrics metrics("v");
  metrics.observe_commit(1, 0.004);
  metrics.observe_commit(40, 0.02);
  const std::string text = metrics.render();
  CHECK(sample(text, "slabot_store_write_batch_size_bucket{le=\"1\"}") == 1);
  CHECK(sample(text, "slabot_store_write_batch_size_bucket{le=\"32\"}") == 1);
  CHECK(sample(text, "slabot_store_write_batch_size_bucket{le=\"64\"}") == 2);
  CHECK(sample(text, "slabot_store_write_batch_size_sum") == 41);
  CHECK(sample(text, "slabot_store_commit_duration_seconds_bucket{le=\"0.005\"}") == 1);
  CHECK(sample(text, "slabot_store_commit_duration_seconds_count") == 2);
}
