#include "runtime/china_holidays.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/text_normalize.h"
#include "runtime/business_calendar.h"

namespace oc::runtime {
namespace {

Date D(std::string_view iso) { return *Date::Parse(iso); }

// The notices as they read, written out again here on their own so that a slip in the shipped
// table shows as a difference: each holiday's first and last day off, and the make-up working
// days (调休上班).
struct NoticeHoliday {
  std::string_view first;
  std::string_view last;
  std::string_view name;
  int days;  // "共 N 天"
};
struct Notice {
  int year;
  std::vector<NoticeHoliday> holidays;
  std::vector<std::string_view> workdays;
  int working_days;  // the year's working days, as the press counted them
};

const std::vector<Notice>& Notices() {
  static const auto* notices = new std::vector<Notice>{
      {2025,
       {{"2025-01-01", "2025-01-01", "元旦", 1},
        {"2025-01-28", "2025-02-04", "春节", 8},
        {"2025-04-04", "2025-04-06", "清明节", 3},
        {"2025-05-01", "2025-05-05", "劳动节", 5},
        {"2025-05-31", "2025-06-02", "端午节", 3},
        {"2025-10-01", "2025-10-08", "国庆节、中秋节", 8}},
       {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
       248},
      {2026,
       {{"2026-01-01", "2026-01-03", "元旦", 3},
        {"2026-02-15", "2026-02-23", "春节", 9},
        {"2026-04-04", "2026-04-06", "清明节", 3},
        {"2026-05-01", "2026-05-05", "劳动节", 5},
        {"2026-06-19", "2026-06-21", "端午节", 3},
        {"2026-09-25", "2026-09-27", "中秋节", 3},
        {"2026-10-01", "2026-10-07", "国庆节", 7}},
       {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
       248},
  };
  return *notices;
}

CalendarView ChinaView(const ShippedYear& shipped) {
  CalendarInfo info{
      .key = "cn",
      .name = {"中国大陆", "Mainland China"},
      .zone = TimeZone(),
      .work_week = kMondayToFriday,
      .working_hours = {{std::chrono::minutes(9 * 60), std::chrono::minutes(17 * 60)}},
      .version = 1,
      .created_at = {},
      .updated_at = {}};
  return CalendarView(std::move(info), shipped.days);
}

TEST(ChinaHolidaysTest, ShipsTheNoticesOf2025And2026) {
  std::vector<int> years;
  for (const ShippedYear& shipped : ShippedChinaYears()) years.push_back(shipped.year);
  EXPECT_EQ(years, (std::vector<int>{2025, 2026}));
  EXPECT_EQ(ShippedChinaYear(2025)->notice, "国办发明电〔2024〕12号");
  EXPECT_EQ(ShippedChinaYear(2026)->notice, "国办发明电〔2025〕7号");
  EXPECT_FALSE(ShippedChinaYear(2024));
  EXPECT_FALSE(ShippedChinaYear(2027));
}

TEST(ChinaHolidaysTest, EveryDayOfEachShippedYearIsWhatTheNoticeSays) {
  for (const Notice& notice : Notices()) {
    SCOPED_TRACE(notice.year);
    auto shipped = ShippedChinaYear(notice.year);
    ASSERT_TRUE(shipped);
    std::map<Date, std::string_view> off;
    for (const NoticeHoliday& h : notice.holidays) {
      int days = 0;
      for (Date d = D(h.first); d <= D(h.last); d = d.AddDays(1), ++days) off[d] = h.name;
      EXPECT_EQ(days, h.days) << h.name;
    }
    std::set<Date> worked;
    for (std::string_view w : notice.workdays) {
      worked.insert(D(w));
      // A make-up working day is always a weekend day.
      EXPECT_GE(IsoWeekdayIndex(D(w)), 5) << w;
    }
    const CalendarView view = ChinaView(*shipped);
    int working_days = 0;
    for (Date d = *Date::FromYmd(notice.year, 1, 1); d.year() == notice.year; d = d.AddDays(1)) {
      const bool weekday = IsoWeekdayIndex(d) < 5;
      const bool expected = worked.contains(d) || (weekday && !off.contains(d));
      EXPECT_EQ(view.IsWorkingDay(d), expected) << d.ToString();
      if (expected) ++working_days;
      const CalendarDay* listed = view.FindDay(d);
      if (off.contains(d)) {
        ASSERT_NE(listed, nullptr) << d.ToString();
        EXPECT_EQ(listed->kind, CalendarDayKind::kHoliday) << d.ToString();
        EXPECT_EQ(listed->name, off[d]) << d.ToString();
      } else if (worked.contains(d)) {
        ASSERT_NE(listed, nullptr) << d.ToString();
        EXPECT_EQ(listed->kind, CalendarDayKind::kWorkday) << d.ToString();
        EXPECT_NE(listed->name.find("调休"), std::string::npos) << d.ToString();
      } else {
        EXPECT_EQ(listed, nullptr) << d.ToString() << " is listed but the notice has no word of it";
      }
    }
    EXPECT_EQ(working_days, notice.working_days);
    EXPECT_EQ(view.WorkingDaysBetween(*Date::FromYmd(notice.year, 1, 1),
                                      *Date::FromYmd(notice.year, 12, 31)),
              notice.working_days);
  }
}

TEST(ChinaHolidaysTest, ShippedDaysAreSortedUniqueAndWithinTheirYear) {
  for (const ShippedYear& shipped : ShippedChinaYears()) {
    for (size_t i = 0; i < shipped.days.size(); ++i) {
      EXPECT_EQ(shipped.days[i].day.year(), shipped.year);
      EXPECT_LE(Utf8Length(shipped.days[i].name), kMaxDayNameLength);
      if (i > 0) {
        EXPECT_LT(shipped.days[i - 1].day, shipped.days[i].day);
      }
    }
  }
}

}  // namespace
}  // namespace oc::runtime
