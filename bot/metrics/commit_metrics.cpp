#include "bot/metrics/commit_metrics.hpp"

namespace slabot {

CommitMetrics::CommitMetrics(SqliteStore& store, Metrics& metrics) : store_(store) {
  store_.observe_commits([&metrics](std::size_t writes, std::chrono::duration<double> took) {
    metrics.observe_commit(writes, took.count());
  });
}

CommitMetrics::~CommitMetrics() { store_.observe_commits({}); }

}  // namespace slabot
