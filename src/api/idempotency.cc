#include "api/idempotency.h"

#include "api/conventions.h"
#include "crypto/digest.h"
#include "http/json.h"

namespace oc::api {

namespace {

constexpr std::chrono::hours kRetention{24};
constexpr size_t kMaxKeyLength = 128;

}  // namespace

std::vector<storage::Migration> IdempotencyMigrations() {
  // Migrations are frozen text: a change to the table needs a migration of its own.
  return {{.id = "api_0001_idempotency_keys", .sql = R"sql(
CREATE TABLE idempotency_keys (
  user_id {{bigint}} NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  location TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_us);
)sql"},
          // A replay must carry the first response's ETag too, or the client's next If-Match has
          // nothing to send.
          {.id = "api_0002_idempotency_etag", .sql = R"sql(
ALTER TABLE idempotency_keys ADD COLUMN etag TEXT NOT NULL DEFAULT '';
)sql"},
          // Keys claimed by the earlier three-transaction protocol whose request died half-way
          // stayed pending (status 0) and answered every retry with 409. Nothing of theirs
          // remains to replay; free them.
          {.id = "api_0003_free_stuck_keys", .sql = R"sql(
DELETE FROM idempotency_keys WHERE status = 0;
)sql"}};
}

namespace {

struct StoredResponse {
  std::string request_hash;
  http::Response response;
  bool expired = false;  // past the retention and not yet purged: the key is free again
};

bool Succeeded(const http::Response& response) {
  return response.status >= 200 && response.status < 300;
}

}  // namespace

http::Response IdempotencyKeys::Run(const http::Request& request, int64_t user_id,
                                    const Handler& handle) {
  auto header = request.Header("Idempotency-Key");
  std::optional<std::string> key;
  if (header) {
    key.emplace(*header);
    if (key->empty() || key->size() > kMaxKeyLength) {
      return http::ProblemResponse(
          400, "invalid_idempotency_key",
          {"Idempotency-Key 须为 1–128 个字符", "Idempotency-Key must be 1–128 characters"},
          request);
    }
  }
  const std::string request_hash = crypto::Sha256Hex(std::string(http::MethodName(request.method)) +
                                                     " " + request.path + "\n" + request.body);
  const int64_t now = ToUnixMicros(clock_.Now());
  const int64_t oldest_kept = now - std::chrono::microseconds(kRetention).count();

  auto find_stored = [&](storage::Tx& tx) -> Result<std::optional<StoredResponse>> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT request_hash, status, content_type, location, "
                                           "body, etag, created_at_us FROM idempotency_keys "
                                           "WHERE user_id = ? AND idempotency_key = ?",
                                           {user_id, *key}));
    if (!row) return std::optional<StoredResponse>();
    StoredResponse stored{.request_hash = row->Text(0), .expired = row->Int(6) < oldest_kept};
    http::Response& replay = stored.response;
    replay.status = static_cast<int>(row->Int(1));
    replay.body = row->Text(4);
    replay.Set("Content-Type", row->Text(2));
    if (!row->Text(3).empty()) replay.Set("Location", row->Text(3));
    if (!row->Text(5).empty()) replay.Set("ETag", row->Text(5));
    replay.Set("Idempotent-Replayed", "true");
    return std::optional<StoredResponse>(std::move(stored));
  };
  auto replay = [&](const StoredResponse& stored) {
    if (stored.request_hash != request_hash) {
      return http::ProblemResponse(422, "idempotency_key_reused",
                                   {"该 Idempotency-Key 已用于另一个请求",
                                    "This Idempotency-Key was used for a different request"},
                                   request);
    }
    return stored.response;
  };

  // The key is claimed, the use case runs and its response is remembered in one unit of work:
  // they commit together or not at all, so a failure at any point leaves nothing behind and the
  // retry starts afresh. A concurrent request with the same key waits on the claimed row (on
  // PostgreSQL; SQLite has one writer) and then finds the committed response.
  std::optional<http::Response> response;
  std::optional<StoredResponse> stored;
  Status ran = storage::UnitOfWork::Run(db_, [&](storage::UnitOfWork& unit) -> Status {
    response.reset();
    stored.reset();
    storage::Tx& tx = unit.tx();
    if (key) {
      ASSIGN_OR_RETURN(stored, find_stored(tx));
      if (stored && !stored->expired) return Ok();
      if (stored) {
        stored.reset();
        RETURN_IF_ERROR(
            tx.Execute("DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ?",
                       {user_id, *key}));
      }
      RETURN_IF_ERROR(
          tx.Execute("INSERT INTO idempotency_keys (user_id, idempotency_key, "
                     "request_hash, status, content_type, location, body, "
                     "created_at_us) VALUES (?, ?, ?, 0, '', '', '', ?)",
                     {user_id, *key, request_hash, now}));
    }
    response = handle(unit);
    // A refusal rolls back whatever the handler did; it is not remembered, so the client may fix
    // the request and send it again under the same key.
    if (!Succeeded(*response)) {
      return MakeError(ErrorCode::kFailedPrecondition, {"请求未成功", "The request failed"});
    }
    if (!key) return Ok();
    auto header_value = [&](std::string_view name) {
      auto it = response->headers.find(name);
      return it == response->headers.end() ? std::string() : it->second;
    };
    ASSIGN_OR_RETURN(int64_t remembered,
                     tx.Execute("UPDATE idempotency_keys SET status = ?, content_type = ?, "
                                "location = ?, body = ?, etag = ? WHERE user_id = ? AND "
                                "idempotency_key = ?",
                                {int64_t{response->status}, header_value("Content-Type"),
                                 header_value("Location"), response->body, header_value("ETag"),
                                 user_id, *key}));
    if (remembered != 1) return Internal("claimed idempotency key vanished");
    return Ok();
  });
  if (stored) return replay(*stored);
  if (ran || (response && !Succeeded(*response))) return std::move(*response);
  // A concurrent request claimed the same key first (PostgreSQL made this one wait for its
  // commit): its response is the answer.
  if (key && ran.error().code == ErrorCode::kAlreadyExists) {
    auto winner = db_.ReadValue<std::optional<StoredResponse>>(find_stored);
    if (!winner) return ErrorResponse(winner.error(), request);
    if (*winner) return replay(**winner);
  }
  return ErrorResponse(ran.error(), request);
}

Status IdempotencyKeys::PurgeExpired() {
  const int64_t oldest_kept =
      ToUnixMicros(clock_.Now()) - std::chrono::microseconds(kRetention).count();
  return db_.Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM idempotency_keys WHERE created_at_us < ?", {oldest_kept}));
    return Ok();
  });
}

}  // namespace oc::api
