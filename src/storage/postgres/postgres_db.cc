#include "storage/postgres/postgres_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "storage/storage_errors.h"

namespace oc::storage {
namespace {

// Type OIDs from the server catalog (pg_type.dat); they are fixed across versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kUnknownOid = 0;  // let the server infer the type, as for a literal

// A transaction runs again at most this many more times after a serialization failure.
constexpr int kMaxConflictRetries = 3;

// See sqlite_db.cc: a nested transaction on the same Db from inside its own callback can wait
// forever for a pooled connection this thread already holds.
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
               "storage::PostgresDb: Run/Read/Write/Ping called from inside a transaction "
               "callback of the same Db (nested transaction). This can deadlock on the pool; use "
               "the Tx passed to the callback instead.\n");
  std::abort();
}

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct SqlHash {
  using is_transparent = void;
  size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

std::string TrimmedMessage(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool IsSuccess(const PGresult* result) {
  if (result == nullptr) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

Error PostgresError(PGconn* conn, const PGresult* result, std::string_view sql) {
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string state = sqlstate != nullptr ? sqlstate : "";
  std::string detail = "postgres: ";
  if (!state.empty()) detail += "[" + state + "] ";
  detail += TrimmedMessage(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  if (!sql.empty()) {
    detail += " in: ";
    detail += sql;
  }
  if (PQstatus(conn) != CONNECTION_OK || result == nullptr) {
    return DatabaseUnavailable(std::move(detail));
  }
  if (state == "23505") return UniqueViolation(std::move(detail));
  if (state == "40001" || state == "40P01") return TransactionConflict(std::move(detail));
  // Class 08 is connection exceptions; 57P01-57P03 are the server shutting down or starting.
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
    return DatabaseUnavailable(std::move(detail));
  }
  return Internal(std::move(detail));
}

// A prepared SELECT * whose table gained or lost a column fails with this; the statement must
// be prepared again, which a retry of the transaction does.
bool IsStalePlan(const PGresult* result) {
  if (result == nullptr) return false;
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  return sqlstate != nullptr && std::strcmp(sqlstate, "0A000") == 0 && message != nullptr &&
         std::strstr(message, "cached plan must not change result type") != nullptr;
}

Value ParseInteger(const char* text, int length) {
  int64_t value = 0;
  std::from_chars(text, text + length, value);
  return value;
}

Value ParseReal(const char* text, int length) {
  double value = 0;
  std::from_chars(text, text + length, value);
  return value;
}

Value ParseBytea(const char* text) {
  size_t size = 0;
  unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
  if (bytes == nullptr) return Blob{};
  Blob blob{std::string(reinterpret_cast<const char*>(bytes), size)};
  PQfreemem(bytes);
  return blob;
}

Value ColumnValue(const PGresult* result, int row, int column, Oid type) {
  if (PQgetisnull(result, row, column)) return Null{};
  const char* text = PQgetvalue(result, row, column);
  const int length = PQgetlength(result, row, column);
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      return ParseInteger(text, length);
    case kFloat4Oid:
    case kFloat8Oid:
      return ParseReal(text, length);
    case kBoolOid:
      return int64_t{text[0] == 't' ? 1 : 0};
    case kByteaOid:
      return ParseBytea(text);
    default:
      return std::string(text, static_cast<size_t>(length));
  }
}

Rows ToRows(const PGresult* result) {
  const int column_count = PQnfields(result);
  const int row_count = PQntuples(result);
  auto names = std::make_shared<std::vector<std::string>>();
  std::vector<Oid> types;
  names->reserve(column_count);
  types.reserve(column_count);
  for (int c = 0; c < column_count; ++c) {
    names->emplace_back(PQfname(result, c));
    types.push_back(PQftype(result, c));
  }
  std::shared_ptr<const std::vector<std::string>> columns = std::move(names);
  Rows rows;
  rows.reserve(row_count);
  for (int r = 0; r < row_count; ++r) {
    std::vector<Value> values;
    values.reserve(column_count);
    for (int c = 0; c < column_count; ++c) values.push_back(ColumnValue(result, r, c, types[c]));
    rows.emplace_back(columns, std::move(values));
  }
  return rows;
}

bool IsIdentifierChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         u >= 0x80;
}

Error BadOption(std::string field, std::string_view requirement) {
  return InvalidField(std::move(field), "invalid",
                      {"数据库配置无效：" + std::string(requirement),
                       "Invalid database setting: " + std::string(requirement)});
}

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int placeholder = 0;
  size_t i = 0;
  const size_t n = sql.size();
  auto copy_to = [&](size_t end) {
    end = std::min(end, n);
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    const char next = i + 1 < n ? sql[i + 1] : '\0';
    if (c == '\'') {
      // E'…' strings take backslash escapes; standard strings only double the quote.
      const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !IsIdentifierChar(sql[i - 2]));
      size_t j = i + 1;
      while (j < n) {
        if (escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < n) {
        if (sql[j] == '"') {
          if (j + 1 < n && sql[j + 1] == '"') {
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        ++j;
      }
      copy_to(j);
    } else if (c == '-' && next == '-') {
      size_t end = sql.find('\n', i);
      copy_to(end == std::string_view::npos ? n : end + 1);
    } else if (c == '/' && next == '*') {
      // PostgreSQL block comments nest.
      size_t j = i + 2;
      int depth = 1;
      while (j < n && depth > 0) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '$' && (i == 0 || !IsIdentifierChar(sql[i - 1])) &&
               !(next >= '0' && next <= '9')) {
      // A dollar-quoted string $tag$…$tag$ (the tag may be empty). `$1` is a parameter, and a
      // `$` inside an identifier is part of the name.
      size_t j = i + 1;
      while (j < n && IsIdentifierChar(sql[j])) ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        size_t close = sql.find(tag, j + 1);
        copy_to(close == std::string_view::npos ? n : close + tag.size());
      } else {
        copy_to(i + 1);
      }
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++placeholder);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

class PostgresDb::Connection {
 public:
  Connection(PGconn* conn, int cache_size) : conn_(conn), cache_size_(cache_size) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool Broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  bool Idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }

  Result<Rows> Query(std::string_view sql, const Params& params) {
    ASSIGN_OR_RETURN(PgResult result, RunPrepared(sql, params));
    return ToRows(result.get());
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) {
    ASSIGN_OR_RETURN(PgResult result, RunPrepared(sql, params));
    const char* changed = PQcmdTuples(result.get());
    int64_t count = 0;
    if (changed != nullptr) std::from_chars(changed, changed + std::strlen(changed), count);
    return count;
  }

  // Parameterless SQL, possibly several statements, through the simple query protocol.
  Status ExecuteScript(std::string_view sql) {
    std::string text(sql);
    PgResult result(PQexec(conn_, text.c_str()));
    if (!IsSuccess(result.get())) return PostgresError(conn_, result.get(), sql);
    return Ok();
  }

  Status Commit() {
    PgResult result(PQexec(conn_, "COMMIT"));
    if (!IsSuccess(result.get())) return PostgresError(conn_, result.get(), "COMMIT");
    // COMMIT of a transaction an earlier statement already failed reports success but rolls
    // back: the callback swallowed an error and returned Ok. Nothing was written.
    if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
      FreeStaleStatements();
      return Internal("postgres: transaction rolled back at COMMIT: a statement in it had failed");
    }
    return Ok();
  }

  void Rollback() {
    if (Broken()) return;
    PgResult result(PQexec(conn_, "ROLLBACK"));
    FreeStaleStatements();
  }

 private:
  // Statements dropped from the cache because their plan went stale are freed once the failed
  // transaction has ended and the connection accepts commands again.
  void FreeStaleStatements() {
    for (const std::string& name : stale_statements_) {
      std::string sql = "DEALLOCATE " + name;
      PgResult ignored(PQexec(conn_, sql.c_str()));
    }
    stale_statements_.clear();
  }

  Result<PgResult> RunPrepared(std::string_view sql, const Params& params) {
    // The cache key carries the parameter types because a statement is prepared with them: the
    // same SQL bound once with a blob and once with text needs two server-side statements.
    std::string key(sql);
    key += '\0';
    for (const Value& value : params) key += static_cast<char>('0' + value.index());

    auto it = cache_.find(key);
    if (it == cache_.end()) {
      if (static_cast<int>(cache_.size()) >= cache_size_) {
        PgResult cleared(PQexec(conn_, "DEALLOCATE ALL"));
        if (!IsSuccess(cleared.get())) return PostgresError(conn_, cleared.get(), "DEALLOCATE ALL");
        cache_.clear();
      }
      std::vector<Oid> types;
      types.reserve(params.size());
      for (const Value& value : params) types.push_back(TypeOf(value));
      std::string name = "oc_" + std::to_string(++statement_counter_);
      std::string rewritten = RewritePlaceholders(sql);
      PgResult prepared(PQprepare(conn_, name.c_str(), rewritten.c_str(),
                                  static_cast<int>(types.size()), types.data()));
      if (!IsSuccess(prepared.get())) return PostgresError(conn_, prepared.get(), sql);
      it = cache_.emplace(std::move(key), std::move(name)).first;
    }

    const size_t count = params.size();
    std::vector<std::string> formatted(count);
    std::vector<const char*> values(count, nullptr);
    std::vector<int> lengths(count, 0);
    std::vector<int> formats(count, 0);
    for (size_t i = 0; i < count; ++i) {
      const Value& value = params[i];
      if (const int64_t* integer = std::get_if<int64_t>(&value)) {
        char buffer[24];
        auto end = std::to_chars(buffer, buffer + sizeof buffer, *integer).ptr;
        formatted[i].assign(buffer, end);
        values[i] = formatted[i].c_str();
      } else if (const double* real = std::get_if<double>(&value)) {
        // Shortest text that reads back as the same double; "inf"/"nan" are valid float8 input.
        char buffer[32];
        auto end = std::to_chars(buffer, buffer + sizeof buffer, *real).ptr;
        formatted[i].assign(buffer, end);
        values[i] = formatted[i].c_str();
      } else if (const std::string* text = std::get_if<std::string>(&value)) {
        // Text parameters travel NUL-terminated and PostgreSQL text cannot hold NUL, so one
        // would silently cut the value short.
        if (text->find('\0') != std::string::npos) {
          return MakeError(ErrorCode::kInvalidArgument,
                           {"文本中不能包含空字符 (NUL)", "Text must not contain NUL characters"},
                           "postgres: NUL in text parameter " + std::to_string(i + 1) +
                               " of: " + std::string(sql));
        }
        values[i] = text->c_str();
      } else if (const Blob* blob = std::get_if<Blob>(&value)) {
        values[i] = blob->bytes.data();
        lengths[i] = static_cast<int>(blob->bytes.size());
        formats[i] = 1;
      }
    }
    PgResult result(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(count),
                                   values.data(), lengths.data(), formats.data(), 0));
    if (!IsSuccess(result.get())) {
      if (IsStalePlan(result.get())) {
        stale_statements_.push_back(it->second);
        cache_.erase(it);
        return TransactionConflict("postgres: prepared statement went stale: " + std::string(sql));
      }
      return PostgresError(conn_, result.get(), sql);
    }
    return result;
  }

  static Oid TypeOf(const Value& value) {
    switch (value.index()) {
      case 1:
        return kInt8Oid;
      case 2:
        return kFloat8Oid;
      case 4:
        return kByteaOid;
      default:
        return kUnknownOid;
    }
  }

  PGconn* const conn_;
  const int cache_size_;
  int64_t statement_counter_ = 0;
  std::unordered_map<std::string, std::string, SqlHash, std::equal_to<>> cache_;
  std::vector<std::string> stale_statements_;
};

namespace {

class PostgresTx final : public Tx {
 public:
  explicit PostgresTx(PostgresDb::Connection& connection) : connection_(connection) {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    return connection_.Query(sql, params);
  }
  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    return connection_.Execute(sql, params);
  }
  Result<int64_t> Insert(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(Rows rows, connection_.Query(std::string(sql) + " RETURNING id", params));
    if (rows.size() != 1) return Internal("postgres: INSERT … RETURNING id gave no single row");
    return rows[0].Int(0);
  }
  Status ExecuteScript(std::string_view sql) override { return connection_.ExecuteScript(sql); }

 private:
  PostgresDb::Connection& connection_;
};

// The server-side `options` value that sets the search path: spaces and backslashes in it are
// escaped with a backslash (libpq splits `options` on unescaped whitespace).
std::string SearchPathOption(std::string_view search_path) {
  std::string option = "-csearch_path=";
  for (char c : search_path) {
    if (c == ' ' || c == '\\') option += '\\';
    option += c;
  }
  return option;
}

}  // namespace

Result<std::unique_ptr<PostgresDb>> PostgresDb::Open(PostgresOptions options) {
  if (options.pool_size < 1) return BadOption("pool_size", "must be at least 1");
  if (options.statement_cache_size < 1) {
    return BadOption("statement_cache_size", "must be at least 1");
  }
  if (options.acquire_timeout.count() < 0) {
    return BadOption("acquire_timeout", "must not be negative");
  }
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = TrimmedMessage(parse_error);
    PQfreemem(parse_error);
    return BadOption("conninfo", "not a valid PostgreSQL connection string: " + why);
  }
  PQconninfoFree(parsed);

  std::unique_ptr<PostgresDb> db(new PostgresDb(std::move(options)));
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> first, db->Connect());
  {
    std::lock_guard lock(db->pool_mu_);
    ++db->open_connections_;
  }
  db->Release(std::move(first));
  return db;
}

PostgresDb::PostgresDb(PostgresOptions options) : options_(std::move(options)) {}

PostgresDb::~PostgresDb() = default;

Result<std::unique_ptr<PostgresDb::Connection>> PostgresDb::Connect() const {
  // Later entries override what the connection string says: the client encoding must be UTF-8
  // whatever the server default, and the search path is what isolates a schema.
  std::string search_path_option;
  std::vector<const char*> keys = {"application_name", "dbname", "client_encoding"};
  std::vector<const char*> values = {"opencredit", options_.conninfo.c_str(), "UTF8"};
  if (!options_.search_path.empty()) {
    search_path_option = SearchPathOption(options_.search_path);
    keys.push_back("options");
    values.push_back(search_path_option.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) return DatabaseUnavailable("postgres: out of memory while connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = TrimmedMessage(PQerrorMessage(conn));
    PQfinish(conn);
    return DatabaseUnavailable("postgres: cannot connect: " + why);
  }
  // Server notices ("drop cascades to …", "relation already exists, skipping") are not errors
  // and would otherwise go to stderr, past the product's own logging.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::make_unique<Connection>(conn, options_.statement_cache_size);
}

Result<std::unique_ptr<PostgresDb::Connection>> PostgresDb::Acquire() {
  std::unique_lock lock(pool_mu_);
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    if (open_connections_ < options_.pool_size) {
      ++open_connections_;
      lock.unlock();
      Result<std::unique_ptr<Connection>> connection = Connect();
      if (!connection) {
        lock.lock();
        --open_connections_;
        pool_cv_.notify_one();
      }
      return connection;
    }
    if (pool_cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_connections_ >= options_.pool_size) {
      return DatabaseUnavailable("postgres: no pooled connection became free within " +
                                 std::to_string(options_.acquire_timeout.count()) + " ms");
    }
  }
}

void PostgresDb::Release(std::unique_ptr<Connection> connection) {
  if (!connection->Broken() && !connection->Idle()) connection->Rollback();
  {
    std::lock_guard lock(pool_mu_);
    if (connection->Broken() || !connection->Idle()) {
      --open_connections_;
      connection.reset();
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  pool_cv_.notify_one();
}

Status PostgresDb::Run(TxMode mode, const std::function<Status(Tx&)>& work) {
  DieIfNested(this);
  // Read transactions share one snapshot across their queries, as on SQLite; REPEATABLE READ
  // READ ONLY never fails with a serialization error.
  const char* begin =
      mode == TxMode::kRead ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
  int conflicts = 0;
  // A pooled connection may have died while idle (server restart, idle timeout); that shows only
  // when BEGIN fails. Nothing ran yet, so trying a fresh connection is safe. Bounded by the pool
  // size: every idle connection may be dead.
  int dead_connections = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire());
    Status began = connection->ExecuteScript(begin);
    if (!began) {
      const bool dead = connection->Broken();
      Release(std::move(connection));
      if (dead && ++dead_connections <= options_.pool_size) continue;
      return began;
    }
    PostgresTx tx(*connection);
    Status result;
    try {
      CallbackScope scope(this);
      result = work(tx);
    } catch (...) {
      connection->Rollback();
      Release(std::move(connection));
      throw;
    }
    if (result) {
      result = connection->Commit();
    } else {
      connection->Rollback();
    }
    Release(std::move(connection));
    if (!result && result.error().code == ErrorCode::kAborted &&
        ++conflicts <= kMaxConflictRetries) {
      continue;
    }
    return result;
  }
}

Status PostgresDb::Ping() {
  return Read([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Query("SELECT 1"));
    return Ok();
  });
}

}  // namespace oc::storage
