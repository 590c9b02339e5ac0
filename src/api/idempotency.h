#pragma once
// Idempotency-Key on POSTs that create (ARCHITECTURE.md, API conventions): a client that retries
// a create after a timeout gets the first response again instead of a second record. Keys are
// per user; the first response (status, body, Location and ETag) is kept for 24 hours. A key
// reused with a different request is refused (422), and a key whose first request is still
// running gets 409.

#include <functional>

#include "core/clock.h"
#include "http/request.h"
#include "storage/db.h"
#include "storage/migrations.h"

namespace oc::api {

std::vector<storage::Migration> IdempotencyMigrations();

class IdempotencyKeys {
 public:
  IdempotencyKeys(storage::Db& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Runs `handle` once per (user, Idempotency-Key); without the header it just runs it.
  http::Response Run(const http::Request& request, int64_t user_id,
                     const std::function<http::Response()>& handle);

 private:
  storage::Db& db_;
  const Clock& clock_;
};

}  // namespace oc::api
