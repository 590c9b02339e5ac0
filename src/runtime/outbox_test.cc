#include "runtime/outbox.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "crypto/testing/test_keys.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

using std::chrono::seconds;
using storage::testing::Backend;

class OutboxTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    subscriptions_.Subscribe("sms", "installment.due_soon");
    subscriptions_.Subscribe("webhook", "installment.due_soon");
  }

  void AppendEvents(int n) {
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
      for (int i = 0; i < n; ++i) {
        RETURN_IF_ERROR(log_.Append(tx, actor_,
                                    {.stream_type = "installment",
                                     .stream_id = std::to_string(i + 1),
                                     .type = "installment.due_soon",
                                     .payload = {{"due_date", "2026-12-07"}}}));
      }
      return Ok();
    }));
  }

  std::unique_ptr<Dispatcher> MakeDispatcher(std::string node, RetryPolicy retry = {}) {
    return std::make_unique<Dispatcher>(
        *db_, clock_, log_,
        DispatcherOptions{
            .node = std::move(node), .batch = 100, .lease = seconds(30), .retry = retry});
  }

  std::vector<DeliveryRecord> Records(std::optional<DeliveryStatus> status = std::nullopt) {
    auto records = outbox_.List(*db_, {.status = status, .limit = 500});
    EXPECT_TRUE(records);
    return records ? *records : std::vector<DeliveryRecord>{};
  }

  FakeClock clock_{FromUnixMicros(1'790'000'000'000'000)};
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, keys_};
  Subscriptions subscriptions_;
  EventLog log_{clock_, subscriptions_};
  Outbox outbox_{clock_};
  audit::Actor actor_{.user_id = 1, .username = "admin", .request_id = "req-7"};
  std::unique_ptr<storage::Db> db_;
};

TEST_P(OutboxTest, DeliversEachEventToEachConsumerOnceAndMarksItDone) {
  AppendEvents(3);
  std::vector<std::string> seen;
  auto dispatcher = MakeDispatcher("a");
  dispatcher->Register("sms", [&](const Delivery& d) -> Status {
    seen.push_back(d.idem_key + " " + d.event.stream_id + " " +
                   std::string(d.event.payload.at("due_date").as_string()));
    EXPECT_EQ(d.attempt, 1);
    EXPECT_EQ(d.event.correlation_id, "req-7");
    return Ok();
  });
  // The webhook consumer is not registered on this node: its deliveries wait for a node that is.
  auto claimed = dispatcher->DispatchOnce();
  ASSERT_TRUE(claimed) << claimed.error().internal_detail;
  EXPECT_EQ(*claimed, 3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].substr(0, 4), "sms:");
  EXPECT_TRUE(seen[0].ends_with(" 1 2026-12-07")) << seen[0];
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0);
  EXPECT_EQ(Records(DeliveryStatus::kDone).size(), 3u);
  const auto pending = Records(DeliveryStatus::kPending);
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending.front().consumer, "webhook");
}

TEST_P(OutboxTest, AFailingConsumerIsRetriedWithGrowingDelaysThenDeadWithTheLastError) {
  AppendEvents(1);
  const RetryPolicy retry{.max_attempts = 3, .first_delay = seconds(10), .max_delay = seconds(60)};
  auto dispatcher = MakeDispatcher("a", retry);
  int calls = 0;
  dispatcher->Register("sms", [&](const Delivery& d) -> Status {
    ++calls;
    EXPECT_EQ(d.attempt, calls);
    return MakeError(ErrorCode::kUnavailable, {"短信网关不可用", "SMS gateway unavailable"},
                     "HTTP 503 attempt " + std::to_string(calls));
  });
  ASSERT_TRUE(dispatcher->DispatchOnce());
  auto sms = [&] {
    for (const auto& r : Records()) {
      if (r.consumer == "sms") return r;
    }
    return DeliveryRecord{};
  };
  EXPECT_EQ(sms().status, DeliveryStatus::kPending);
  EXPECT_EQ(sms().last_error, "SMS gateway unavailable: HTTP 503 attempt 1");
  // Equal jitter: the first retry comes between half the first delay and all of it.
  EXPECT_GE(sms().due_at, clock_.Now() + seconds(5));
  EXPECT_LE(sms().due_at, clock_.Now() + seconds(10));
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0) << "not due yet";

  clock_.Advance(seconds(10));
  ASSERT_TRUE(dispatcher->DispatchOnce());
  EXPECT_GE(sms().due_at, clock_.Now() + seconds(10));
  EXPECT_LE(sms().due_at, clock_.Now() + seconds(20));
  clock_.Advance(seconds(20));
  ASSERT_TRUE(dispatcher->DispatchOnce());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(sms().status, DeliveryStatus::kDead);
  EXPECT_EQ(sms().attempts, 3);
  EXPECT_EQ(sms().last_error, "SMS gateway unavailable: HTTP 503 attempt 3");
  clock_.Advance(std::chrono::hours(2));
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0) << "a dead delivery stays dead";
}

TEST_P(OutboxTest, ADeliveryWhoseConsumerCrashedIsMadeAgainOnceItsLeaseRunsOut) {
  AppendEvents(1);
  // A node claimed the delivery and died before settling it.
  const std::string dead_token = NewLeaseToken("crashed");
  const LeaseQueue queue("outbox");
  auto claimed = db_->WriteValue<std::vector<Claimed>>([&](storage::Tx& tx) {
    return queue.Claim(tx, clock_.Now(), seconds(30), dead_token, 10, "consumer = 'sms'");
  });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);

  auto dispatcher = MakeDispatcher("b");
  std::vector<int> attempts;
  dispatcher->Register("sms", [&](const Delivery& d) -> Status {
    attempts.push_back(d.attempt);
    return Ok();
  });
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0) << "the lease still holds";
  clock_.Advance(seconds(31));
  EXPECT_EQ(*dispatcher->DispatchOnce(), 1);
  EXPECT_EQ(attempts, std::vector<int>{2});
  // The crashed node coming back cannot overwrite what the other node settled.
  auto stale = db_->WriteValue<int64_t>([&](storage::Tx& tx) {
    const int64_t id = claimed->front().id;
    return queue.Complete(tx, clock_.Now(), std::span(&id, 1), dead_token);
  });
  ASSERT_TRUE(stale);
  EXPECT_EQ(*stale, 0);
}

TEST_P(OutboxTest, AnAdministratorRetriesOrDiscardsADeadDelivery) {
  AppendEvents(2);
  auto dispatcher = MakeDispatcher("a", {.max_attempts = 1});
  bool gateway_up = false;
  dispatcher->Register("sms", [&](const Delivery&) -> Status {
    if (gateway_up) return Ok();
    return MakeError(ErrorCode::kUnavailable, {"网关不可用", "gateway down"});
  });
  ASSERT_TRUE(dispatcher->DispatchOnce());
  auto dead = Records(DeliveryStatus::kDead);
  ASSERT_EQ(dead.size(), 2u);

  auto retry = [&](int64_t id) {
    return db_->WriteValue<DeliveryRecord>(
        [&](storage::Tx& tx) { return outbox_.Retry(tx, audit_, actor_, id); });
  };
  auto discard = [&](int64_t id, std::string reason) {
    return db_->WriteValue<DeliveryRecord>(
        [&](storage::Tx& tx) { return outbox_.Discard(tx, audit_, actor_, id, reason); });
  };
  auto retried = retry(dead[0].id);
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, DeliveryStatus::kPending);
  EXPECT_EQ(retried->attempts, 0);
  EXPECT_EQ(retry(dead[0].id).error().code, ErrorCode::kFailedPrecondition);

  EXPECT_EQ(discard(dead[1].id, " ").error().field_violations.at(0).code, "required");
  EXPECT_EQ(discard(dead[1].id, "x").error().field_violations.at(0).code, "too_short");
  EXPECT_EQ(discard(dead[1].id, std::string(201, 'x')).error().field_violations.at(0).code,
            "too_long");
  EXPECT_EQ(discard(dead[1].id, "bad\x01reason").error().field_violations.at(0).code,
            "control_character");
  EXPECT_EQ(discard(dead[0].id, "客户已结清").error().code, ErrorCode::kFailedPrecondition)
      << "only a dead delivery is discarded";
  EXPECT_EQ(discard(424242, "客户已结清").error().code, ErrorCode::kNotFound);
  auto discarded = discard(dead[1].id, "  客户已结清  ");
  ASSERT_TRUE(discarded);
  EXPECT_EQ(discarded->status, DeliveryStatus::kDiscarded);

  gateway_up = true;
  EXPECT_EQ(*dispatcher->DispatchOnce(), 1) << "the retried one, not the discarded one";
  EXPECT_EQ(Records(DeliveryStatus::kDone).size(), 1u);

  auto trail = audit_.List(*db_, {.entity_type = "outbox"});
  ASSERT_TRUE(trail);
  ASSERT_EQ(trail->size(), 2u);
  EXPECT_EQ((*trail)[0].action, "outbox.discarded");
  EXPECT_EQ((*trail)[0].detail, "客户已结清");
  EXPECT_EQ((*trail)[1].action, "outbox.retried");
}

TEST_P(OutboxTest, TwoNodesDispatchingTogetherDeliverEachRowExactlyOnce) {
  AppendEvents(600);
  std::mutex mu;
  std::multiset<std::string> delivered;
  auto consumer = [&](const Delivery& d) -> Status {
    std::lock_guard lock(mu);
    delivered.insert(d.idem_key);
    return Ok();
  };
  auto a = MakeDispatcher("a");
  auto b = MakeDispatcher("b");
  for (auto* d : {a.get(), b.get()}) {
    d->Register("sms", consumer);
    d->Register("webhook", consumer);
  }
  auto drain = [](Dispatcher& d) {
    for (;;) {
      auto n = d.DispatchOnce();
      if (!n || *n == 0) return;
    }
  };
  std::thread ta([&] { drain(*a); });
  std::thread tb([&] { drain(*b); });
  ta.join();
  tb.join();
  EXPECT_EQ(delivered.size(), 1200u);
  for (const auto& key : delivered) ASSERT_EQ(delivered.count(key), 1u) << key;
}

TEST_P(OutboxTest, DoneDeliveriesArePurgedAndTheirEventsKept) {
  AppendEvents(2);
  auto dispatcher = MakeDispatcher("a");
  dispatcher->Register("sms", [](const Delivery&) { return Ok(); });
  ASSERT_TRUE(dispatcher->DispatchOnce());
  clock_.Advance(seconds(60));
  auto purged = outbox_.PurgeDone(*db_, clock_.Now());
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(Records().size(), 2u) << "the webhook's pending deliveries stay";
  EXPECT_EQ(log_.List(*db_, {})->size(), 2u);
}

TEST(RetryPolicyTest, DoublesFromTheFirstDelayUpToTheMaximumWithinTheJitterBand) {
  const RetryPolicy p{.first_delay = seconds(2), .max_delay = seconds(60)};
  EXPECT_EQ(p.DelayAfter(1, 0.0), seconds(1));
  EXPECT_EQ(p.DelayAfter(1, 1.0), seconds(2));
  EXPECT_EQ(p.DelayAfter(3, 1.0), seconds(8));
  EXPECT_EQ(p.DelayAfter(10, 1.0), seconds(60));
  EXPECT_EQ(p.DelayAfter(1000, 0.0), seconds(30));
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::ValuesIn(storage::testing::AllBackends()),
                         [](const auto& info) {
                           return storage::testing::BackendName(info.param);
                         });

}  // namespace
}  // namespace oc::runtime
