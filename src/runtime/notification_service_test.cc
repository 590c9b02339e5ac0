#include "runtime/notification_service.h"

#include <gtest/gtest.h>

#include "crypto/testing/test_keys.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

using storage::testing::Backend;

class NotificationServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    notifications_ = std::make_unique<NotificationService>(*db_, clock_, audit_, events_);
  }

  NewNotification ToZhang(std::string title) {
    return {.recipient = kZhang,
            .title = std::move(title),
            .body = "请尽快处理",
            .link = {"customer", "42"}};
  }

  static constexpr UserRef kZhang{7};
  static constexpr UserRef kLi{8};
  FakeClock clock_{FromUnixMicros(1'767'225'600'000'000)};
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, keys_};
  Subscriptions subscriptions_;
  EventLog events_{clock_, subscriptions_};
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<NotificationService> notifications_;
  audit::Actor system_{.username = "rules"};
  audit::Actor zhang_{.user_id = 7, .username = "zhang"};
};

TEST_P(NotificationServiceTest, ANewNotificationIsUnreadUntilItsRecipientReadsIt) {
  auto sent = notifications_->Send(system_, ToZhang("客户 张三 进入观察名单"));
  ASSERT_TRUE(sent) << sent.error().message.en_us;
  EXPECT_FALSE(sent->read_at);
  EXPECT_EQ(notifications_->UnreadCount(kZhang), 1);
  auto unread = notifications_->List(kZhang, /*unread_only=*/true, std::nullopt, 10);
  ASSERT_TRUE(unread);
  ASSERT_EQ(unread->items.size(), 1u);
  EXPECT_EQ(unread->items[0].title, "客户 张三 进入观察名单");
  EXPECT_EQ(unread->items[0].link, (RecordLink{"customer", "42"}));

  clock_.Advance(std::chrono::minutes(3));
  auto read = notifications_->MarkRead(zhang_, kZhang, sent->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->read_at, clock_.Now());
  EXPECT_EQ(notifications_->UnreadCount(kZhang), 0);
  EXPECT_TRUE(notifications_->List(kZhang, true, std::nullopt, 10)->items.empty());
  EXPECT_EQ(notifications_->List(kZhang, false, std::nullopt, 10)->items.size(), 1u);
  // Reading it again changes nothing and says nothing.
  ASSERT_TRUE(notifications_->MarkRead(zhang_, kZhang, sent->id));
  auto events = events_.List(*db_, {.type = "notification."});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, "notification.created");
  EXPECT_EQ((*events)[1].type, "notification.read");
  EXPECT_EQ((*events)[1].payload.at("recipient_user_id"), 7);
}

TEST_P(NotificationServiceTest, SomeoneElsesNotificationIsNotFound) {
  auto sent = notifications_->Send(system_, ToZhang("审批待处理"));
  ASSERT_TRUE(sent);
  auto read = notifications_->MarkRead({.user_id = 8, .username = "li"}, kLi, sent->id);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(notifications_->List(kLi, false, std::nullopt, 10)->items.empty());
  EXPECT_EQ(notifications_->MarkAllRead({.user_id = 8, .username = "li"}, kLi), 0);
  EXPECT_EQ(notifications_->UnreadCount(kZhang), 1);
}

TEST_P(NotificationServiceTest, MarkAllReadReadsEveryUnreadOneAsOneChange) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(notifications_->Send(system_, ToZhang("提醒")));
  ASSERT_TRUE(notifications_->Send(system_, {.recipient = kLi, .title = "别人的"}));
  EXPECT_EQ(notifications_->MarkAllRead(zhang_, kZhang), 3);
  EXPECT_EQ(notifications_->UnreadCount(kZhang), 0);
  EXPECT_EQ(notifications_->UnreadCount(kLi), 1);
  EXPECT_EQ(events_.List(*db_, {.type = "notification.read"})->size(), 1u);
  EXPECT_EQ(notifications_->MarkAllRead(zhang_, kZhang), 0);
  EXPECT_EQ(events_.List(*db_, {.type = "notification.read"})->size(), 1u);
}

TEST_P(NotificationServiceTest, ADedupKeySendsOnce) {
  NewNotification input = ToZhang("还款日提醒");
  input.dedup_key = "due_soon:installment:9:2026-01-04";
  auto first = notifications_->Send(system_, input);
  auto second = notifications_->Send(system_, input);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->id, second->id);
  EXPECT_EQ(notifications_->UnreadCount(kZhang), 1);
}

TEST_P(NotificationServiceTest, BadInputIsRefusedNamingTheField) {
  auto field_of = [&](NewNotification input) {
    auto sent = notifications_->Send(system_, input);
    if (sent) return std::string("accepted");
    return sent.error().field_violations.at(0).field + ":" +
           sent.error().field_violations.at(0).code;
  };
  EXPECT_EQ(field_of(ToZhang("")), "title:required");
  NewNotification long_body = ToZhang("t");
  long_body.body = std::string(2001, 'b');
  EXPECT_EQ(field_of(long_body), "body:too_long");
  EXPECT_EQ(field_of({.title = "nobody"}), "recipient_id:required");
  EXPECT_EQ(notifications_->UnreadCount(kZhang), 0);
}

TEST_P(NotificationServiceTest, PagesRunNewestFirst) {
  std::vector<NotificationId> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(notifications_->Send(system_, ToZhang("n"))->id);
  auto first = notifications_->List(kZhang, false, std::nullopt, 2);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].id, ids[2]);
  auto second = notifications_->List(kZhang, false, first->next_after, 2);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, ids[0]);
  EXPECT_FALSE(second->next_after);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::runtime
