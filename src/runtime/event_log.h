#pragma once
// Domain events: the append-only record of every state change that others may react to
// (`customer.created`, `customer.updated`, `followup.created` …), and the outbox that hands each
// one to the consumers subscribed to its type.
//
// An event is appended in the same transaction as the change it reports, so a change and its
// event commit together or not at all: there is no dual write, and a crash can never leave a
// change unannounced. Appending also writes one outbox row per consumer subscribed to the
// event's type (see outbox.h), again in the same transaction, keyed `<consumer>:<seq>`: the
// idempotency key a consumer passes on to the side effect it causes.
//
// Payloads are JSON objects. Personal data never appears in them as plaintext: a record event
// lists a sensitive field as changed and leaves its values out ("sensitive": true); a consumer
// that needs the value reads the record, where it is encrypted at rest and masked on the way
// out, like every other reader.
//
// Thread-safety: EventLog is immutable after construction (its subscriptions are fixed before
// the first append) and may be shared.

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/db.h"
#include "storage/migrations.h"

namespace oc::runtime {

// An event to append. `type` is "<stream type>.<what happened>" in lower case.
struct NewEvent {
  std::string stream_type;  // "customer", "followup", "user", "department", …
  std::string stream_id;    // the record's id
  std::string type;         // "customer.created"
  boost::json::object payload;
  // The event this one was caused by (a consumer reacting to it), if any.
  std::optional<int64_t> causation_seq;
};

struct StoredEvent {
  int64_t seq = 0;  // the log's order: strictly increasing in commit order per writer
  std::string stream_type;
  std::string stream_id;
  std::string type;
  boost::json::object payload;
  std::optional<int64_t> actor_user_id;
  std::string actor_name;
  std::optional<int64_t> causation_seq;
  // What ties together everything one request (or one job firing) caused: the request id, or
  // the correlation id of the event that caused this one.
  std::string correlation_id;
  Instant at;
};

// Who receives events of which types. Filled in at start-up, before the first append; the event
// log reads it on every append to fan the event out to the outbox.
class Subscriptions {
 public:
  // Subscribes `consumer` to `event_type`, or to every event when `event_type` is "*".
  // REQUIRES: `consumer` is non-empty and at most 100 characters.
  void Subscribe(std::string consumer, std::string event_type);

  // The consumers of `event_type`, in name order.
  std::vector<std::string> ConsumersOf(std::string_view event_type) const;

  const std::set<std::string>& consumers() const { return consumers_; }

 private:
  std::map<std::string, std::set<std::string>, std::less<>> by_type_;
  std::set<std::string> everything_;
  std::set<std::string> consumers_;
};

// The tables of the event log and the outbox.
std::vector<storage::Migration> EventMigrations();

struct EventFilter {
  std::optional<int64_t> after_seq;  // exclusive
  std::string stream_type;           // empty: every stream
  std::string stream_id;             // with stream_type
  std::string type;                  // exact, or a prefix ending in '.': "customer."
  int limit = 100;
};

class EventLog {
 public:
  EventLog(const Clock& clock, const Subscriptions& subscriptions)
      : clock_(clock), subscriptions_(subscriptions) {}

  // Appends `event` inside the caller's write transaction, with its outbox rows. The actor and
  // the request id come from `actor`; a caused event inherits the correlation id of its cause.
  // Returns the event's seq.
  // Errors: kInvalidArgument for an empty stream type, stream id or type; storage errors.
  Result<int64_t> Append(storage::Tx& tx, const audit::Actor& actor, const NewEvent& event) const;

  // The same for several events of one change, in order.
  Status AppendAll(storage::Tx& tx, const audit::Actor& actor,
                   std::span<const NewEvent> events) const;

  // Events in seq order. Errors: kInvalidArgument for a limit outside 1..1000.
  Result<std::vector<StoredEvent>> List(storage::Tx& tx, const EventFilter& filter) const;
  Result<std::vector<StoredEvent>> List(storage::Db& db, const EventFilter& filter) const;

  // The event with `seq`. Errors: kNotFound.
  Result<StoredEvent> Get(storage::Tx& tx, int64_t seq) const;

  // The events with the given seqs, by seq; absent seqs are left out.
  Result<std::map<int64_t, StoredEvent>> GetMany(storage::Tx& tx,
                                                 std::span<const int64_t> seqs) const;

 private:
  const Clock& clock_;
  const Subscriptions& subscriptions_;
};

// The changes of a record event, one entry per changed field:
// {"field", "old", "new"} with JSON-typed values, or {"field", "sensitive": true} for personal
// data. Build with RecordChange below; the payload of `<type>.updated` carries them under
// "changes".
boost::json::object RecordChange(std::string_view field, const boost::json::value& old_value,
                                 const boost::json::value& new_value);
boost::json::object SensitiveChange(std::string_view field);

}  // namespace oc::runtime
