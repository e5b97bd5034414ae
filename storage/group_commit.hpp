#pragma once
// One writer thread that batches the writes of concurrent requests into one transaction.
//
// With synchronous=FULL every COMMIT waits for fsync: about 6,000 single-write transactions a
// second on the reference machine, about 60,000 writes a second at 64 per transaction. Each job
// still succeeds or fails on its own, and each is completed only after the COMMIT that made it
// durable.
//
// A batch first runs without a savepoint per job: a SAVEPOINT copies every page a job then
// touches into its journal, 13% of the writer's instructions in an SLA burst. A job that fails
// having changed no row (the usual failure: a replay, or an error before any write) needs no
// undoing; sqlite3_total_changes64 tells, as every job writes with INSERT, UPDATE and DELETE
// only (no DDL, no blob writes). One that fails after changing rows does: then the batch is
// rolled back and runs again from its start with a SAVEPOINT each, so that job alone is undone.
// So a job may run twice; the second run is the one whose outcome counts, and a job (and the
// decision and reply it calls) must therefore change nothing outside the transaction.
//
// The completions run on a thread of their own, a batch at a time and in commit order: the writer
// starts the next batch while the last one's callbacks (the reply's rendering, the command's log
// line, the hand-back to the HTTP loop) run. On the writer thread they took a fifth of its time
// under load (perf, signed /open at 64 connections), time every queued write waited for.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/store.hpp"

namespace slabot {

class SqliteConnection;

// Told of every committed batch: how many writes it held and how long it took from BEGIN to the
// end of COMMIT (the fsync included). Runs on the writer thread: it must be quick.
using CommitObserver = std::function<void(std::size_t writes, std::chrono::duration<double> took)>;

class GroupCommitWriter {
 public:
  // Runs inside the batch transaction; a `failed` or `duplicate` outcome rolls the job back
  // (a refusal keeps what it wrote: the record of the event it answered). Jobs get the writer's
  // connection, whose cached statements they reuse (statement_cache.hpp). A job may run twice
  // (above): it changes nothing but the database; only its last run counts.
  using Job = std::function<WriteOutcome(SqliteConnection&)>;

  GroupCommitWriter(SqliteConnection& db, std::size_t max_batch);
  ~GroupCommitWriter();  // finishes every queued job, then stops
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  void submit(Job job, WriteDone done);

  // Replaces the observer (an empty one: none). Batches committed from now on are reported.
  void observe(CommitObserver observer);

  // Batches committed so far, for tests and benchmarks.
  std::size_t batches_committed() const;
  // Whether the newest batch failed to commit (the disk is full, the file is gone...).
  bool last_batch_failed() const;

 private:
  struct Pending {
    Job job;
    WriteDone done;
  };
  struct Completion {
    WriteDone done;
    WriteOutcome outcome;
  };
  void run();
  void commit_batch(std::deque<Pending>& batch);
  // The batch in one transaction, committed: true. Without `savepoint_each`, false (rolled back)
  // when a job failed after changing rows, which only a savepoint could undo alone; with it, each
  // job that fails is rolled back to its own savepoint, and the batch always commits.
  bool apply(std::deque<Pending>& batch, std::vector<WriteOutcome>& outcomes, bool savepoint_each);
  void complete(std::vector<Completion> batch);  // hands a committed batch to the completer
  void run_completions();

  SqliteConnection& db_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::size_t batches_committed_ = 0;
  bool last_batch_failed_ = false;
  CommitObserver observer_;

  std::mutex completions_mutex_;
  std::condition_variable completions_wake_;
  std::deque<std::vector<Completion>> completions_;
  bool completions_stopping_ = false;
  std::thread completer_;  // before the writer: started first, stopped after it, so no batch is left
  std::thread thread_;     // last: starts after everything it uses exists
};

}  // namespace slabot
