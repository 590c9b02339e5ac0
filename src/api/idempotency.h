#pragma once
// Idempotency-Key on POSTs that create (ARCHITECTURE.md, API conventions): a client that retries
// a create after a timeout gets the first response again instead of a second record. Keys are
// per user; the first successful response (status, body, Location and ETag) is kept for 24
// hours. A key reused with a different request is refused (422). The claim of the key, the use
// case and the remembered response are one unit of work: they commit together or not at all.

#include <functional>

#include "core/clock.h"
#include "http/request.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/unit_of_work.h"

namespace oc::api {

std::vector<storage::Migration> IdempotencyMigrations();

class IdempotencyKeys {
 public:
  IdempotencyKeys(storage::Db& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Runs `handle` in a unit of work that commits only when it answers 2xx; a refusal rolls
  // back everything `handle` did (except what it kept Regardless). With an Idempotency-Key,
  // `handle` runs once per (user, key): a repeat gets the first 2xx response again, marked
  // `Idempotent-Replayed: true`.
  using Handler = std::function<http::Response(storage::UnitOfWork&)>;
  http::Response Run(const http::Request& request, int64_t user_id, const Handler& handle);

  // Forgets keys past their retention (housekeeping; lookups already ignore them).
  Status PurgeExpired();

 private:
  storage::Db& db_;
  const Clock& clock_;
};

}  // namespace oc::api
