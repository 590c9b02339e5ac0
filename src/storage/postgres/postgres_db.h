#pragma once
// The PostgreSQL backend of Db, for deployments with several `opencredit serve` nodes sharing
// one database server.
//
// Each transaction runs on a connection from a blocking pool. `?` placeholders are rewritten to
// $1, $2 …, and each statement is prepared once per connection (keyed by its SQL text and the
// types of its parameters). Write transactions run at READ COMMITTED; read transactions are
// `READ ONLY` at REPEATABLE READ, so — as on SQLite — every query of one read transaction sees
// the same snapshot (a read-only transaction never fails serialization at that level).
// A transaction that fails with kAborted (serialization failure, deadlock) is run again, up to
// three more times. A connection the server dropped is replaced by a new one.
//
// Values: parameters go as int8, float8, bytea (binary) and untyped text — untyped so the server
// infers the column's type as it would for a literal, which keeps `date_col = ?` or
// `timestamptz_col > ?` portable; where nothing gives the type away (`SELECT ?`, `? IS NULL`)
// write a cast, `CAST(? AS TEXT)` or `CAST(? AS BIGINT)`, which both dialects accept. Results:
// int2/int4/int8/oid → int64, float4/float8 → double, bool → int64 0/1, bytea → Blob, numeric and
// everything else → text.
//
// Thread-safety: all public methods may be called from any thread. Calling Run/Read/Write/Ping
// on the same Db from inside one of its own transaction callbacks is a programming error (with
// a small pool it deadlocks): the process aborts with a message.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "storage/db.h"

namespace oc::storage {

struct PostgresOptions {
  // libpq connection string or URL: "postgresql://user@127.0.0.1:5432/opencredit?sslmode=…".
  std::string conninfo;
  int pool_size = 8;  // REQUIRES: >= 1
  // How long Run waits for a free pooled connection before failing kUnavailable.
  std::chrono::milliseconds acquire_timeout{5000};
  // If set, every connection starts with this schema search path (passed as the `options`
  // connection parameter, overriding one in `conninfo`). REQUIRES: a plain identifier list.
  std::string search_path;
  // Prepared statements kept per connection; beyond this the cache is emptied and refilled.
  int statement_cache_size = 256;  // REQUIRES: >= 1
};

class PostgresDb final : public Db {
 public:
  // Validates the options and opens one connection to check the server is reachable; the rest
  // of the pool connects on demand.
  // Errors: kInvalidArgument on bad options; kUnavailable when the server cannot be reached or
  // refuses the connection.
  static Result<std::unique_ptr<PostgresDb>> Open(PostgresOptions options);

  // Closes every pooled connection. REQUIRES: no Run() in progress on other threads.
  ~PostgresDb() override;

  PostgresDb(const PostgresDb&) = delete;
  PostgresDb& operator=(const PostgresDb&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  Status Run(TxMode mode, const std::function<Status(Tx&)>& work) override;
  Status Ping() override;

  class Connection;  // one libpq connection with its statement cache; defined in postgres_db.cc

 private:
  explicit PostgresDb(PostgresOptions options);

  Result<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> connection);
  Result<std::unique_ptr<Connection>> Connect() const;

  const PostgresOptions options_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_connections_ = 0;  // idle plus leased; guarded by pool_mu_
};

// Rewrites `?` placeholders to $1, $2 … in order, leaving alone any `?` inside a string literal
// ('…', E'…', $tag$…$tag$), a quoted identifier ("…") or a comment (-- …, /* … */).
std::string RewritePlaceholders(std::string_view sql);

}  // namespace oc::storage
