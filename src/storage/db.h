#pragma once
// The one storage interface every module talks to. Two backends implement it: SQLite (the
// embedded default) and PostgreSQL. Callers write portable SQL with `?` placeholders; the
// PostgreSQL backend rewrites them to $1, $2 …. Where the dialects differ (DDL mostly), a caller
// asks `dialect()`.
//
// Work happens in transactions passed to a callback, so the backend decides how to run them:
// SQLite funnels all writes through one writer connection and commits concurrent write
// transactions together (group commit: one fsync for many callers, each in its own SAVEPOINT so
// one caller's failure does not undo another's); PostgreSQL runs each on a pooled connection.
// Prepared statements are cached per connection by SQL text, so repeating a query costs no
// re-parse.
//
// Thread-safety: a Db is shared by all threads. A Tx belongs to the callback it was passed to
// and must not escape it. The callbacks block the calling thread: call from the worker pool,
// never from a network thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace oc::storage {

enum class Dialect { kSqlite, kPostgres };

struct Blob {
  std::string bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};

struct Null {
  friend bool operator==(Null, Null) = default;
};

// A value bound to a placeholder or read from a column. Booleans are stored as integers 0/1 on
// both backends; text is UTF-8.
using Value = std::variant<Null, int64_t, double, std::string, Blob>;

// One result row. Column access by index or by name; typed getters abort on a type mismatch
// (a programming error, not input), except the Opt* forms, which map NULL to nullopt.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const Value& at(size_t index) const;
  const Value& at(std::string_view column) const;
  bool IsNull(size_t index) const { return std::holds_alternative<Null>(at(index)); }

  int64_t Int(size_t index) const;
  int64_t Int(std::string_view column) const;
  std::optional<int64_t> OptInt(std::string_view column) const;
  bool Bool(std::string_view column) const { return Int(column) != 0; }
  double Real(std::string_view column) const;
  const std::string& Text(size_t index) const;
  const std::string& Text(std::string_view column) const;
  std::optional<std::string> OptText(std::string_view column) const;
  const std::string& Bytes(std::string_view column) const;  // BLOB / BYTEA
  std::optional<std::string> OptBytes(std::string_view column) const;

  const std::vector<std::string>& columns() const { return *columns_; }

 private:
  size_t IndexOf(std::string_view column) const;
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;
using Params = std::vector<Value>;

// A transaction. Errors: kAlreadyExists on a unique-constraint violation, kAborted on a
// serialization failure or deadlock (retry may succeed), kUnavailable when the database cannot be
// reached, kInternal otherwise (SQL text only in internal_detail).
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs several statements without parameters (migrations). Not for user input.
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // Convenience: the first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});
};

enum class TxMode {
  kRead,   // may run on a reader connection concurrently with others
  kWrite,  // serialised against other writers on SQLite
};

class Db {
 public:
  virtual ~Db() = default;
  virtual Dialect dialect() const = 0;

  // Runs `work` inside a transaction. The transaction commits when `work` returns Ok and the
  // commit succeeds (for writes: durably, per the backend's synchronous setting), and rolls back
  // otherwise; the error returned is `work`'s or the commit's. `work` may run again if the backend
  // retries a serialization failure, so it must have no effects outside the transaction.
  virtual Status Run(TxMode mode, const std::function<Status(Tx&)>& work) = 0;

  // Cheap liveness check for /readyz.
  virtual Status Ping() = 0;

  Status Read(const std::function<Status(Tx&)>& work) { return Run(TxMode::kRead, work); }
  Status Write(const std::function<Status(Tx&)>& work) { return Run(TxMode::kWrite, work); }

  // Typed forms: `ASSIGN_OR_RETURN(User u, db.ReadValue<User>([&](Tx& tx) -> Result<User> {…}));`
  template <class T>
  Result<T> ReadValue(const std::function<Result<T>(Tx&)>& work) {
    return RunValue<T>(TxMode::kRead, work);
  }
  template <class T>
  Result<T> WriteValue(const std::function<Result<T>(Tx&)>& work) {
    return RunValue<T>(TxMode::kWrite, work);
  }

 private:
  template <class T>
  Result<T> RunValue(TxMode mode, const std::function<Result<T>(Tx&)>& work) {
    std::optional<T> out;
    RETURN_IF_ERROR(Run(mode, [&](Tx& tx) -> Status {
      auto r = work(tx);
      if (!r) return Error(std::move(r).error());
      out.emplace(std::move(*r));
      return Ok();
    }));
    return std::move(*out);
  }
};

}  // namespace oc::storage
