#pragma once
// The live feed: each user's own domain events, pushed to the streams that user has open (the
// top bar's bell and to-do count, updated without polling from the browser).
//
// Several `opencredit serve` processes may share one PostgreSQL database, and a browser is
// connected to any one of them, while the change it should hear about may have been made on
// another. So the feed does not hear of events from the code that appends them: one tailer per
// process follows `domain_events` by seq — one indexed range query (`id > position`) for the
// whole process, every poll_interval, and at once when this process appended an event itself
// (Wake) — and hands each event whose payload names a user under kRecipientKey to that user's
// subscribers. Every node sees every event this way.
//
// This is deliberately not an outbox consumer: an outbox delivery is claimed and carried out by
// exactly one node, which is right for a side effect that must happen once (an SMS), and wrong
// here, where every node with a stream of that user open must hear the event.
//
// On PostgreSQL an event's seq is allocated when it is inserted and becomes visible when its
// transaction commits, so a later seq can be seen before an earlier one. The tailer therefore
// never passes a missing seq until it has stayed missing for gap_timeout (a rolled-back insert
// leaves a seq that never appears): events reach subscribers in seq order, and a stream that
// resumes after seq N has missed nothing up to N. On SQLite seqs commit in order.
//
// Resuming: each event carries its seq; a subscriber that says the last seq it saw gets the
// events of its user after it from a window of the most recent ones, then the live ones. When
// that seq is older than the window (or than this process), the subscription says so and the
// client reloads what it shows instead.
//
// Thread-safety: every member is safe to call from any thread. Sinks are called on the tailer's
// thread, under the feed's lock, and must not block or call back into the feed.

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "runtime/todo_service.h"
#include "storage/db.h"

namespace oc::runtime {

// The payload key that puts an event on a user's live stream: the user id, an integer.
inline constexpr std::string_view kRecipientKey = "recipient_user_id";

struct LiveEvent {
  int64_t seq = 0;
  std::string type;             // "todo.created"
  boost::json::object payload;  // as appended: ids and states, never personal data
};

struct LiveFeedOptions {
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds gap_timeout{5000};
  size_t window = 4096;  // recent events kept for resumption, over all users
  int max_streams_per_user = 8;
  int max_streams = 10'000;
  int batch = 500;  // rows per query
};

class LiveFeed {
 public:
  // Receives one event. Returns false when its stream is gone, which ends the subscription.
  using Sink = std::function<bool(const LiveEvent&)>;

  struct Subscription {
    int64_t id = 0;
    // The seq the stream is at when it opens: the feed's position, or the seq it last saw when
    // that is later (it comes from a node further ahead).
    int64_t position = 0;
    // False when that seq was older than the window: events may be missing, and the client
    // should reload what it shows.
    bool resumed = true;
  };

  // `report` hears of a failed poll (the tailer retries at the next one); it may be empty.
  LiveFeed(storage::Db& db, const Clock& clock, LiveFeedOptions options = {},
           std::function<void(const Error&)> report = {});
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // Starts following at the newest event (earlier ones are not delivered) on the feed's own
  // thread. Errors: storage errors reading the position.
  Status Start();
  // Stops the thread; subscriptions stay but hear nothing more. Idempotent.
  void Stop();

  // This process appended an event: poll now rather than at the next interval. Never blocks.
  void Wake();

  // Reads what was committed since the last poll and delivers it (the thread's loop; tests
  // call it directly instead of Start, and the feed then follows from the log's beginning).
  // Errors: storage errors.
  Status Poll();

  // Subscribes `sink` to `user`'s events after `last_seen` (none: from now on). Before any live
  // event, and under the feed's lock so that nothing comes between, `opened` hears of the
  // subscription and then `sink` gets the user's events from the window after `last_seen`.
  // Errors: kResourceExhausted when the user already has max_streams_per_user streams open or
  // the feed max_streams.
  Result<Subscription> Subscribe(UserRef user, std::optional<int64_t> last_seen, Sink sink,
                                 const std::function<void(const Subscription&)>& opened);
  void Unsubscribe(int64_t subscription_id);

  // The seq of the last event delivered.
  int64_t position() const;

 private:
  struct Subscriber {
    UserRef user;
    int64_t after = 0;
    Sink sink;
  };
  struct Recent {
    UserRef user;
    LiveEvent event;
  };

  Status InitPosition();
  void Deliver(int64_t seq, std::string type, std::string_view payload_text);
  void Run();

  storage::Db& db_;
  const Clock& clock_;
  const LiveFeedOptions options_;
  std::function<void(const Error&)> report_;

  std::mutex poll_mu_;  // one poll at a time
  mutable std::mutex mu_;
  int64_t position_ = 0;
  // Resumption is exact after this seq: every event since is in `recent_` (or had no recipient).
  int64_t window_floor_ = 0;
  std::deque<Recent> recent_;
  // The first seq the tailer is waiting for, and since when.
  std::optional<std::pair<int64_t, Instant>> gap_;
  std::map<int64_t, Subscriber> subscribers_;
  std::map<UserRef, int> streams_of_;
  int64_t next_subscription_ = 1;

  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace oc::runtime
