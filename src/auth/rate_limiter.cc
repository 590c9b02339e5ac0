#include "auth/rate_limiter.h"

#include <algorithm>

namespace oc::auth {

namespace {

int64_t WindowStart(const Clock& clock, const RateLimit& limit) {
  return ToUnixMicros(clock.Now() - limit.window);
}

}  // namespace

Result<int64_t> RateLimiter::Count(storage::Tx& tx, const RateLimit& limit,
                                   std::string_view subject) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM rate_events WHERE bucket = ? AND "
                                         "subject = ? AND at_us >= ?",
                                         {std::string(limit.bucket), std::string(subject),
                                          WindowStart(clock_, limit)}));
  return row->Int(0);
}

Result<std::optional<std::chrono::seconds>> RateLimiter::RetryAfter(
    storage::Tx& tx, const RateLimit& limit, std::string_view subject) const {
  ASSIGN_OR_RETURN(int64_t count, Count(tx, limit, subject));
  if (count < limit.max_events) return std::optional<std::chrono::seconds>();
  // The event whose leaving brings the count below the limit.
  ASSIGN_OR_RETURN(auto row,
                   tx.QueryOne("SELECT at_us FROM rate_events WHERE bucket = ? AND subject = ? "
                               "AND at_us >= ? ORDER BY at_us DESC LIMIT 1 OFFSET ?",
                               {std::string(limit.bucket), std::string(subject),
                                WindowStart(clock_, limit), limit.max_events - 1}));
  const Instant leaves =
      FromUnixMicros(row ? row->Int(0) : ToUnixMicros(clock_.Now())) + limit.window;
  auto wait = std::chrono::ceil<std::chrono::seconds>(leaves - clock_.Now());
  return std::optional<std::chrono::seconds>(std::max(wait, std::chrono::seconds(1)));
}

Result<int64_t> RateLimiter::Record(storage::Tx& tx, const RateLimit& limit,
                                    std::string_view subject) const {
  const std::string who(subject);
  RETURN_IF_ERROR(
      tx.Execute("DELETE FROM rate_events WHERE bucket = ? AND subject = ? AND "
                 "at_us < ?",
                 {std::string(limit.bucket), who, WindowStart(clock_, limit)}));
  RETURN_IF_ERROR(tx.Execute("INSERT INTO rate_events (bucket, subject, at_us) VALUES (?, ?, ?)",
                             {std::string(limit.bucket), who, ToUnixMicros(clock_.Now())}));
  return Count(tx, limit, subject);
}

Status RateLimiter::Forget(storage::Tx& tx, std::string_view bucket,
                           std::string_view subject) const {
  if (subject.ends_with('*')) {
    // A prefix range rather than LIKE, so that '%' or '_' in a username mean only themselves.
    std::string prefix(subject.substr(0, subject.size() - 1));
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM rate_events WHERE bucket = ? AND subject >= ? AND subject < ?",
                   {std::string(bucket), prefix, prefix + "\xF4\x8F\xBF\xBF"}));
    return Ok();
  }
  RETURN_IF_ERROR(tx.Execute("DELETE FROM rate_events WHERE bucket = ? AND subject = ?",
                             {std::string(bucket), std::string(subject)}));
  return Ok();
}

}  // namespace oc::auth
