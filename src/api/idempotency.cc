#include "api/idempotency.h"

#include "api/conventions.h"
#include "crypto/digest.h"
#include "http/json.h"

namespace oc::api {

namespace {

constexpr std::chrono::hours kRetention{24};
constexpr size_t kMaxKeyLength = 128;
constexpr int64_t kPending = 0;  // status of a key whose first request is still running

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
)sql"}};
}

http::Response IdempotencyKeys::Run(const http::Request& request, int64_t user_id,
                                    const std::function<http::Response()>& handle) {
  auto header = request.Header("Idempotency-Key");
  if (!header) return handle();
  std::string key(*header);
  if (key.empty() || key.size() > kMaxKeyLength) {
    return http::ProblemResponse(400, "invalid_idempotency_key",
                                 {"Idempotency-Key 须为 1–128 个字符",
                                  "Idempotency-Key must be 1–128 characters"},
                                 request);
  }
  std::string request_hash =
      crypto::Sha256Hex(std::string(http::MethodName(request.method)) + " " + request.path +
                        "\n" + request.body);
  int64_t now = ToUnixMicros(clock_.Now());

  struct Stored {
    std::string request_hash;
    int64_t status;
    std::string content_type;
    std::string location;
    std::string body;
    std::string etag;
  };
  std::optional<Stored> stored;
  auto claimed = db_.Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("DELETE FROM idempotency_keys WHERE created_at_us < ?",
                               {now - std::chrono::duration_cast<std::chrono::microseconds>(
                                          kRetention)
                                          .count()}));
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT request_hash, status, content_type, location, "
                                           "body, etag FROM idempotency_keys WHERE user_id = ? "
                                           "AND idempotency_key = ?",
                                           {user_id, key}));
    if (row) {
      stored = Stored{row->Text(0), row->Int(1),
                      row->Text(2), row->Text(3), row->Text(4), row->Text(5)};
      return Ok();
    }
    RETURN_IF_ERROR(tx.Execute("INSERT INTO idempotency_keys (user_id, idempotency_key, "
                               "request_hash, status, content_type, location, body, "
                               "created_at_us) VALUES (?, ?, ?, ?, '', '', '', ?)",
                               {user_id, key, request_hash, kPending, now}));
    return Ok();
  });
  if (!claimed) return ErrorResponse(claimed.error(), request);

  if (stored) {
    if (stored->request_hash != request_hash) {
      return http::ProblemResponse(422, "idempotency_key_reused",
                                   {"该 Idempotency-Key 已用于另一个请求",
                                    "This Idempotency-Key was used for a different request"},
                                   request);
    }
    if (stored->status == kPending) {
      return http::ProblemResponse(409, "request_in_progress",
                                   {"相同的请求正在处理中，请稍后重试",
                                    "The same request is still being processed; retry shortly"},
                                   request);
    }
    http::Response replay;
    replay.status = static_cast<int>(stored->status);
    replay.body = stored->body;
    replay.Set("Content-Type", stored->content_type);
    if (!stored->location.empty()) replay.Set("Location", stored->location);
    if (!stored->etag.empty()) replay.Set("ETag", stored->etag);
    replay.Set("Idempotent-Replayed", "true");
    return replay;
  }

  http::Response response = handle();
  // Only successes are remembered: after a validation error the client fixes the request and may
  // reuse its key.
  auto remember = db_.Write([&](storage::Tx& tx) -> Status {
    if (response.status >= 200 && response.status < 300) {
      auto header_value = [&](std::string_view name) {
        auto it = response.headers.find(name);
        return it == response.headers.end() ? std::string() : it->second;
      };
      RETURN_IF_ERROR(tx.Execute("UPDATE idempotency_keys SET status = ?, content_type = ?, "
                                 "location = ?, body = ?, etag = ? WHERE user_id = ? AND "
                                 "idempotency_key = ?",
                                 {int64_t{response.status}, header_value("Content-Type"),
                                  header_value("Location"), response.body, header_value("ETag"),
                                  user_id, key}));
    } else {
      RETURN_IF_ERROR(tx.Execute("DELETE FROM idempotency_keys WHERE user_id = ? AND "
                                 "idempotency_key = ?",
                                 {user_id, key}));
    }
    return Ok();
  });
  if (!remember) return ErrorResponse(remember.error(), request);
  return response;
}

}  // namespace oc::api
