#pragma once
// Counts what a subject (a user, a client address, a username at an address) did within a
// sliding window, to refuse what would otherwise be an oracle or a brute force: failed
// sign-ins, exact lookups of masked personal data, duplicate findings that name another
// manager's customer. The counts live in the database (table rate_events, see migrations.h), in
// the caller's transaction, so every node of a deployment shares them and a restart forgets
// nothing.
//
// Thread-safety: stateless apart from its clock; may be shared.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "storage/db.h"

namespace oc::auth {

struct RateLimit {
  // What is counted: "login_failure", "pii_lookup", …; a literal, which outlives the limit.
  std::string_view bucket;
  int64_t max_events = 0;
  std::chrono::seconds window{0};
};

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock) : clock_(clock) {}

  // How many events `subject` had in `limit`'s bucket within the window.
  Result<int64_t> Count(storage::Tx& tx, const RateLimit& limit, std::string_view subject) const;

  // How long until `subject` may have another event: nullopt while it is below the limit, else
  // the time until its oldest counted event leaves the window (at least one second).
  Result<std::optional<std::chrono::seconds>> RetryAfter(storage::Tx& tx, const RateLimit& limit,
                                                         std::string_view subject) const;

  // Counts one event of `subject` now and returns its events within the window, this one
  // included. Forgets the subject's events older than the window on the way.
  Result<int64_t> Record(storage::Tx& tx, const RateLimit& limit, std::string_view subject) const;

  // Forgets every event in `bucket` of `subject`, or, when `subject` ends in '*', of every
  // subject that starts with the text before it (all the addresses of one username).
  Status Forget(storage::Tx& tx, std::string_view bucket, std::string_view subject) const;

 private:
  const Clock& clock_;
};

}  // namespace oc::auth
