#pragma once
// The store's group commits, measured: each committed batch's time and size reach `metrics` for
// as long as this object lives (declare it after both, so it goes first).
#include "bot/metrics/metrics.hpp"
#include "storage/sqlite_store.hpp"

namespace slabot {

class CommitMetrics {
 public:
  CommitMetrics(SqliteStore& store, Metrics& metrics);
  ~CommitMetrics();  // stops the reports before `metrics` may go
  CommitMetrics(const CommitMetrics&) = delete;
  CommitMetrics& operator=(const CommitMetrics&) = delete;

 private:
  SqliteStore& store_;
};

}  // namespace slabot
