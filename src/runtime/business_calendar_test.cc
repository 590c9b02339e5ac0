#include "runtime/business_calendar.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>
#include <thread>

#include "crypto/testing/test_keys.h"
#include "expr/expr.h"
#include "runtime/china_holidays.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

using namespace std::chrono_literals;
using std::chrono::minutes;
using storage::testing::Backend;

Date D(std::string_view iso) { return *Date::Parse(iso); }

Instant At(std::string_view rfc3339) {
  Instant out;
  EXPECT_TRUE(ParseInstant(rfc3339, &out)) << rfc3339;
  return out;
}

// The calendar "cn" as SeedShipped makes it, without a database.
CalendarView China() {
  std::vector<CalendarDay> days;
  for (const ShippedYear& shipped : ShippedChinaYears()) {
    days.insert(days.end(), shipped.days.begin(), shipped.days.end());
  }
  CalendarInfo info{.key = "cn",
                    .name = {"中国大陆", "Mainland China"},
                    .zone = TimeZone(),
                    .work_week = kMondayToFriday,
                    .working_hours = {{9h, 12h}, {13h + 30min, 17h + 30min}},
                    .version = 1,
                    .created_at = {},
                    .updated_at = {}};
  return CalendarView(std::move(info), std::move(days));
}

// ---- The view: pure counting, no database ----

TEST(BusinessCalendarViewTest, ListedDaysOverrideTheWorkWeek) {
  const CalendarView cn = China();
  EXPECT_TRUE(cn.IsWorkingDay(D("2026-09-30")));   // Wednesday
  EXPECT_FALSE(cn.IsWorkingDay(D("2026-10-01")));  // National Day, a Thursday
  EXPECT_FALSE(cn.IsWorkingDay(D("2026-10-03")));  // Saturday inside the holiday
  EXPECT_TRUE(cn.IsWorkingDay(D("2026-10-10")));   // make-up Saturday
  EXPECT_FALSE(cn.IsWorkingDay(D("2026-10-11")));  // an ordinary Sunday
  EXPECT_TRUE(cn.IsWorkingDay(D("2027-02-08")));   // a Monday of a year not shipped
  EXPECT_EQ(cn.NextWorkingDay(D("2026-09-30")), D("2026-10-08"));
  EXPECT_EQ(cn.NextWorkingDay(D("2026-02-13")), D("2026-02-14"));
  EXPECT_EQ(cn.NextWorkingDay(D("2026-10-09")), D("2026-10-10"));
}

TEST(BusinessCalendarViewTest, AddWorkingDaysCountsAsExcelsWorkday) {
  const CalendarView cn = China();
  EXPECT_EQ(cn.AddWorkingDays(D("2026-09-30"), 0), D("2026-09-30"));
  EXPECT_EQ(cn.AddWorkingDays(D("2026-10-03"), 0), D("2026-10-03"));
  EXPECT_EQ(cn.AddWorkingDays(D("2026-09-30"), 1), D("2026-10-08"));
  EXPECT_EQ(cn.AddWorkingDays(D("2026-09-30"), 3), D("2026-10-10"));
  EXPECT_EQ(cn.AddWorkingDays(D("2026-10-10"), -3), D("2026-09-30"));
  EXPECT_EQ(cn.AddWorkingDays(D("2026-10-05"), -1), D("2026-09-30"));
  EXPECT_EQ(cn.AddWorkingDays(D("2026-02-12"), 5), D("2026-02-26"));
  // Three working days before a due date on the Monday after the Spring Festival.
  EXPECT_EQ(cn.AddWorkingDays(D("2026-02-24"), -3), D("2026-02-12"));
  auto far = cn.AddWorkingDays(D("2026-01-01"), std::numeric_limits<int>::max());
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(far.error().field_violations.at(0).field, "days");
  auto before = cn.AddWorkingDays(*Date::FromYmd(1, 1, 1), -1);
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().field_violations.at(0).code, "out_of_range");
  // Far, but in range: the count is arithmetic, not a walk.
  auto later = cn.AddWorkingDays(D("2026-01-01"), 1'000'000);
  ASSERT_TRUE(later);
  EXPECT_EQ(cn.WorkingDaysBetween(D("2026-01-02"), *later), 1'000'000);
}

TEST(BusinessCalendarViewTest, WorkingDaysBetweenCountsBothEndsAsExcelsNetworkdays) {
  const CalendarView cn = China();
  EXPECT_EQ(cn.WorkingDaysBetween(D("2026-10-01"), D("2026-10-31")), 18);
  EXPECT_EQ(cn.WorkingDaysBetween(D("2026-09-20"), D("2026-10-10")), 11);
  EXPECT_EQ(cn.WorkingDaysBetween(D("2026-10-10"), D("2026-09-20")), -11);
  EXPECT_EQ(cn.WorkingDaysBetween(D("2026-10-03"), D("2026-10-03")), 0);
  EXPECT_EQ(cn.WorkingDaysBetween(D("2026-10-08"), D("2026-10-08")), 1);
  // The arithmetic agrees with walking day by day, over a span with every kind of day.
  int64_t walked = 0;
  for (Date d = D("2024-12-25"); d <= D("2027-01-10"); d = d.AddDays(1)) {
    if (cn.IsWorkingDay(d)) ++walked;
    ASSERT_EQ(cn.WorkingDaysBetween(D("2024-12-25"), d), walked) << d.ToString();
  }
}

TEST(BusinessCalendarViewTest, TheExpressionLanguageCountsWithTheSameCalendar) {
  const CalendarView cn = China();
  auto schema = expr::Schema::Create({{"due", expr::Type::Of(expr::TypeKind::kDate)}});
  ASSERT_TRUE(schema);
  expr::Record record(*schema);
  ASSERT_TRUE(record.Set("due", expr::Value::Date(D("2026-09-30"))));
  expr::EvalContext context;
  cn.ApplyTo(context);
  auto evaluate = [&](std::string_view source) {
    auto compiled = expr::Compile(source, *schema);
    if (!compiled) {
      ADD_FAILURE() << source << " does not compile";
      return expr::Value::Boolean(false);
    }
    auto value = expr::Evaluate(*compiled, record, context);
    if (!value) {
      ADD_FAILURE() << source << " fails";
      return expr::Value::Boolean(false);
    }
    return *value;
  };
  EXPECT_EQ(evaluate("WORKDAY(due, 3)").date(), D("2026-10-10"));
  EXPECT_EQ(evaluate("WORKDAY(due, 1)").date(), *cn.AddWorkingDays(D("2026-09-30"), 1));
  EXPECT_EQ(evaluate("NETWORKDAYS(due, DATE(2026, 10, 31))").integer(),
            cn.WorkingDaysBetween(D("2026-09-30"), D("2026-10-31")));
  EXPECT_FALSE(evaluate("ISWORKDAY(DATE(2026, 10, 2))").boolean());
  EXPECT_TRUE(evaluate("ISWORKDAY(DATE(2026, 10, 10))").boolean());
}

TEST(BusinessCalendarViewTest, AddWorkingTimeCountsOnlyWorkingHoursOfWorkingDays) {
  const CalendarView cn = China();
  auto plus = [&](std::string_view start, minutes duration) {
    auto end = cn.AddWorkingTime(At(start), duration);
    EXPECT_TRUE(end) << start;
    return end ? FormatInstant(*end) : std::string("error");
  };
  // Within one period, and a deadline that uses a period up ends with it, not after lunch.
  EXPECT_EQ(plus("2026-09-29T09:00:00+08:00", 60min), "2026-09-29T02:00:00.000000Z");
  EXPECT_EQ(plus("2026-09-29T09:00:00+08:00", 180min), "2026-09-29T04:00:00.000000Z");
  // Lunch is skipped: 11:00 + 4h → 12:00, then 13:30–16:30.
  EXPECT_EQ(plus("2026-09-29T11:00:00+08:00", 240min), "2026-09-29T08:30:00.000000Z");
  // Started at lunch or before the day begins: counting starts with the next period.
  EXPECT_EQ(plus("2026-09-29T12:30:00+08:00", 30min), "2026-09-29T06:00:00.000000Z");
  EXPECT_EQ(plus("2026-09-29T06:00:00+08:00", 30min), "2026-09-29T01:30:00.000000Z");
  // Due "within 4 working hours" at 16:00 on the eve of National Day: 1.5h that day, the rest on
  // 2026-10-08 (the next working day) from 09:00.
  EXPECT_EQ(plus("2026-09-30T16:00:00+08:00", 240min), "2026-10-08T03:30:00.000000Z");
  // After hours on a Friday: Monday.
  EXPECT_EQ(plus("2026-10-16T18:00:00+08:00", 30min), "2026-10-19T01:30:00.000000Z");
  // Several whole days: 7h a working day; 15h from Friday 09:00 is Tuesday 10:00.
  EXPECT_EQ(plus("2026-10-16T09:00:00+08:00", 15h), "2026-10-20T02:00:00.000000Z");
  // Sub-minute starts are kept.
  EXPECT_EQ(plus("2026-09-29T09:00:30+08:00", 1min), "2026-09-29T01:01:30.000000Z");
  EXPECT_EQ(plus("2026-10-03T10:00:00+08:00", 0min), "2026-10-03T02:00:00.000000Z");
  auto negative = cn.AddWorkingTime(At("2026-09-29T09:00:00+08:00"), -1min);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().field_violations.at(0).code, "negative");
  auto huge = cn.AddWorkingTime(At("2026-09-29T09:00:00+08:00"), minutes::max());
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().field_violations.at(0).code, "out_of_range");
}

TEST(BusinessCalendarViewTest, WorkingTimeBetweenIsTheInverseOfAddWorkingTime) {
  const CalendarView cn = China();
  EXPECT_EQ(cn.WorkingTimeBetween(At("2026-10-16T17:00:00+08:00"), At("2026-10-19T10:00:00+08:00")),
            90min);
  EXPECT_EQ(cn.WorkingTimeBetween(At("2026-10-19T10:00:00+08:00"), At("2026-10-16T17:00:00+08:00")),
            -90min);
  EXPECT_EQ(cn.WorkingTimeBetween(At("2026-10-01T09:00:00+08:00"), At("2026-10-07T18:00:00+08:00")),
            0min);
  EXPECT_EQ(cn.WorkingTimeBetween(At("2026-09-29T12:10:00+08:00"), At("2026-09-29T13:20:00+08:00")),
            0min);
  for (std::string_view start : {"2026-09-30T16:00:00+08:00", "2026-09-29T12:30:00+08:00",
                                 "2026-10-03T23:59:59+08:00", "2026-02-13T17:29:00+08:00"}) {
    for (minutes duration : {1min, 30min, 180min, 420min, 421min, 3000min, 100'000min}) {
      auto end = cn.AddWorkingTime(At(start), duration);
      ASSERT_TRUE(end);
      EXPECT_EQ(cn.WorkingTimeBetween(At(start), *end), duration)
          << start << " + " << duration.count() << "min";
    }
  }
}

TEST(BusinessCalendarViewTest, TheDayFilterSkipsHolidaysForTheScheduler) {
  const CalendarView cn = China();
  auto daily = CronSchedule::Parse("0 9 * * *", "schedule");
  ASSERT_TRUE(daily);
  CronSchedule::DayFilter filter = cn.DayFilter();
  auto next = daily->NextAfter(At("2026-09-30T10:00:00+08:00"), TimeZone(), filter);
  ASSERT_TRUE(next);
  EXPECT_EQ(FormatInstant(*next), "2026-10-08T01:00:00.000000Z");
  next = daily->NextAfter(At("2026-10-09T10:00:00+08:00"), TimeZone(), filter);
  ASSERT_TRUE(next);
  EXPECT_EQ(FormatInstant(*next), "2026-10-10T01:00:00.000000Z");  // the make-up Saturday
}

TEST(BusinessCalendarViewTest, WorkingHoursAreCheckedPeriodByPeriod) {
  auto codes = [](std::vector<WorkingPeriodText> periods) {
    auto parsed = ParseWorkingHours(periods, "working_hours");
    if (parsed) return std::string("ok");
    std::string out;
    for (const FieldViolation& v : parsed.error().field_violations) {
      out += (out.empty() ? "" : " ") + v.field + ":" + v.code;
    }
    return out;
  };
  EXPECT_EQ(codes({{"09:00", "12:00"}, {"12:00", "24:00"}}), "ok");
  EXPECT_EQ(codes({}), "working_hours:required");
  EXPECT_EQ(codes({{"9:00", "12:00"}}), "working_hours[0].start:invalid_time");
  EXPECT_EQ(codes({{"09:00", "24:30"}}), "working_hours[0].end:invalid_time");
  EXPECT_EQ(codes({{"24:00", "24:00"}}), "working_hours[0].start:invalid_time");
  EXPECT_EQ(codes({{"12:00", "09:00"}}), "working_hours[0].end:empty_period");
  EXPECT_EQ(codes({{"09:00", "12:00"}, {"11:00", "17:00"}}), "working_hours[1].start:overlapping");
  EXPECT_EQ(codes({{"13:30", "17:30"}, {"09:00", "12:00"}}), "working_hours[1].start:overlapping");
  std::vector<WorkingPeriodText> nine(9, {"09:00", "10:00"});
  EXPECT_EQ(codes(nine), "working_hours:too_many");
}

// ---- The service, on both backends ----

class BusinessCalendarServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    calendars_ = std::make_unique<BusinessCalendarService>(*db_, clock_, audit_, events_);
  }

  int64_t Count(const std::string& sql) {
    auto n = db_->ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row->Int(0);
    });
    return n ? *n : -1;
  }

  std::string FieldsOf(const Error& error) {
    std::string out;
    for (const FieldViolation& v : error.field_violations) {
      out += (out.empty() ? "" : " ") + v.field + ":" + v.code;
    }
    return out;
  }

  NewCalendar Branch() {
    return {.key = "sz_branch",
            .name_zh = "深圳分行",
            .name_en = "Shenzhen branch",
            .time_zone = "Asia/Shanghai",
            .work_week = kMondayToFriday,
            .working_hours = {{"08:30", "12:00"}, {"13:00", "17:00"}}};
  }

  FakeClock clock_{FromUnixMicros(1'790'000'000'000'000)};  // 2026-09-21T14:13:20Z
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, keys_};
  Subscriptions subscriptions_;
  EventLog events_{clock_, subscriptions_};
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<BusinessCalendarService> calendars_;
  audit::Actor admin_{.user_id = 1, .username = "admin", .request_id = "req-1"};
};

TEST_P(BusinessCalendarServiceTest, SeedShippedCreatesTheChinaCalendarWithEveryShippedYear) {
  ASSERT_TRUE(calendars_->SeedShipped());
  auto list = calendars_->List();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  const CalendarInfo& cn = list->front();
  EXPECT_EQ(cn.key, "cn");
  EXPECT_EQ(cn.name.zh_cn, "中国大陆");
  EXPECT_EQ(cn.name.en_us, "Mainland China");
  EXPECT_EQ(cn.zone.name(), "Asia/Shanghai");
  EXPECT_EQ(cn.work_week, kMondayToFriday);
  EXPECT_EQ(cn.working_hours, (std::vector<WorkingPeriod>{{9h, 12h}, {13h + 30min, 17h + 30min}}));
  EXPECT_EQ(cn.version, 3);  // created, then one version per year
  auto years = calendars_->ListYears("cn");
  ASSERT_TRUE(years);
  ASSERT_EQ(years->size(), 2u);
  EXPECT_EQ((*years)[0].year, 2025);
  EXPECT_EQ((*years)[1].year, 2026);
  EXPECT_EQ((*years)[1].source, CalendarYearSource::kShipped);
  for (int year : {2025, 2026}) {
    auto days = calendars_->ListDays("cn", year);
    ASSERT_TRUE(days);
    EXPECT_EQ(*days, ShippedChinaYear(year)->days);
  }
  auto view = calendars_->View("cn");
  ASSERT_TRUE(view);
  EXPECT_EQ(std::vector<int>((*view)->scheduled_years().begin(), (*view)->scheduled_years().end()),
            (std::vector<int>{2025, 2026}));
  EXPECT_TRUE((*view)->IsYearScheduled(2026));
  EXPECT_FALSE((*view)->IsYearScheduled(2027));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.created'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.year_imported'"), 2);
  auto events = events_.List(*db_, {.type = "calendar.changed"});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ(events->back().payload.at("calendar_key"), "cn");
  EXPECT_EQ(events->back().payload.at("version"), 3);
  EXPECT_EQ(events->back().payload.at("change"), "year_imported");
}

TEST_P(BusinessCalendarServiceTest, SeedShippedTwiceChangesNothingTheSecondTime) {
  ASSERT_TRUE(calendars_->SeedShipped());
  ASSERT_TRUE(calendars_->SeedShipped());
  EXPECT_EQ(Count("SELECT version FROM calendars WHERE calendar_key = 'cn'"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calendar_years"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events"), 3);
}

TEST_P(BusinessCalendarServiceTest, SeedShippedNeverOverwritesWhatAnAdministratorEntered) {
  NewCalendar cn = Branch();
  cn.key = "cn";
  ASSERT_TRUE(calendars_->Create(admin_, cn));
  // 2026 was imported by hand before this release shipped it; in 2025 two days were set by hand.
  ASSERT_TRUE(calendars_->ImportYear(admin_, "cn", 2026,
                                     {{D("2026-10-01"), CalendarDayKind::kHoliday, "国庆节"}}));
  ASSERT_TRUE(
      calendars_->SetDay(admin_, "cn", D("2025-10-08"), CalendarDayKind::kWorkday, "提前复工"));
  ASSERT_TRUE(
      calendars_->SetDay(admin_, "cn", D("2025-12-31"), CalendarDayKind::kHoliday, "公司年会"));
  ASSERT_TRUE(calendars_->SeedShipped());
  auto info = calendars_->List();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->front().name.zh_cn, "深圳分行");  // the calendar itself stays
  auto days2026 = calendars_->ListDays("cn", 2026);
  ASSERT_TRUE(days2026);
  EXPECT_EQ(days2026->size(), 1u);
  auto view = calendars_->View("cn");
  ASSERT_TRUE(view);
  EXPECT_TRUE((*view)->IsWorkingDay(D("2025-10-08")));
  EXPECT_FALSE((*view)->IsWorkingDay(D("2025-12-31")));
  EXPECT_FALSE((*view)->IsWorkingDay(D("2025-10-07")));  // shipped, filled in around them
  EXPECT_EQ((*view)->FindDay(D("2025-10-08"))->name, "提前复工");
  auto years = calendars_->ListYears("cn");
  ASSERT_TRUE(years);
  ASSERT_EQ(years->size(), 2u);
  EXPECT_EQ((*years)[0].source, CalendarYearSource::kShipped);
  EXPECT_EQ((*years)[1].source, CalendarYearSource::kImported);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.created'"), 1);
}

TEST_P(BusinessCalendarServiceTest, NodesSeedingAtOnceSeedOnce) {
  BusinessCalendarService other(*db_, clock_, audit_, events_);
  std::vector<Status> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = (i % 2 == 0 ? *calendars_ : other).SeedShipped(); });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s) << s.error().internal_detail;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calendars"), 1);
  EXPECT_EQ(Count("SELECT version FROM calendars"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calendar_years"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events"), 3);
}

TEST_P(BusinessCalendarServiceTest, TheViewIsSharedUntilAnyNodeChangesTheCalendar) {
  ASSERT_TRUE(calendars_->SeedShipped());
  auto first = calendars_->View("cn");
  auto again = calendars_->View("cn");
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->get(), again->get());
  EXPECT_TRUE((*first)->IsWorkingDay(D("2026-10-09")));
  // Another node (a second service on the same database) makes 2026-10-09 a holiday.
  BusinessCalendarService other(*db_, clock_, audit_, events_);
  ASSERT_TRUE(other.SetDay(admin_, "cn", D("2026-10-09"), CalendarDayKind::kHoliday, "临时休市"));
  auto after = calendars_->View("cn");
  ASSERT_TRUE(after);
  EXPECT_NE(after->get(), first->get());
  EXPECT_EQ((*after)->version(), (*first)->version() + 1);
  EXPECT_FALSE((*after)->IsWorkingDay(D("2026-10-09")));
  EXPECT_TRUE((*first)->IsWorkingDay(D("2026-10-09")));  // a snapshot never changes
  auto missing = calendars_->View("mars");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(BusinessCalendarServiceTest, AFollowingDayFilterSeesChangesMadeOnThisNode) {
  ASSERT_TRUE(calendars_->SeedShipped());
  auto filter = calendars_->FollowingDayFilter("cn");
  ASSERT_TRUE(filter);
  EXPECT_TRUE((*filter)(D("2026-10-09")));
  ASSERT_TRUE(
      calendars_->SetDay(admin_, "cn", D("2026-10-09"), CalendarDayKind::kHoliday, "临时休市"));
  EXPECT_FALSE((*filter)(D("2026-10-09")));
  EXPECT_FALSE(calendars_->FollowingDayFilter("mars"));
}

TEST_P(BusinessCalendarServiceTest, CreateStoresTheCalendarWithItsAuditEntryAndEvent) {
  auto created = calendars_->Create(admin_, Branch());
  ASSERT_TRUE(created) << FieldsOf(created.error());
  EXPECT_EQ(created->key, "sz_branch");
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->working_hours, (std::vector<WorkingPeriod>{{8h + 30min, 12h}, {13h, 17h}}));
  EXPECT_EQ(created->created_at, clock_.Now());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.created' AND "
                  "entity_id = 'sz_branch'"),
            1);
  auto events = events_.List(*db_, {.type = "calendar.changed"});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().stream_id, "sz_branch");
  EXPECT_EQ(events->front().payload.at("version"), 1);
  auto view = calendars_->View("sz_branch");
  ASSERT_TRUE(view);
  EXPECT_TRUE((*view)->IsWorkingDay(D("2026-10-01")));  // no holidays listed yet
  // A calendar that imports no years is a plain work week: every year counts as scheduled.
  EXPECT_TRUE((*view)->IsYearScheduled(2027));
  auto again = calendars_->Create(admin_, Branch());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(BusinessCalendarServiceTest, CreateNamesEveryBadField) {
  NewCalendar bad{.key = "SZ-Branch",
                  .name_zh = " ",
                  .name_en = std::string(61, 'x'),
                  .time_zone = "Mars/Olympus",
                  .work_week = 0,
                  .working_hours = {{"09:00", "08:00"}}};
  auto created = calendars_->Create(admin_, bad);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(created.error()),
            "key:invalid_key name_zh:required name_en:too_long time_zone:unknown_time_zone "
            "work_week:no_working_day working_hours[0].end:empty_period");
  bad = Branch();
  bad.key = "x";
  bad.work_week = 128;
  bad.name_zh = "深圳\x1b分行";
  EXPECT_EQ(FieldsOf(calendars_->Create(admin_, bad).error()),
            "key:invalid_key name_zh:control_character work_week:out_of_range");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calendars"), 0);
}

TEST_P(BusinessCalendarServiceTest, UpdateChangesWhatItHoldsAtTheExpectedVersion) {
  ASSERT_TRUE(calendars_->Create(admin_, Branch()));
  CalendarChanges changes{.name_en = "Shenzhen Branch",
                          .work_week = 0b0111111,  // Monday to Saturday
                          .working_hours = std::vector<WorkingPeriodText>{{"09:00", "17:00"}}};
  auto updated = calendars_->Update(admin_, "sz_branch", changes, 1);
  ASSERT_TRUE(updated) << FieldsOf(updated.error());
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->name.zh_cn, "深圳分行");
  EXPECT_EQ(updated->name.en_us, "Shenzhen Branch");
  EXPECT_EQ(updated->work_week, 0b0111111);
  auto view = calendars_->View("sz_branch");
  ASSERT_TRUE(view);
  EXPECT_TRUE((*view)->IsWorkingDay(D("2026-10-17")));  // a Saturday
  EXPECT_EQ(
      (*view)->WorkingTimeBetween(At("2026-10-17T00:00:00+08:00"), At("2026-10-18T00:00:00+08:00")),
      8h);
  // Stale, unknown, invalid.
  auto stale = calendars_->Update(admin_, "sz_branch", changes, 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kAborted);
  auto missing = calendars_->Update(admin_, "mars", changes, 1);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto invalid = calendars_->Update(admin_, "sz_branch", {.time_zone = "Europe/Berlin"}, 2);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(FieldsOf(invalid.error()), "time_zone:unknown_time_zone");
  // The same values again are no change: no new version, audit entry or event.
  auto same = calendars_->Update(admin_, "sz_branch", changes, 2);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->version, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.updated'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events"), 2);
}

TEST_P(BusinessCalendarServiceTest, SetDayAndRemoveDayAreAuditedAndVersioned) {
  ASSERT_TRUE(calendars_->SeedShipped());
  auto set = calendars_->SetDay(admin_, "cn", D("2026-10-08"), CalendarDayKind::kHoliday, "调休");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->name, "调休");
  // Replacing a listed day keeps one row for it.
  ASSERT_TRUE(
      calendars_->SetDay(admin_, "cn", D("2026-10-07"), CalendarDayKind::kWorkday, "提前复工"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calendar_days WHERE day = '2026-10-07'"), 1);
  auto view = calendars_->View("cn");
  ASSERT_TRUE(view);
  EXPECT_EQ((*view)->version(), 5);
  EXPECT_FALSE((*view)->IsWorkingDay(D("2026-10-08")));
  EXPECT_TRUE((*view)->IsWorkingDay(D("2026-10-07")));
  ASSERT_TRUE(calendars_->RemoveDay(admin_, "cn", D("2026-10-08")));
  view = calendars_->View("cn");
  ASSERT_TRUE(view);
  EXPECT_EQ((*view)->FindDay(D("2026-10-08")), nullptr);
  EXPECT_TRUE((*view)->IsWorkingDay(D("2026-10-08")));
  auto unlisted = calendars_->RemoveDay(admin_, "cn", D("2026-10-08"));
  ASSERT_FALSE(unlisted);
  EXPECT_EQ(unlisted.error().code, ErrorCode::kNotFound);
  auto no_calendar =
      calendars_->SetDay(admin_, "mars", D("2026-10-08"), CalendarDayKind::kHoliday, "休息");
  ASSERT_FALSE(no_calendar);
  EXPECT_EQ(no_calendar.error().code, ErrorCode::kNotFound);
  auto long_name = calendars_->SetDay(admin_, "cn", D("2026-10-08"), CalendarDayKind::kHoliday,
                                      std::string(41 * 3, 'n'));
  ASSERT_FALSE(long_name);
  EXPECT_EQ(FieldsOf(long_name.error()), "name:too_long");
  auto far = calendars_->SetDay(admin_, "cn", *Date::FromYmd(3000, 1, 1), CalendarDayKind::kHoliday,
                                "未来");
  ASSERT_FALSE(far);
  EXPECT_EQ(FieldsOf(far.error()), "day:out_of_range");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.day_set'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.day_removed'"), 1);
  auto entries = audit_.List(*db_, {.action = "calendar.day_set"});
  ASSERT_TRUE(entries);
  // The replaced listing is in the trail: the shipped 2026-10-07 was a holiday.
  EXPECT_NE(entries->front().changes_json.find("holiday 国庆节"), std::string::npos)
      << entries->front().changes_json;
  auto events = events_.List(*db_, {.type = "calendar.changed"});
  ASSERT_TRUE(events);
  EXPECT_EQ(events->back().payload.at("change"), "day_removed");
  EXPECT_EQ(events->back().payload.at("version"), 6);
}

TEST_P(BusinessCalendarServiceTest, ImportYearReplacesThatYearOnly) {
  ASSERT_TRUE(calendars_->SeedShipped());
  std::vector<CalendarDay> days = {{D("2026-01-01"), CalendarDayKind::kHoliday, "元旦"},
                                   {D("2026-12-31"), CalendarDayKind::kHoliday, "年终结算"}};
  auto imported = calendars_->ImportYear(admin_, "cn", 2026, days);
  ASSERT_TRUE(imported);
  EXPECT_EQ(imported->source, CalendarYearSource::kImported);
  auto listed = calendars_->ListDays("cn", 2026);
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, days);
  auto untouched = calendars_->ListDays("cn", 2025);
  ASSERT_TRUE(untouched);
  EXPECT_EQ(*untouched, ShippedChinaYear(2025)->days);
  auto years = calendars_->ListYears("cn");
  ASSERT_TRUE(years);
  EXPECT_EQ(years->back().source, CalendarYearSource::kImported);
  // A year may be emptied: the work week alone decides it, and the year counts as scheduled.
  ASSERT_TRUE(calendars_->ImportYear(admin_, "cn", 2026, {}));
  EXPECT_TRUE(calendars_->ListDays("cn", 2026)->empty());
  ASSERT_TRUE(calendars_->ImportYear(admin_, "cn", 2027, {}));
  auto view = calendars_->View("cn");
  ASSERT_TRUE(view);
  EXPECT_TRUE((*view)->IsYearScheduled(2027));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'calendar.year_imported'"), 5);
}

TEST_P(BusinessCalendarServiceTest, ImportYearNamesEveryBadDay) {
  ASSERT_TRUE(calendars_->SeedShipped());
  std::vector<CalendarDay> days = {
      {D("2026-01-01"), CalendarDayKind::kHoliday, "元旦"},
      {D("2027-01-01"), CalendarDayKind::kHoliday, "元旦"},
      {D("2026-01-01"), CalendarDayKind::kHoliday, "元旦"},
      {D("2026-05-01"), CalendarDayKind::kHoliday, ""},
      {D("2026-05-02"), CalendarDayKind::kHoliday, std::string(41 * 3, 'n')}};
  auto imported = calendars_->ImportYear(admin_, "cn", 2026, days);
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(imported.error()),
            "days[1].day:wrong_year days[2].day:duplicate days[3].name:required "
            "days[4].name:too_long");
  EXPECT_EQ(FieldsOf(calendars_->ImportYear(admin_, "cn", 1899, {}).error()), "year:out_of_range");
  EXPECT_EQ(calendars_->ImportYear(admin_, "mars", 2026, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(calendars_->ListDays("cn", 2026)->size(), ShippedChinaYear(2026)->days.size());
}

TEST_P(BusinessCalendarServiceTest, AChangeRolledBackWithTheCallersUnitLeavesNoTrace) {
  ASSERT_TRUE(calendars_->SeedShipped());
  const int64_t events = Count("SELECT COUNT(*) FROM domain_events");
  const int64_t entries = Count("SELECT COUNT(*) FROM audit_events");
  auto result = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
    auto set = calendars_->SetDay(unit, admin_, "cn", D("2026-10-09"), CalendarDayKind::kHoliday,
                                  "临时休市");
    if (!set) return set.error();
    // The unit sees its own change.
    auto seen = calendars_->View(unit.tx(), "cn");
    if (!seen) return seen.error();
    EXPECT_FALSE((*seen)->IsWorkingDay(D("2026-10-09")));
    return MakeError(ErrorCode::kAborted, {"审批失败", "The approval failed"});
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calendar_days WHERE day = '2026-10-09'"), 0);
  EXPECT_EQ(Count("SELECT version FROM calendars WHERE calendar_key = 'cn'"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events"), events);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events"), entries);
  // Nothing of the rolled-back version lingers in the cache, also once another change takes its
  // version number.
  auto view = calendars_->View("cn");
  ASSERT_TRUE(view);
  EXPECT_TRUE((*view)->IsWorkingDay(D("2026-10-09")));
  BusinessCalendarService other(*db_, clock_, audit_, events_);
  ASSERT_TRUE(other.SetDay(admin_, "cn", D("2026-10-12"), CalendarDayKind::kHoliday, "临时休市"));
  view = calendars_->View("cn");
  ASSERT_TRUE(view);
  EXPECT_EQ((*view)->version(), 4);
  EXPECT_TRUE((*view)->IsWorkingDay(D("2026-10-09")));
  EXPECT_FALSE((*view)->IsWorkingDay(D("2026-10-12")));
}

INSTANTIATE_TEST_SUITE_P(BusinessCalendar, BusinessCalendarServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::runtime
