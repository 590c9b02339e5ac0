#include "runtime/event_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

namespace json = boost::json;
using storage::testing::Backend;

class EventLogTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    subscriptions_.Subscribe("watch_list", "customer.updated");
    subscriptions_.Subscribe("search_index", "customer.");
    subscriptions_.Subscribe("archive", "*");
  }

  int64_t Count(std::string_view sql) {
    auto n = db_->ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row->Int(0);
    });
    return n ? *n : -1;
  }

  FakeClock clock_{FromUnixMicros(1'700'000'000'000'000)};
  Subscriptions subscriptions_;
  EventLog log_{clock_, subscriptions_};
  audit::Actor actor_{.user_id = 7, .username = "zhang", .request_id = "req-1"};
  std::unique_ptr<storage::Db> db_;
};

NewEvent Updated(std::string id) {
  return {.stream_type = "customer",
          .stream_id = std::move(id),
          .type = "customer.updated",
          .payload = {{"changes", json::array{RecordChange("risk_level", "low", "high"),
                                              SensitiveChange("phone")}}}};
}

TEST_P(EventLogTest, AnEventCommitsWithItsChangeAndFansOutToItsConsumers) {
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("CREATE TABLE t (x INTEGER)"));
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t VALUES (1)"));
    RETURN_IF_ERROR(log_.Append(tx, actor_, Updated("12")));
    return Ok();
  }));
  auto events = log_.List(*db_, {});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  const StoredEvent& e = events->front();
  EXPECT_EQ(e.type, "customer.updated");
  EXPECT_EQ(e.stream_id, "12");
  EXPECT_EQ(e.actor_user_id, 7);
  EXPECT_EQ(e.actor_name, "zhang");
  EXPECT_EQ(e.correlation_id, "req-1");
  EXPECT_EQ(e.at, clock_.Now());
  EXPECT_EQ(json::serialize(e.payload),
            R"({"changes":[{"field":"risk_level","old":"low","new":"high"},)"
            R"({"field":"phone","sensitive":true}]})");
  // "customer." is no prefix subscription: consumers name exact types or "*".
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE idem_key = 'watch_list:" +
                  std::to_string(e.seq) + "'"),
            1);
}

TEST_P(EventLogTest, AnEventRollsBackWithItsChange) {
  auto status = db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(log_.Append(tx, actor_, Updated("12")));
    return MakeError(ErrorCode::kInvalidArgument, {"失败", "the change failed"});
  });
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);
}

TEST_P(EventLogTest, ACausedEventKeepsTheCorrelationOfItsCause) {
  auto first = db_->WriteValue<int64_t>(
      [&](storage::Tx& tx) { return log_.Append(tx, actor_, Updated("12")); });
  ASSERT_TRUE(first);
  NewEvent caused{.stream_type = "watch_list",
                  .stream_id = "12",
                  .type = "watch_list.added",
                  .causation_seq = *first};
  audit::Actor rule_engine{.username = "rule-engine", .request_id = "job-9"};
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(log_.Append(tx, rule_engine, caused));
    return Ok();
  }));
  auto events = log_.List(*db_, {.type = "watch_list."});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().causation_seq, *first);
  EXPECT_EQ(events->front().correlation_id, "req-1");
  EXPECT_FALSE(events->front().actor_user_id);
}

TEST_P(EventLogTest, ListsByStreamAndTypeAfterASeq) {
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    std::vector<NewEvent> events{Updated("1"), Updated("2"), Updated("1")};
    events[2].type = "customer.reassigned";
    return log_.AppendAll(tx, actor_, events);
  }));
  auto of_one = log_.List(*db_, {.stream_type = "customer", .stream_id = "1"});
  ASSERT_TRUE(of_one);
  ASSERT_EQ(of_one->size(), 2u);
  EXPECT_LT((*of_one)[0].seq, (*of_one)[1].seq);
  auto later = log_.List(*db_, {.after_seq = (*of_one)[0].seq, .type = "customer.updated"});
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->front().stream_id, "2");
  EXPECT_EQ(log_.List(*db_, {.limit = 0}).error().field_violations.at(0).field, "limit");
}

TEST_P(EventLogTest, RefusesAnEventWithoutAType) {
  auto status = db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(log_.Append(tx, actor_, {.stream_type = "customer", .stream_id = "1"}));
    return Ok();
  });
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventLogTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         [](const auto& info) {
                           return storage::testing::BackendName(info.param);
                         });

}  // namespace
}  // namespace oc::runtime
