#include "runtime/business_date.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "crypto/testing/test_keys.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

using namespace std::chrono_literals;
using storage::testing::Backend;

Date D(std::string_view iso) { return *Date::Parse(iso); }

class BusinessDateServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    calendars_ = std::make_unique<BusinessCalendarService>(*db_, clock_, audit_, events_);
    ASSERT_TRUE(calendars_->SeedShipped());
    dates_ = MakeNode();
  }

  // A service as another node has it: its own calendar cache, the same database.
  std::unique_ptr<BusinessDateService> MakeNode(std::string calendar_key = "cn") {
    return std::make_unique<BusinessDateService>(*db_, clock_, audit_, events_, *calendars_,
                                                 std::move(calendar_key), TimeZone());
  }

  int64_t Count(const std::string& sql) {
    auto n = db_->ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row->Int(0);
    });
    return n ? *n : -1;
  }

  int64_t Moves() { return Count("SELECT COUNT(*) FROM business_date_history"); }
  int64_t MoveEvents() {
    return Count("SELECT COUNT(*) FROM domain_events WHERE type = 'business_date.advanced'");
  }
  int64_t MoveEntries() {
    return Count("SELECT COUNT(*) FROM audit_events WHERE action = 'business_date.advanced'");
  }

  // 2026-09-30 02:00 in Shanghai, still 2026-09-29 in UTC.
  FakeClock clock_{FromUnixMicros(1'790'704'800'000'000)};
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, keys_};
  Subscriptions subscriptions_;
  EventLog events_{clock_, subscriptions_};
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<BusinessCalendarService> calendars_;
  std::unique_ptr<BusinessDateService> dates_;
  audit::Actor admin_{.user_id = 1, .username = "admin", .request_id = "req-1"};
  audit::Actor job_{.username = "system", .request_id = "job:business_date.close"};
};

TEST_P(BusinessDateServiceTest, TheFirstUseStartsOnTodayInTheBusinessZone) {
  ASSERT_EQ(FormatInstant(clock_.Now()), "2026-09-29T18:00:00.000000Z");
  auto current = dates_->Current();
  ASSERT_TRUE(current) << current.error().internal_detail;
  EXPECT_EQ(*current, D("2026-09-30"));
  // It is the ledger's date from then on, whatever the clock says.
  clock_.Advance(72h);
  EXPECT_EQ(dates_->Current(), D("2026-09-30"));
  EXPECT_EQ(MakeNode()->Current(), D("2026-09-30"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM business_date"), 1);
  // Starting is not a move.
  EXPECT_EQ(Moves(), 0);
  EXPECT_EQ(MoveEvents(), 0);
  EXPECT_EQ(MoveEntries(), 0);
}

TEST_P(BusinessDateServiceTest, AFirstUseOnADayOffOpensOnTheNextWorkingDay) {
  clock_.Advance(48h);  // 2026-10-02 02:00 in Shanghai, in the National Day holiday
  EXPECT_EQ(dates_->Current(), D("2026-10-08"));
}

TEST_P(BusinessDateServiceTest, ClosingTheEveOfNationalDayOpensTheNextWorkingDay) {
  auto closed = dates_->CloseBusinessDay(job_, D("2026-09-30"));
  ASSERT_TRUE(closed) << closed.error().message.en_us;
  EXPECT_TRUE(closed->advanced);
  EXPECT_EQ(closed->from, D("2026-09-30"));
  EXPECT_EQ(closed->to, D("2026-10-08"));  // a Thursday: 10-01 to 10-07 are the holiday
  EXPECT_EQ(closed->how, BusinessDateHow::kClose);
  EXPECT_EQ(dates_->Current(), D("2026-10-08"));
  auto events = events_.List(*db_, {.type = "business_date.advanced"});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().payload,
            (boost::json::object{{"from", "2026-09-30"}, {"to", "2026-10-08"}, {"how", "close"}}));
  EXPECT_EQ(events->front().correlation_id, "job:business_date.close");
  EXPECT_EQ(MoveEntries(), 1);
  auto history = dates_->History(10);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().from, D("2026-09-30"));
  EXPECT_EQ(history->front().to, D("2026-10-08"));
  EXPECT_EQ(history->front().how, BusinessDateHow::kClose);
  EXPECT_EQ(history->front().actor, "system");
  EXPECT_EQ(history->front().at, clock_.Now());
  // The Friday after is followed by the make-up Saturday.
  ASSERT_TRUE(dates_->CloseBusinessDay(job_, D("2026-10-08")));
  auto friday = dates_->CloseBusinessDay(job_, D("2026-10-09"));
  ASSERT_TRUE(friday);
  EXPECT_EQ(friday->to, D("2026-10-10"));
}

TEST_P(BusinessDateServiceTest, ClosingADayTwiceAdvancesOnce) {
  auto first = dates_->CloseBusinessDay(job_, D("2026-09-30"));
  auto second = dates_->CloseBusinessDay(job_, D("2026-09-30"));
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->advanced);
  EXPECT_FALSE(second->advanced);
  EXPECT_EQ(second->from, D("2026-10-08"));
  EXPECT_EQ(second->to, D("2026-10-08"));
  EXPECT_NE(second->summary.en_us.find("2026-09-30 was closed already"), std::string::npos)
      << second->summary.en_us;
  EXPECT_NE(second->summary.zh_cn.find("已日终"), std::string::npos);
  EXPECT_EQ(dates_->Current(), D("2026-10-08"));
  EXPECT_EQ(Moves(), 1);
  EXPECT_EQ(MoveEvents(), 1);
  EXPECT_EQ(MoveEntries(), 1);
}

TEST_P(BusinessDateServiceTest, ADayNotReachedCannotBeClosed) {
  auto early = dates_->CloseBusinessDay(job_, D("2026-10-08"));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(early.error().message.en_us.find("2026-10-08"), std::string::npos);
  EXPECT_NE(early.error().message.en_us.find("2026-09-30"), std::string::npos);
  EXPECT_EQ(dates_->Current(), D("2026-09-30"));
  EXPECT_EQ(Moves(), 0);
}

TEST_P(BusinessDateServiceTest, NodesClosingAtOnceAdvanceOnce) {
  ASSERT_TRUE(dates_->Current());
  auto other = MakeNode();
  std::atomic<int> advanced = 0;
  std::atomic<int> failed = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto closed = (i % 2 == 0 ? *dates_ : *other).CloseBusinessDay(job_, D("2026-09-30"));
      if (!closed) {
        ++failed;
      } else if (closed->advanced) {
        ++advanced;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(advanced, 1);
  EXPECT_EQ(dates_->Current(), D("2026-10-08"));
  EXPECT_EQ(Count("SELECT version FROM business_date"), 2);
  EXPECT_EQ(Moves(), 1);
  EXPECT_EQ(MoveEvents(), 1);
  EXPECT_EQ(MoveEntries(), 1);
}

TEST_P(BusinessDateServiceTest, AnAdministratorMovesForwardOnlyAndOnlyToWorkingDays) {
  for (Date to : {D("2026-09-30"), D("2026-09-29")}) {
    auto refused = dates_->Advance(admin_, to);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_NE(refused.error().message.zh_cn.find("2026-09-30"), std::string::npos);
    EXPECT_NE(refused.error().message.en_us.find(to.ToString()), std::string::npos);
  }
  auto holiday = dates_->Advance(admin_, D("2026-10-03"));
  ASSERT_FALSE(holiday);
  EXPECT_EQ(holiday.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(holiday.error().field_violations.size(), 1u);
  EXPECT_EQ(holiday.error().field_violations[0].field, "to");
  EXPECT_EQ(holiday.error().field_violations[0].code, "not_working_day");
  EXPECT_NE(holiday.error().field_violations[0].message.en_us.find("2026-10-08"),
            std::string::npos);
  // Without a date: the next working day.
  auto next = dates_->Advance(admin_, std::nullopt);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->to, D("2026-10-08"));
  EXPECT_EQ(next->how, BusinessDateHow::kManual);
  // Several days at once, to a working day.
  auto jump = dates_->Advance(admin_, D("2026-10-12"));
  ASSERT_TRUE(jump);
  EXPECT_EQ(jump->from, D("2026-10-08"));
  EXPECT_EQ(dates_->Current(), D("2026-10-12"));
  // A day made a working day in the calendar can be opened.
  ASSERT_TRUE(
      calendars_->SetDay(admin_, "cn", D("2026-10-17"), CalendarDayKind::kWorkday, "临时营业"));
  auto saturday = dates_->Advance(admin_, D("2026-10-17"));
  ASSERT_TRUE(saturday) << saturday.error().message.en_us;
  auto history = dates_->History(10);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(history->front().to, D("2026-10-17"));  // newest first
  EXPECT_EQ(history->front().how, BusinessDateHow::kManual);
  EXPECT_EQ(history->front().actor, "admin");
  EXPECT_EQ(history->front().actor_user_id, 1);
  EXPECT_EQ(MoveEvents(), 3);
  EXPECT_EQ(MoveEntries(), 3);
}

TEST_P(BusinessDateServiceTest, TheYearEndCloseWaitsForNextYearsHolidays) {
  ASSERT_TRUE(dates_->Advance(admin_, D("2026-12-31")));
  auto closed = dates_->CloseBusinessDay(job_, D("2026-12-31"));
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(closed.error().message.en_us.find("no holiday schedule for 2027"), std::string::npos)
      << closed.error().message.en_us;
  auto manual = dates_->Advance(admin_, D("2027-01-04"));
  ASSERT_FALSE(manual);
  EXPECT_EQ(manual.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(dates_->Current(), D("2026-12-31"));
  // Once the administrator imports 2027, the retried close skips 元旦 and the weekend after it.
  ASSERT_TRUE(calendars_->ImportYear(admin_, "cn", 2027,
                                     {{D("2027-01-01"), CalendarDayKind::kHoliday, "元旦"}}));
  auto retried = dates_->CloseBusinessDay(job_, D("2026-12-31"));
  ASSERT_TRUE(retried) << retried.error().message.en_us;
  EXPECT_EQ(retried->to, D("2027-01-04"));
}

TEST_P(BusinessDateServiceTest, AMoveRolledBackWithTheCallersUnitLeavesNoTrace) {
  ASSERT_TRUE(dates_->Current());
  for (bool close : {true, false}) {
    auto result = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
      auto moved = close ? dates_->CloseBusinessDay(unit, job_, D("2026-09-30"))
                         : dates_->Advance(unit, admin_, std::nullopt);
      if (!moved) return moved.error();
      EXPECT_TRUE(moved->advanced);
      return MakeError(ErrorCode::kAborted, {"日终批处理失败", "The close-of-business run failed"});
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kAborted);
    EXPECT_EQ(dates_->Current(), D("2026-09-30"));
    EXPECT_EQ(Count("SELECT version FROM business_date"), 1);
    EXPECT_EQ(Moves(), 0);
    EXPECT_EQ(MoveEvents(), 0);
    EXPECT_EQ(MoveEntries(), 0);
  }
}

TEST_P(BusinessDateServiceTest, WithoutItsCalendarTheDateCannotMove) {
  auto lost = MakeNode("mars");
  auto closed = lost->CloseBusinessDay(job_, D("2026-09-30"));
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, ErrorCode::kNotFound);
  auto advanced = lost->Advance(admin_, std::nullopt);
  ASSERT_FALSE(advanced);
  EXPECT_EQ(advanced.error().code, ErrorCode::kNotFound);
}

TEST_P(BusinessDateServiceTest, HistoryRefusesALimitOutOfRange) {
  for (int limit : {0, 501}) {
    auto history = dates_->History(limit);
    ASSERT_FALSE(history);
    EXPECT_EQ(history.error().field_violations.at(0).field, "limit");
  }
}

INSTANTIATE_TEST_SUITE_P(BusinessDate, BusinessDateServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::runtime
