#pragma once
// The outbox: every delivery of a domain event to a consumer, and the dispatcher that makes them.
//
// The event log writes one outbox row per subscribed consumer in the transaction of the change
// (event_log.h). The dispatcher claims due rows with a lease (lease_queue.h), hands each to its
// consumer outside any transaction, and settles it: done, or tried again later with exponential
// backoff and jitter, or — after RetryPolicy::max_attempts — dead, with the last error, for an
// administrator to inspect, retry or discard. Delivery is at least once: a consumer that crashes
// or hangs loses its lease and the delivery is made again, by this node or another. A consumer
// makes its effect happen once by keying it with the delivery's idempotency key
// ("<consumer>:<seq>"), which every redelivery repeats: a gateway that deduplicates by it, or a
// row written under a unique key in the consumer's own transaction.
//
// Thread-safety: Outbox is stateless and may be shared. Dispatcher runs one thread of its own;
// Register before Start.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "runtime/event_log.h"
#include "runtime/lease_queue.h"
#include "runtime/worker.h"
#include "storage/db.h"

namespace oc::runtime {

enum class DeliveryStatus { kPending, kLeased, kDone, kDead, kDiscarded };
std::string_view DeliveryStatusName(DeliveryStatus status);
std::optional<DeliveryStatus> DeliveryStatusFromName(std::string_view name);

// One outbox row, with its event's identity.
struct DeliveryRecord {
  int64_t id = 0;
  int64_t event_seq = 0;
  std::string event_type;
  std::string stream_type;
  std::string stream_id;
  std::string consumer;
  std::string idem_key;
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;
  std::string last_error;
  Instant created_at;
  Instant due_at;  // the next attempt, or the end of the current lease
  std::optional<Instant> finished_at;
};

struct DeliveryFilter {
  std::optional<DeliveryStatus> status;
  std::string consumer;
  std::optional<int64_t> before_id;  // cursor: newest first
  int limit = 50;
};

// What a consumer is given.
struct Delivery {
  int64_t id = 0;
  std::string consumer;
  std::string idem_key;
  int attempt = 1;  // 1 for the first
  StoredEvent event;
};

class Outbox {
 public:
  explicit Outbox(const Clock& clock) : clock_(clock) {}

  // Newest first. Errors: kInvalidArgument for a limit outside 1..500.
  Result<std::vector<DeliveryRecord>> List(storage::Db& db, const DeliveryFilter& filter) const;

  // Errors: kNotFound.
  Result<DeliveryRecord> Get(storage::Tx& tx, int64_t id) const;

  // Puts a dead or discarded delivery back in the queue, due now, with its attempts reset.
  // Audited ("outbox.retried"). Errors: kNotFound; kFailedPrecondition for one that is not dead
  // or discarded.
  Result<DeliveryRecord> Retry(storage::Tx& tx, const audit::AuditLog& audit,
                               const audit::Actor& actor, int64_t id) const;

  // Gives up a dead delivery for good, with the reason (2–200 characters). Audited
  // ("outbox.discarded"). Errors: kNotFound; kFailedPrecondition for one that is not dead;
  // kInvalidArgument on "reason".
  Result<DeliveryRecord> Discard(storage::Tx& tx, const audit::AuditLog& audit,
                                 const audit::Actor& actor, int64_t id,
                                 std::string_view reason) const;

  // Deletes the deliveries done before `before`: their events stay in the log.
  // Returns how many it deleted.
  Result<int64_t> PurgeDone(storage::Db& db, Instant before) const;

 private:
  const Clock& clock_;
};

struct DispatcherOptions {
  std::string node = "node";  // names this process in lease tokens
  int batch = 500;
  std::chrono::microseconds lease = std::chrono::minutes(2);
  // How long the thread sleeps when nothing was due; Wake() cuts it short.
  std::chrono::milliseconds idle_wait = std::chrono::milliseconds(250);
  RetryPolicy retry;
};

class Dispatcher {
 public:
  using Consumer = std::function<Status(const Delivery&)>;

  Dispatcher(storage::Db& db, const Clock& clock, const EventLog& events,
             DispatcherOptions options);
  ~Dispatcher();  // stops the thread
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Gives `consumer`'s deliveries to `handle`. A node claims only the deliveries of consumers it
  // registered, so nodes of different versions share one outbox safely.
  // REQUIRES: before Start; one handler per consumer name.
  void Register(std::string consumer, Consumer handle);

  // Claims one batch of due deliveries, hands each to its consumer and settles them. Returns how
  // many it claimed. Errors: storage errors (a consumer's failure is recorded, not returned).
  Result<int> DispatchOnce();

  // Starts the thread, which dispatches until nothing is due, then waits. Idempotent.
  void Start() { worker_.Start(); }
  // Stops the thread after the delivery under way. Idempotent.
  void Stop() { worker_.Stop(); }
  // Cuts the idle wait short (after a commit that appended events).
  void Wake() { worker_.Wake(); }

 private:

  storage::Db& db_;
  const Clock& clock_;
  const EventLog& events_;
  const DispatcherOptions options_;
  const LeaseQueue queue_{"outbox"};
  std::map<std::string, Consumer> consumers_;
  std::string consumer_condition_;
  storage::Params consumer_params_;
  std::mt19937_64 jitter_;
  Worker worker_;
};

}  // namespace oc::runtime
