#pragma once
// The embedded SQLite backend of Db (the default deployment: one process, one database file).
//
// Writes: one writer connection, owned by one writer thread. Concurrent Write() calls queue up;
// the writer takes every queued job, opens one `BEGIN IMMEDIATE` transaction, runs each job in
// its own SAVEPOINT (a job whose work fails is rolled back to its savepoint alone) and COMMITs
// once — group commit, so N concurrent writers share one fsync. A caller returns only after its
// batch committed, so a successful Write is durable per `synchronous`.
// A batch of one job runs without a savepoint: there is nobody else's work to protect, and a
// savepoint makes SQLite copy the old image of every page the job touches.
// Reads: a pool of reader connections; a read transaction is a deferred `BEGIN` on one of them
// and sees one consistent snapshot (WAL mode) while writes go on.
// Checkpoints (copying the write-ahead log back into the database file) run on a thread of their
// own once the log holds `checkpoint_pages`, so the writer only ever appends to the log; should
// that thread fall far behind (eight times that), the writer checkpoints itself.
//
// Thread-safety: all public methods may be called from any thread. Calling Run/Read/Write/Ping
// on the same Db from inside one of its own transaction callbacks is a programming error (it
// would deadlock or read around the open transaction): the process aborts with a message.
// An exception thrown by a write callback is rethrown on the calling thread after that job's
// savepoint was rolled back; the other jobs of the batch are unaffected.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "storage/db.h"

struct sqlite3;

namespace oc::storage {

struct SqliteOptions {
  enum class Synchronous { kOff, kNormal, kFull, kExtra };

  std::string path;  // database file; created if missing. REQUIRES: a file path, not ":memory:".
  Synchronous synchronous = Synchronous::kFull;
  // How long a statement waits for a lock held by another process before failing kUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
  int reader_pool_size = 4;  // REQUIRES: >= 1
  // Upper bound on the Write() calls committed together, which bounds a batch's latency.
  int max_batch_size = 512;  // REQUIRES: >= 1
  // Prepared statements kept per connection; beyond this the cache is emptied and refilled.
  int statement_cache_size = 256;  // REQUIRES: >= 1
  // Page cache of the writer connection, in MiB, taken only as pages are used. Inserts update
  // every index of a table at random places; once those pages no longer fit, each insert reads
  // them back from the OS (SQLite's own default is 2 MiB). Readers keep SQLite's default and
  // share the OS page cache.
  int writer_cache_mib = 256;  // REQUIRES: >= 2
  // Log pages that start a checkpoint. Larger than SQLite's 1000: an index page rewritten by
  // several commits in between is copied back once (bulk intake of a million customers, median
  // of three runs on a noisy 2-core machine: 12.7k rows/s at 1000, 14.0k at 16000).
  int checkpoint_pages = 16000;  // REQUIRES: >= 1
};

class SqliteDb final : public Db {
 public:
  // Opens (creating if needed) the database in WAL mode with foreign keys on, starts the writer
  // thread and opens the reader connections.
  // Errors: kInvalidArgument on bad options; kUnavailable when the file cannot be opened or
  // locked; kInternal on any other SQLite failure.
  static Result<std::unique_ptr<SqliteDb>> Open(SqliteOptions options);

  // Lets queued writes finish, then stops the writer thread and closes every connection.
  // REQUIRES: no Run() in progress on other threads.
  ~SqliteDb() override;

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Run(TxMode mode, const std::function<Status(Tx&)>& work) override;
  Status Ping() override;

  // Write transactions the writer committed so far; each carries one or more Write() calls.
  int64_t committed_batches() const { return committed_batches_.load(); }
  // Write() calls whose work succeeded and whose batch committed.
  int64_t committed_writes() const { return committed_writes_.load(); }
  // Write() calls waiting for the writer right now (not counting the batch being run).
  int64_t queued_writes() const;

  class Connection;  // one sqlite3 handle with its statement cache; defined in sqlite_db.cc

 private:
  struct WriteJob;

  SqliteDb(SqliteOptions options, std::unique_ptr<Connection> writer,
           std::unique_ptr<Connection> checkpointer,
           std::vector<std::unique_ptr<Connection>> readers);

  Status RunRead(const std::function<Status(Tx&)>& work);
  Status RunWrite(const std::function<Status(Tx&)>& work);
  void WriterLoop();
  void RunBatch(const std::vector<WriteJob*>& batch);
  // SQLite's hook after each commit, with the pages now in the log.
  static int OnWalCommit(void* self, sqlite3* handle, const char* schema, int pages);
  void CheckpointLoop();

  const SqliteOptions options_;

  std::unique_ptr<Connection> writer_connection_;
  mutable std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<WriteJob*> queue_;
  bool stopping_ = false;
  std::thread writer_thread_;
  std::atomic<int64_t> committed_batches_{0};
  std::atomic<int64_t> committed_writes_{0};

  std::unique_ptr<Connection> checkpoint_connection_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;    // guarded by checkpoint_mu_
  bool checkpoint_stopping_ = false;  // guarded by checkpoint_mu_
  std::thread checkpoint_thread_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> all_readers_;
  std::vector<Connection*> idle_readers_;
};

}  // namespace oc::storage
