#include "runtime/live_feed.h"

#include <boost/json.hpp>
#include <utility>

namespace oc::runtime {

namespace json = boost::json;
using storage::Tx;

LiveFeed::LiveFeed(storage::Db& db, const Clock& clock, LiveFeedOptions options,
                   std::function<void(const Error&)> report)
    : db_(db), clock_(clock), options_(options), report_(std::move(report)) {}

LiveFeed::~LiveFeed() { Stop(); }

Status LiveFeed::InitPosition() {
  ASSIGN_OR_RETURN(int64_t newest, db_.ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COALESCE(MAX(id), 0) FROM domain_events"));
    return row->Int(0);
  }));
  std::lock_guard lock(mu_);
  position_ = newest;
  window_floor_ = newest;
  return Ok();
}

Status LiveFeed::Start() {
  RETURN_IF_ERROR(InitPosition());
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
  return Ok();
}

void LiveFeed::Stop() {
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = true;
  }
  wake_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveFeed::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    woken_ = true;
  }
  wake_cv_.notify_all();
}

void LiveFeed::Run() {
  for (;;) {
    {
      std::unique_lock lock(wake_mu_);
      wake_cv_.wait_for(lock, options_.poll_interval, [this] { return woken_ || stopping_; });
      if (stopping_) return;
      woken_ = false;
    }
    if (auto polled = Poll(); !polled && report_) report_(polled.error());
  }
}

Status LiveFeed::Poll() {
  std::lock_guard poll_lock(poll_mu_);
  for (;;) {
    const int64_t from = position();
    ASSIGN_OR_RETURN(storage::Rows rows, db_.ReadValue<storage::Rows>([&](Tx& tx) {
      return tx.Query(
          "SELECT id, type, payload FROM domain_events WHERE id > ? ORDER BY id LIMIT ?",
          {from, int64_t{options_.batch}});
    }));
    const Instant now = clock_.Now();
    int64_t expected = from + 1;
    bool held = false;
    for (const storage::Row& row : rows) {
      const int64_t seq = row.Int("id");
      if (seq != expected) {
        std::lock_guard lock(mu_);
        if (!gap_ || gap_->first != expected) gap_ = std::pair{expected, now};
        if (now - gap_->second < options_.gap_timeout) {
          held = true;
          break;
        }
        // Missing for long enough: a rolled-back seq, never to appear.
      }
      Deliver(seq, row.Text("type"), row.Text("payload"));
      expected = seq + 1;
    }
    if (held || static_cast<int>(rows.size()) < options_.batch) return Ok();
  }
}

void LiveFeed::Deliver(int64_t seq, std::string type, std::string_view payload_text) {
  std::optional<LiveEvent> event;
  UserRef user;
  // Most events name no recipient; only those are parsed.
  if (payload_text.find(kRecipientKey) != std::string_view::npos) {
    json::error_code ec;
    json::value payload = json::parse(payload_text, ec);
    if (!ec && payload.is_object()) {
      const json::value* recipient = payload.as_object().if_contains(kRecipientKey);
      if (recipient && recipient->is_int64() && recipient->as_int64() > 0) {
        user = UserRef(recipient->as_int64());
        event = LiveEvent{seq, std::move(type), std::move(payload.as_object())};
      }
    }
  }
  std::lock_guard lock(mu_);
  position_ = seq;
  gap_.reset();
  if (!event) return;
  recent_.push_back({user, *event});
  while (recent_.size() > options_.window) {
    window_floor_ = recent_.front().event.seq;
    recent_.pop_front();
  }
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    Subscriber& subscriber = it->second;
    if (subscriber.user != user || subscriber.after >= seq) {
      ++it;
      continue;
    }
    subscriber.after = seq;
    if (subscriber.sink(*event)) {
      ++it;
    } else {
      if (--streams_of_[subscriber.user] == 0) streams_of_.erase(subscriber.user);
      it = subscribers_.erase(it);
    }
  }
}

Result<LiveFeed::Subscription> LiveFeed::Subscribe(
    UserRef user, std::optional<int64_t> last_seen, Sink sink,
    const std::function<void(const Subscription&)>& opened) {
  std::lock_guard lock(mu_);
  if (static_cast<int>(subscribers_.size()) >= options_.max_streams) {
    return MakeError(ErrorCode::kResourceExhausted,
                     {"实时连接已满，请稍后重试", "Too many live connections; try again shortly"});
  }
  if (auto open = streams_of_.find(user);
      open != streams_of_.end() && open->second >= options_.max_streams_per_user) {
    return MakeError(ErrorCode::kResourceExhausted,
                     {"您打开的实时连接过多，请关闭一些页面",
                      "You have too many live connections open; close some pages"});
  }
  Subscription subscription{.id = next_subscription_++, .position = position_};
  if (last_seen) {
    subscription.resumed = *last_seen >= window_floor_;
    subscription.position = std::max(position_, *last_seen);
  }
  opened(subscription);
  if (last_seen && subscription.resumed) {
    for (const Recent& recent : recent_) {
      if (recent.user == user && recent.event.seq > *last_seen && !sink(recent.event)) {
        return subscription;
      }
    }
  }
  ++streams_of_[user];
  subscribers_.emplace(subscription.id, Subscriber{user, subscription.position, std::move(sink)});
  return subscription;
}

void LiveFeed::Unsubscribe(int64_t subscription_id) {
  std::lock_guard lock(mu_);
  auto it = subscribers_.find(subscription_id);
  if (it == subscribers_.end()) return;
  if (--streams_of_[it->second.user] == 0) streams_of_.erase(it->second.user);
  subscribers_.erase(it);
}

int64_t LiveFeed::position() const {
  std::lock_guard lock(mu_);
  return position_;
}

}  // namespace oc::runtime
