#include "runtime/live_feed.h"

#include <gtest/gtest.h>

#include "crypto/testing/test_keys.h"
#include "runtime/notification_service.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

using namespace std::chrono_literals;
using storage::testing::Backend;

// What one stream received, in order.
struct Received {
  std::vector<int64_t> seqs;
  std::vector<std::string> types;
  bool open = true;
  LiveFeed::Sink Sink() {
    return [this](const LiveEvent& e) {
      seqs.push_back(e.seq);
      types.push_back(e.type);
      return open;
    };
  }
};

class LiveFeedTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    todos_ = std::make_unique<TodoService>(*db_, clock_, audit_, events_);
    notifications_ = std::make_unique<NotificationService>(*db_, clock_, audit_, events_);
  }

  LiveFeed& Feed(LiveFeedOptions options = {}) {
    if (!feed_) feed_ = std::make_unique<LiveFeed>(*db_, clock_, options);
    return *feed_;
  }

  Result<LiveFeed::Subscription> Subscribe(UserRef user, std::optional<int64_t> last_seen,
                                           Received& received) {
    return Feed().Subscribe(user, last_seen, received.Sink(), [](const auto&) {});
  }

  TodoId TodoFor(UserRef user) {
    return todos_->Create({.username = "rules"}, {.assignee = user, .title = "跟进"})->todo.id;
  }

  static constexpr UserRef kZhang{7};
  static constexpr UserRef kLi{8};
  FakeClock clock_{FromUnixMicros(1'767'225'600'000'000)};
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, keys_};
  Subscriptions subscriptions_;
  EventLog events_{clock_, subscriptions_};
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<TodoService> todos_;
  std::unique_ptr<NotificationService> notifications_;
  std::unique_ptr<LiveFeed> feed_;
};

TEST_P(LiveFeedTest, AUserGetsTheirOwnEventsOnly) {
  Received zhang, li;
  ASSERT_TRUE(Subscribe(kZhang, std::nullopt, zhang));
  ASSERT_TRUE(Subscribe(kLi, std::nullopt, li));
  TodoId todo = TodoFor(kZhang);
  ASSERT_TRUE(notifications_->Send({.username = "rules"}, {.recipient = kLi, .title = "通知"}));
  ASSERT_TRUE(todos_->Complete({.user_id = 7, .username = "zhang"}, kZhang, todo, "好了"));
  // An event that names nobody reaches nobody.
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(events_.Append(
        tx, {}, {.stream_type = "customer", .stream_id = "1", .type = "customer.created"}));
    return Ok();
  }));
  ASSERT_TRUE(Feed().Poll());
  EXPECT_EQ(zhang.types, (std::vector<std::string>{"todo.created", "todo.completed"}));
  EXPECT_EQ(li.types, (std::vector<std::string>{"notification.created"}));
  EXPECT_LT(zhang.seqs[0], zhang.seqs[1]);
  ASSERT_TRUE(Feed().Poll());  // nothing new: nothing twice
  EXPECT_EQ(zhang.seqs.size(), 2u);
}

TEST_P(LiveFeedTest, AStreamResumesAfterTheLastSeqItSaw) {
  Received first;
  auto subscription = Subscribe(kZhang, std::nullopt, first);
  ASSERT_TRUE(subscription);
  TodoFor(kZhang);
  ASSERT_TRUE(Feed().Poll());
  ASSERT_EQ(first.seqs.size(), 1u);
  // The connection drops; meanwhile two more events for zhang and one for li.
  Feed().Unsubscribe(subscription->id);
  TodoFor(kZhang);
  TodoFor(kLi);
  TodoFor(kZhang);
  ASSERT_TRUE(Feed().Poll());
  Received second;
  std::optional<LiveFeed::Subscription> opened;
  auto resumed = Feed().Subscribe(kZhang, first.seqs.back(), second.Sink(),
                                  [&](const LiveFeed::Subscription& s) {
                                    opened = s;
                                    EXPECT_TRUE(second.seqs.empty());  // told before the replay
                                  });
  ASSERT_TRUE(resumed);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(resumed->resumed);
  EXPECT_EQ(second.seqs.size(), 2u);
  EXPECT_GT(second.seqs.front(), first.seqs.back());
  TodoFor(kZhang);
  ASSERT_TRUE(Feed().Poll());
  EXPECT_EQ(second.seqs.size(), 3u);  // then live, without a gap or a repeat
}

TEST_P(LiveFeedTest, AResumeOlderThanTheWindowAsksTheClientToReload) {
  Feed({.window = 2});
  for (int i = 0; i < 4; ++i) TodoFor(kZhang);
  ASSERT_TRUE(Feed().Poll());
  Received late;
  auto subscription = Subscribe(kZhang, 1, late);
  ASSERT_TRUE(subscription);
  EXPECT_FALSE(subscription->resumed);
  EXPECT_TRUE(late.seqs.empty());
}

TEST_P(LiveFeedTest, AFeedFollowsFromWhereItStarted) {
  TodoFor(kZhang);
  ASSERT_TRUE(Feed().Start());
  const int64_t started_at = Feed().position();
  Feed().Stop();
  Received received;
  ASSERT_TRUE(Subscribe(kZhang, std::nullopt, received));
  TodoFor(kZhang);
  ASSERT_TRUE(Feed().Poll());
  ASSERT_EQ(received.seqs.size(), 1u);
  EXPECT_GT(received.seqs[0], started_at);
  // Anything before the start is outside the window.
  Received old;
  EXPECT_FALSE(Subscribe(kZhang, started_at - 1, old)->resumed);
}

TEST_P(LiveFeedTest, AMissingSeqHoldsLaterEventsBackUntilItTimesOut) {
  Received received;
  ASSERT_TRUE(Subscribe(kZhang, std::nullopt, received));
  TodoFor(kZhang);
  const TodoId second = TodoFor(kZhang);
  TodoFor(kZhang);
  // The second seq stands for one taken by a transaction still open (or rolled back).
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("DELETE FROM domain_events WHERE stream_id = ?",
                               {std::to_string(second.value())}));
    return Ok();
  }));
  ASSERT_TRUE(Feed({.gap_timeout = 5s}).Poll());
  EXPECT_EQ(received.seqs.size(), 1u);
  clock_.Advance(4s);
  ASSERT_TRUE(Feed().Poll());
  EXPECT_EQ(received.seqs.size(), 1u);
  clock_.Advance(1s);
  ASSERT_TRUE(Feed().Poll());
  EXPECT_EQ(received.seqs.size(), 2u);
}

TEST_P(LiveFeedTest, StreamsAreLimitedPerUserAndInTotal) {
  Feed({.max_streams_per_user = 2, .max_streams = 3});
  Received a, b, c, d;
  ASSERT_TRUE(Subscribe(kZhang, std::nullopt, a));
  auto second = Subscribe(kZhang, std::nullopt, b);
  ASSERT_TRUE(second);
  auto third = Subscribe(kZhang, std::nullopt, c);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::kResourceExhausted);
  ASSERT_TRUE(Subscribe(kLi, std::nullopt, c));
  EXPECT_EQ(Subscribe(UserRef(9), std::nullopt, d).error().code, ErrorCode::kResourceExhausted);
  Feed().Unsubscribe(second->id);
  EXPECT_TRUE(Subscribe(UserRef(9), std::nullopt, d));
}

TEST_P(LiveFeedTest, AStreamThatIsGoneIsDropped) {
  Feed({.max_streams_per_user = 1});
  Received gone;
  ASSERT_TRUE(Subscribe(kZhang, std::nullopt, gone));
  gone.open = false;
  TodoFor(kZhang);
  ASSERT_TRUE(Feed().Poll());
  Received next;
  EXPECT_TRUE(Subscribe(kZhang, std::nullopt, next));  // the slot is free again
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveFeedTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::runtime
