#include "storage/group_commit.hpp"

#include <SQLiteCpp/Database.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <stdexcept>
#include <vector>

#include "domain/thread_name.hpp"
#include "storage/sqlite_connection.hpp"

namespace slabot {

GroupCommitWriter::GroupCommitWriter(SqliteConnection& db, std::size_t max_batch)
    : db_(db),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      completer_([this] { run_completions(); }),
      thread_([this] { run(); }) {
  name_thread(completer_, "store-done");
  name_thread(thread_, "store-writer");
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();  // every queued job committed and its batch handed to the completer
  {
    std::lock_guard lock(completions_mutex_);
    completions_stopping_ = true;
  }
  completions_wake_.notify_one();
  completer_.join();  // every completion called
}

void GroupCommitWriter::submit(Job job, WriteDone done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(job), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  // Shutting down: nothing will run it, so say so now rather than never.
  done(WriteOutcome{WriteOutcome::Kind::failed, {}, {}});
}

bool GroupCommitWriter::last_batch_failed() const {
  std::lock_guard lock(mutex_);
  return last_batch_failed_;
}

std::size_t GroupCommitWriter::batches_committed() const {
  std::lock_guard lock(mutex_);
  return batches_committed_;
}

void GroupCommitWriter::run() {
  std::deque<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      // Whatever queued up while the last COMMIT was waiting for the disk goes in this one.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

void GroupCommitWriter::observe(CommitObserver observer) {
  std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

namespace {

// A job's outcome; an exception is a failure, logged.
WriteOutcome run_job(const GroupCommitWriter::Job& job, SqliteConnection& db) {
  try {
    return job(db);
  } catch (const std::exception& e) {
    spdlog::error("store: write failed: {}", e.what());
  } catch (...) {
    spdlog::error("store: write failed with a non-standard exception");
  }
  return WriteOutcome{WriteOutcome::Kind::failed, {}, {}};
}

// What the job wrote must not stay: a failure, or a replay (answered, not applied again).
bool to_undo(const WriteOutcome& outcome) {
  return outcome.kind == WriteOutcome::Kind::failed || outcome.kind == WriteOutcome::Kind::duplicate;
}

// SQLite may roll a whole transaction back itself after some errors (a full disk, an I/O error,
// in a statement without a statement journal): the jobs after it would then run outside any
// transaction, each statement committed on its own. The batch fails whole instead.
void require_transaction(SQLite::Database& database) {
  if (sqlite3_get_autocommit(database.getHandle()) != 0) {
    throw std::runtime_error("the batch's transaction was rolled back by SQLite");
  }
}

}  // namespace

bool GroupCommitWriter::apply(std::deque<Pending>& batch, std::vector<WriteOutcome>& outcomes, bool savepoint_each) {
  SQLite::Database& database = db_.database();
  db_.statement("BEGIN IMMEDIATE")->exec();
  for (auto& pending : batch) {
    if (savepoint_each) db_.statement("SAVEPOINT job")->exec();
    const auto changes_before = sqlite3_total_changes64(database.getHandle());
    WriteOutcome outcome = run_job(pending.job, db_);
    require_transaction(database);  // whatever the job says: it may have caught the error
    if (savepoint_each) {
      if (to_undo(outcome)) db_.statement("ROLLBACK TO job")->exec();
      db_.statement("RELEASE job")->exec();
    } else if (to_undo(outcome) && sqlite3_total_changes64(database.getHandle()) != changes_before) {
      db_.statement("ROLLBACK")->exec();  // only a savepoint can undo this job alone
      outcomes.clear();
      return false;
    }
    outcomes.push_back(std::move(outcome));
  }
  db_.statement("COMMIT")->exec();
  return true;
}

void GroupCommitWriter::commit_batch(std::deque<Pending>& batch) {
  std::vector<WriteOutcome> outcomes;
  bool committed = false;
  const auto began = std::chrono::steady_clock::now();
  try {
    outcomes.reserve(batch.size());
    // Cached like the jobs' statements: BEGIN, COMMIT, SAVEPOINT and RELEASE add up.
    if (!apply(batch, outcomes, /*savepoint_each=*/false)) {
      spdlog::info("store: a write failed after changing rows; its batch of {} runs again, each write undone alone",
                   batch.size());
      apply(batch, outcomes, /*savepoint_each=*/true);
    }
    committed = true;
  } catch (const std::exception& e) {
    spdlog::error("store: batch of {} writes failed: {}", batch.size(), e.what());
    try {
      SQLite::Database& database = db_.database();
      if (!database.getHandle() || sqlite3_get_autocommit(database.getHandle()) == 0) database.exec("ROLLBACK");
    } catch (const std::exception& rollback_error) {
      spdlog::error("store: rollback failed: {}", rollback_error.what());
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  {
    std::lock_guard lock(mutex_);
    if (committed) ++batches_committed_;
    last_batch_failed_ = !committed;
    // Under the lock, so observe({}) returning means the old observer is no longer called.
    if (committed && observer_) observer_(batch.size(), took);
  }
  std::vector<Completion> completions;
  completions.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    // Nothing of a failed batch is durable: every job in it hears so, none is half-applied.
    completions.push_back(Completion{std::move(batch[i].done), committed && i < outcomes.size()
                                                                   ? std::move(outcomes[i])
                                                                   : WriteOutcome{WriteOutcome::Kind::failed, {}, {}}});
  }
  complete(std::move(completions));
}

void GroupCommitWriter::complete(std::vector<Completion> batch) {
  {
    std::lock_guard lock(completions_mutex_);
    completions_.push_back(std::move(batch));
  }
  // One wake-up per batch, not per write.
  completions_wake_.notify_one();
}

void GroupCommitWriter::run_completions() {
  for (;;) {
    std::vector<Completion> batch;
    {
      std::unique_lock lock(completions_mutex_);
      completions_wake_.wait(lock, [this] { return completions_stopping_ || !completions_.empty(); });
      if (completions_.empty()) return;  // stopping, and every batch completed
      batch = std::move(completions_.front());
      completions_.pop_front();
    }
    for (auto& completion : batch) {
      try {
        completion.done(std::move(completion.outcome));
      } catch (const std::exception& e) {
        spdlog::error("store: write completion threw: {}", e.what());
      } catch (...) {
        spdlog::error("store: write completion threw a non-standard exception");
      }
    }
  }
}

}  // namespace slabot
