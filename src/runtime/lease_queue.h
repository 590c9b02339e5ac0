#pragma once
// The claim-and-lease protocol the outbox, timers and job runs share (internal to runtime). Each
// of their tables has the columns `status` ('pending', 'leased', 'done', 'dead', or a state of
// its own such as 'discarded'), `attempts`, `due_at_us`, `lease_owner` and `last_error`, and a
// partial index on (due_at_us, id) over the pending and leased rows.
//
// A row is due when it is pending and its time has come, or leased and its lease has run out
// (the holder crashed or hung): claiming sets it leased to a fresh lease token until the lease
// ends, and counts the attempt. Only the holder of the current token can settle it, so a node
// whose lease ran out cannot overwrite the outcome of the node that took the row over.
// PostgreSQL claims with FOR UPDATE SKIP LOCKED, so concurrent nodes take disjoint rows without
// waiting for each other; SQLite has one writer, which serialises claims by itself.
//
// Thread-safety: stateless apart from its options; calls run in the caller's transaction.

#include <chrono>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/db.h"

namespace oc::runtime {

// How often and how soon a failed delivery or firing is tried again: exponential backoff from
// `first_delay`, doubling per attempt up to `max_delay`, each delay drawn at random between half
// and all of it ("equal jitter"), so that a burst of failures does not retry in lockstep.
struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::microseconds first_delay = std::chrono::seconds(2);
  std::chrono::microseconds max_delay = std::chrono::hours(1);

  // The delay before attempt `attempts + 1`, given `attempts` made; `unit` in [0, 1).
  std::chrono::microseconds DelayAfter(int attempts, double unit) const;
};

struct Claimed {
  int64_t id = 0;
  int attempts = 0;  // including this one
};

class LeaseQueue {
 public:
  // `table` is one of the runtime's queue tables.
  explicit LeaseQueue(std::string table) : table_(std::move(table)) {}

  // Leases up to `limit` due rows to `token` until now + `lease`, oldest due first.
  // `extra_condition` further restricts the rows it may take (SQL over the table's columns, its
  // `?` bound from `extra_params`); it is fixed text, never input.
  Result<std::vector<Claimed>> Claim(storage::Tx& tx, Instant now, std::chrono::microseconds lease,
                                     std::string_view token, int limit,
                                     std::string_view extra_condition = {},
                                     const storage::Params& extra_params = {}) const;

  // Marks the rows `token` still holds as done. Returns how many it held.
  Result<int64_t> Complete(storage::Tx& tx, Instant now, std::span<const int64_t> ids,
                           std::string_view token) const;

  // Gives back rows `token` holds but did not get to (the node is stopping): pending again, due
  // now, with the attempt uncounted. Returns how many it held.
  Result<int64_t> Release(storage::Tx& tx, Instant now, std::span<const int64_t> ids,
                          std::string_view token) const;

  // Records a failed attempt of a row `token` holds: pending again after the policy's delay, or
  // dead once `attempts` reached the policy's maximum. Returns whether the row is now dead.
  Result<bool> Fail(storage::Tx& tx, Instant now, int64_t id, int attempts, std::string_view token,
                    std::string_view error, const RetryPolicy& policy, double unit) const;

 private:
  std::string table_;
};

// The text a failed attempt leaves in `last_error`: the English message, with the detail that
// only an administrator sees.
std::string FailureText(const Error& error);

// A lease token unique to this process and call: "<node>#<counter>".
std::string NewLeaseToken(std::string_view node);

}  // namespace oc::runtime
