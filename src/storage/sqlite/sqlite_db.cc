#include "storage/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "core/private_files.h"
#include "storage/storage_errors.h"

namespace oc::storage {
namespace {

// The Dbs whose transaction callback is running on this thread. Starting another transaction on
// one of them from inside its own callback would wait for itself (the writer thread waiting on
// its own queue, or a reader waiting for a pooled connection this thread holds), so it is caught
// and reported instead of hanging.
thread_local std::vector<const Db*> tls_active_dbs;

class CallbackScope {
 public:
  explicit CallbackScope(const Db* db) { tls_active_dbs.push_back(db); }
  ~CallbackScope() { tls_active_dbs.pop_back(); }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;
};

void DieIfNested(const Db* db) {
  if (std::find(tls_active_dbs.begin(), tls_active_dbs.end(), db) == tls_active_dbs.end()) return;
  std::fprintf(stderr,
               "storage::SqliteDb: Run/Read/Write/Ping called from inside a transaction callback "
               "of the same Db (nested transaction). This would deadlock; use the Tx passed to "
               "the callback instead.\n");
  std::abort();
}

struct SqlHash {
  using is_transparent = void;
  size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

Error SqliteError(sqlite3* db, int code, std::string_view sql) {
  std::string detail = "sqlite: ";
  detail += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  detail += " (code " + std::to_string(code) + ")";
  if (!sql.empty()) {
    detail += " in: ";
    detail += sql;
  }
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return UniqueViolation(std::move(detail));
    // A read transaction that tried to upgrade after another connection committed: its snapshot
    // is stale, running it again sees the new data.
    case SQLITE_BUSY_SNAPSHOT:
      return TransactionConflict(std::move(detail));
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
      return DatabaseUnavailable(std::move(detail));
  }
  return Internal(std::move(detail));
}

bool OnlySeparatorsLeft(const char* tail) {
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    char c = *tail;
    if (c != ';' && c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

// Resets a statement when a query is done with it, so the next use starts clean and the
// statement releases its read snapshot and any bound text or blob it points into.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

class SqliteDb::Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags,
                                                  const SqliteOptions& options) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      Error error = SqliteError(db, rc, {});
      error.internal_detail += " opening " + path;
      sqlite3_close_v2(db);
      return error;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
    return std::unique_ptr<Connection>(new Connection(db, options.statement_cache_size));
  }

  ~Connection() {
    ClearCache();
    sqlite3_close_v2(db_);
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  Result<Rows> Query(std::string_view sql, const Params& params) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    StatementReset reset(stmt);
    RETURN_IF_ERROR(Bind(stmt, params, sql));
    const int column_count = sqlite3_column_count(stmt);
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(column_count);
    for (int i = 0; i < column_count; ++i) {
      const char* name = sqlite3_column_name(stmt, i);
      names->emplace_back(name != nullptr ? name : "");
    }
    std::shared_ptr<const std::vector<std::string>> columns = std::move(names);
    Rows rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, sql);
      std::vector<Value> values;
      values.reserve(column_count);
      for (int i = 0; i < column_count; ++i) values.push_back(ColumnValue(stmt, i));
      rows.emplace_back(columns, std::move(values));
    }
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    StatementReset reset(stmt);
    RETURN_IF_ERROR(Bind(stmt, params, sql));
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, sql);
    }
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* handle() const { return db_; }

  // A parameterless control statement (BEGIN, SAVEPOINT, COMMIT, PRAGMA).
  Status Exec(std::string_view sql) {
    RETURN_IF_ERROR(Execute(sql, {}));
    return Ok();
  }

  Status ExecuteScript(std::string_view sql) {
    std::string script(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_), sql);
    return Ok();
  }

 private:
  Connection(sqlite3* db, int cache_size) : db_(db), cache_size_(cache_size) {}

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    // Queries built at run time (report filters) could grow the cache without bound; starting
    // over is cheap and keeps memory flat. No cached statement is mid-step here: every Query and
    // Execute runs its statement to completion before returning.
    if (static_cast<int>(cache_.size()) >= cache_size_) ClearCache();
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    if (stmt == nullptr) return Internal("sqlite: empty statement: " + std::string(sql));
    // `tail` points into `sql`, which need not be NUL-terminated: check the remaining range.
    std::string rest(tail, sql.data() + sql.size());
    if (!OnlySeparatorsLeft(rest.c_str())) {
      sqlite3_finalize(stmt);
      return Internal("sqlite: more than one statement (use ExecuteScript): " + std::string(sql));
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return Internal("sqlite: statement has " + std::to_string(expected) + " placeholders, " +
                      std::to_string(params.size()) + " values given: " + std::string(sql));
    }
    for (int i = 0; i < expected; ++i) {
      const Value& value = params[i];
      const int slot = i + 1;
      int rc = SQLITE_OK;
      if (std::holds_alternative<Null>(value)) {
        rc = sqlite3_bind_null(stmt, slot);
      } else if (const int64_t* integer = std::get_if<int64_t>(&value)) {
        rc = sqlite3_bind_int64(stmt, slot, *integer);
      } else if (const double* real = std::get_if<double>(&value)) {
        rc = sqlite3_bind_double(stmt, slot, *real);
      } else if (const std::string* text = std::get_if<std::string>(&value)) {
        // SQLITE_STATIC: `params` outlives the statement's use; StatementReset clears the
        // bindings before the caller's values go away.
        rc =
            sqlite3_bind_text64(stmt, slot, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        const std::string& bytes = std::get<Blob>(value).bytes;
        // A NULL data pointer would bind SQL NULL; an empty blob must stay a zero-length blob.
        rc = bytes.empty()
                 ? sqlite3_bind_zeroblob(stmt, slot, 0)
                 : sqlite3_bind_blob64(stmt, slot, bytes.data(), bytes.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    }
    return Ok();
  }

  static Value ColumnValue(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt, i));
        return Blob{size == 0 ? std::string() : std::string(bytes, size)};
      }
      default:
        return Null{};
    }
  }

  void ClearCache() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  sqlite3* const db_;
  const int cache_size_;
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

namespace {

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(SqliteDb::Connection& connection) : connection_(connection) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    return connection_.Query(sql, params);
  }
  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    return connection_.Execute(sql, params);
  }
  Result<int64_t> Insert(std::string_view sql, const Params& params) override {
    RETURN_IF_ERROR(connection_.Execute(sql, params));
    return connection_.LastInsertRowid();
  }
  Status ExecuteScript(std::string_view sql) override { return connection_.ExecuteScript(sql); }

 private:
  SqliteDb::Connection& connection_;
};

std::string_view SynchronousPragma(SqliteOptions::Synchronous mode) {
  switch (mode) {
    case SqliteOptions::Synchronous::kOff:
      return "PRAGMA synchronous=OFF";
    case SqliteOptions::Synchronous::kNormal:
      return "PRAGMA synchronous=NORMAL";
    case SqliteOptions::Synchronous::kFull:
      return "PRAGMA synchronous=FULL";
    case SqliteOptions::Synchronous::kExtra:
      return "PRAGMA synchronous=EXTRA";
  }
  return "PRAGMA synchronous=FULL";
}

Error BadOption(std::string field, std::string_view requirement) {
  return InvalidField(std::move(field), "invalid",
                      {"数据库配置无效：" + std::string(requirement),
                       "Invalid database setting: " + std::string(requirement)});
}

}  // namespace

struct SqliteDb::WriteJob {
  explicit WriteJob(const std::function<Status(Tx&)>* w) : work(w) {}
  const std::function<Status(Tx&)>* work;
  Status result;
  std::exception_ptr exception;
  bool done = false;  // guarded by queue_mu_
  std::condition_variable cv;
};

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(SqliteOptions options) {
  if (options.path.empty() || options.path == ":memory:") {
    return BadOption("path", "a database file path is required");
  }
  if (options.reader_pool_size < 1) return BadOption("reader_pool_size", "must be at least 1");
  if (options.max_batch_size < 1) return BadOption("max_batch_size", "must be at least 1");
  if (options.statement_cache_size < 1) {
    return BadOption("statement_cache_size", "must be at least 1");
  }
  if (options.busy_timeout.count() < 0) return BadOption("busy_timeout", "must not be negative");
  if (options.writer_cache_mib < 2) return BadOption("writer_cache_mib", "must be at least 2");
  if (options.checkpoint_pages < 1) return BadOption("checkpoint_pages", "must be at least 1");
  // Connections are handed between threads (a reader per Read call), which SQLite allows only
  // when it was built thread-safe.
  if (sqlite3_threadsafe() == 0) return Internal("sqlite: library built without thread safety");
  // SQLite counts every allocation under one process-wide mutex unless told not to, and the
  // writer allocates for every row it inserts (about 3 % of its time at a million customers).
  // Nothing here reads those counts. The call only takes effect before SQLite's first use in
  // the process; later it fails harmlessly and the counts stay on.
  static const int memory_counts_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memory_counts_off;

  // SQLite gives its write-ahead log and shared-memory files the mode of the database file, so a
  // database created private keeps them private; those of an older, looser start are narrowed.
  RETURN_IF_ERROR(MakePrivateFile(options.path));
  for (const char* suffix : {"-wal", "-shm"}) {
    std::error_code ec;
    const std::filesystem::path companion = options.path + suffix;
    if (std::filesystem::exists(companion, ec)) RETURN_IF_ERROR(MakePrivateFile(companion));
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options));
  ASSIGN_OR_RETURN(Rows mode, writer->Query("PRAGMA journal_mode=WAL", {}));
  if (mode.empty() || mode[0].size() != 1 || !std::holds_alternative<std::string>(mode[0].at(0)) ||
      mode[0].Text(0) != "wal") {
    return Internal("sqlite: could not switch " + options.path + " to WAL mode");
  }
  RETURN_IF_ERROR(writer->Exec(SynchronousPragma(options.synchronous)));
  RETURN_IF_ERROR(writer->Exec("PRAGMA foreign_keys=ON"));
  // A negative cache_size is in KiB.
  RETURN_IF_ERROR(writer->Exec("PRAGMA cache_size=-" +
                               std::to_string(int64_t{options.writer_cache_mib} * 1024)));
  // The old page images a savepoint keeps (for a job's rollback) stay in memory, not in a
  // temporary file written on every first touch of a page.
  RETURN_IF_ERROR(writer->Exec("PRAGMA temp_store=MEMORY"));

  ASSIGN_OR_RETURN(std::unique_ptr<Connection> checkpointer,
                   Connection::Open(options.path, SQLITE_OPEN_READWRITE, options));
  RETURN_IF_ERROR(checkpointer->Exec(SynchronousPragma(options.synchronous)));

  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_pool_size; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                     Connection::Open(options.path, SQLITE_OPEN_READWRITE, options));
    // Readers are opened read-write because a read-only connection cannot always attach to the
    // WAL index; query_only turns a write on a reader (a kRead transaction that writes) into an
    // error instead of a silent second writer.
    RETURN_IF_ERROR(reader->Exec("PRAGMA query_only=ON"));
    RETURN_IF_ERROR(reader->Exec("PRAGMA foreign_keys=ON"));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<SqliteDb>(new SqliteDb(std::move(options), std::move(writer),
                                                std::move(checkpointer), std::move(readers)));
}

SqliteDb::SqliteDb(SqliteOptions options, std::unique_ptr<Connection> writer,
                   std::unique_ptr<Connection> checkpointer,
                   std::vector<std::unique_ptr<Connection>> readers)
    : options_(std::move(options)),
      writer_connection_(std::move(writer)),
      checkpoint_connection_(std::move(checkpointer)),
      all_readers_(std::move(readers)) {
  for (auto& reader : all_readers_) idle_readers_.push_back(reader.get());
  // Replaces SQLite's automatic checkpoint on the writer.
  sqlite3_wal_hook(writer_connection_->handle(), &SqliteDb::OnWalCommit, this);
  checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
  writer_thread_ = std::thread([this] { WriterLoop(); });
}

SqliteDb::~SqliteDb() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_one();
  writer_thread_.join();
  {
    std::lock_guard lock(checkpoint_mu_);
    checkpoint_stopping_ = true;
  }
  checkpoint_cv_.notify_one();
  checkpoint_thread_.join();
}

int SqliteDb::OnWalCommit(void* self, sqlite3* handle, const char* schema, int pages) {
  auto* db = static_cast<SqliteDb*>(self);
  const int threshold = db->options_.checkpoint_pages;
  if (int64_t{pages} >= 8 * int64_t{threshold}) {
    // The checkpoint thread is far behind (or a reader pins old pages): without a checkpoint the
    // log would grow without bound.
    (void)sqlite3_wal_checkpoint_v2(handle, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= threshold) {
    {
      std::lock_guard lock(db->checkpoint_mu_);
      db->checkpoint_wanted_ = true;
    }
    db->checkpoint_cv_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteDb::CheckpointLoop() {
  for (;;) {
    {
      std::unique_lock lock(checkpoint_mu_);
      checkpoint_cv_.wait(lock, [&] { return checkpoint_stopping_ || checkpoint_wanted_; });
      if (checkpoint_stopping_) return;
      checkpoint_wanted_ = false;
    }
    // PASSIVE never blocks the writer or readers; pages a reader still needs wait for the next
    // round. A failure (another process checkpointing) is retried after the next commit.
    (void)sqlite3_wal_checkpoint_v2(checkpoint_connection_->handle(), nullptr,
                                    SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
}

int64_t SqliteDb::queued_writes() const {
  std::lock_guard lock(queue_mu_);
  return static_cast<int64_t>(queue_.size());
}

Status SqliteDb::Run(TxMode mode, const std::function<Status(Tx&)>& work) {
  DieIfNested(this);
  return mode == TxMode::kRead ? RunRead(work) : RunWrite(work);
}

Status SqliteDb::Ping() {
  return Read([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Query("SELECT 1"));
    return Ok();
  });
}

Status SqliteDb::RunRead(const std::function<Status(Tx&)>& work) {
  Connection* connection = nullptr;
  {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
    connection = idle_readers_.back();
    idle_readers_.pop_back();
  }
  // Returns the reader to the pool however the transaction ends, never with a transaction open.
  struct Lease {
    SqliteDb* db;
    Connection* connection;
    ~Lease() {
      if (connection->InTransaction()) (void)connection->Exec("ROLLBACK");
      {
        std::lock_guard lock(db->readers_mu_);
        db->idle_readers_.push_back(connection);
      }
      db->readers_cv_.notify_one();
    }
  } lease{this, connection};

  RETURN_IF_ERROR(connection->Exec("BEGIN"));
  SqliteTx tx(*connection);
  Status result;
  {
    CallbackScope scope(this);
    result = work(tx);
  }
  if (!result) return result;
  return connection->Exec("COMMIT");
}

Status SqliteDb::RunWrite(const std::function<Status(Tx&)>& work) {
  WriteJob job(&work);
  {
    std::lock_guard lock(queue_mu_);
    queue_.push_back(&job);
  }
  queue_cv_.notify_one();
  {
    std::unique_lock lock(queue_mu_);
    job.cv.wait(lock, [&] { return job.done; });
  }
  if (job.exception) std::rethrow_exception(job.exception);
  return std::move(job.result);
}

void SqliteDb::WriterLoop() {
  std::vector<WriteJob*> batch;
  const size_t max_batch = static_cast<size_t>(options_.max_batch_size);
  for (;;) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      while (!queue_.empty() && batch.size() < max_batch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    {
      // Notified under the lock: a caller can only see `done` and destroy its job after the
      // lock is released, so the job is alive while it is notified.
      std::lock_guard lock(queue_mu_);
      for (WriteJob* job : batch) {
        job->done = true;
        job->cv.notify_one();
      }
    }
    batch.clear();
  }
}

void SqliteDb::RunBatch(const std::vector<WriteJob*>& batch) {
  Connection& connection = *writer_connection_;
  size_t next = 0;
  // Normally one pass: BEGIN, every job in its savepoint, COMMIT. A second pass happens only
  // when SQLite rolled back the whole transaction on its own (disk full, I/O error) in the
  // middle of a job: the jobs before it are lost and fail, the rest get a fresh transaction.
  while (next < batch.size()) {
    const size_t first = next;
    if (Status begin = connection.Exec("BEGIN IMMEDIATE"); !begin) {
      for (size_t i = first; i < batch.size(); ++i) batch[i]->result = begin;
      return;
    }
    bool transaction_lost = false;
    const bool alone = batch.size() - first == 1;
    for (; next < batch.size() && !transaction_lost; ++next) {
      WriteJob& job = *batch[next];
      if (Status savepoint = alone ? Ok() : connection.Exec("SAVEPOINT oc_write"); !savepoint) {
        job.result = std::move(savepoint);
      } else {
        SqliteTx tx(connection);
        {
          CallbackScope scope(this);
          try {
            job.result = (*job.work)(tx);
          } catch (...) {
            job.exception = std::current_exception();
            job.result = Internal("sqlite: write callback threw an exception");
          }
        }
        if (connection.InTransaction() && !alone) {
          if (job.result) {
            if (Status release = connection.Exec("RELEASE oc_write"); !release) {
              job.result = std::move(release);
            }
          }
          if (!job.result) {
            (void)connection.Exec("ROLLBACK TO oc_write");
            (void)connection.Exec("RELEASE oc_write");
          }
        }
      }
      if (!connection.InTransaction()) {
        transaction_lost = true;
        Error lost = Internal("sqlite: the database rolled back the group-commit transaction");
        for (size_t i = first; i <= next; ++i) {
          if (batch[i]->result) batch[i]->result = lost;
        }
      }
    }
    if (transaction_lost) continue;

    int64_t succeeded = 0;
    for (size_t i = first; i < next; ++i) succeeded += batch[i]->result ? 1 : 0;
    if (succeeded == 0) {
      (void)connection.Exec("ROLLBACK");
      continue;
    }
    if (Status commit = connection.Exec("COMMIT"); !commit) {
      if (connection.InTransaction()) (void)connection.Exec("ROLLBACK");
      for (size_t i = first; i < next; ++i) {
        if (batch[i]->result) batch[i]->result = commit;
      }
      continue;
    }
    committed_batches_.fetch_add(1);
    committed_writes_.fetch_add(succeeded);
  }
}

}  // namespace oc::storage
