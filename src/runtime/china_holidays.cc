#include "runtime/china_holidays.h"

#include <algorithm>
#include <cstdlib>

namespace oc::runtime {
namespace {

// A run of days of one kind, as a notice states it: "1月28日至2月4日放假调休，共8天".
struct Run {
  unsigned from_month;
  unsigned from_day;
  unsigned to_month;
  unsigned to_day;
  CalendarDayKind kind;
  std::string_view name;
};

constexpr CalendarDayKind kOff = CalendarDayKind::kHoliday;
constexpr CalendarDayKind kOn = CalendarDayKind::kWorkday;

// 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）.
constexpr Run k2025[] = {
    {1, 1, 1, 1, kOff, "元旦"},
    {1, 26, 1, 26, kOn, "春节调休上班"},
    {1, 28, 2, 4, kOff, "春节"},
    {2, 8, 2, 8, kOn, "春节调休上班"},
    {4, 4, 4, 6, kOff, "清明节"},
    {4, 27, 4, 27, kOn, "劳动节调休上班"},
    {5, 1, 5, 5, kOff, "劳动节"},
    {5, 31, 6, 2, kOff, "端午节"},
    {9, 28, 9, 28, kOn, "国庆节、中秋节调休上班"},
    {10, 1, 10, 8, kOff, "国庆节、中秋节"},
    {10, 11, 10, 11, kOn, "国庆节、中秋节调休上班"},
};

// 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）.
constexpr Run k2026[] = {
    {1, 1, 1, 3, kOff, "元旦"},
    {1, 4, 1, 4, kOn, "元旦调休上班"},
    {2, 14, 2, 14, kOn, "春节调休上班"},
    {2, 15, 2, 23, kOff, "春节"},
    {2, 28, 2, 28, kOn, "春节调休上班"},
    {4, 4, 4, 6, kOff, "清明节"},
    {5, 1, 5, 5, kOff, "劳动节"},
    {5, 9, 5, 9, kOn, "劳动节调休上班"},
    {6, 19, 6, 21, kOff, "端午节"},
    {9, 20, 9, 20, kOn, "国庆节调休上班"},
    {9, 25, 9, 27, kOff, "中秋节"},
    {10, 1, 10, 7, kOff, "国庆节"},
    {10, 10, 10, 10, kOn, "国庆节调休上班"},
};

ShippedYear Expand(int year, std::string_view notice, std::span<const Run> runs) {
  ShippedYear shipped{.year = year, .notice = notice, .days = {}};
  for (const Run& run : runs) {
    const std::optional<Date> first = Date::FromYmd(year, run.from_month, run.from_day);
    const std::optional<Date> last = Date::FromYmd(year, run.to_month, run.to_day);
    // The tables above are constants of this file; a wrong one is a bug caught by the test.
    if (!first || !last || *last < *first) std::abort();
    for (Date day = *first; day <= *last; day = day.AddDays(1)) {
      shipped.days.push_back({.day = day, .kind = run.kind, .name = std::string(run.name)});
    }
  }
  std::sort(shipped.days.begin(), shipped.days.end(),
            [](const CalendarDay& a, const CalendarDay& b) { return a.day < b.day; });
  return shipped;
}

const std::vector<ShippedYear>& Years() {
  static const auto* years = new std::vector<ShippedYear>{
      Expand(2025, "国办发明电〔2024〕12号", k2025),
      Expand(2026, "国办发明电〔2025〕7号", k2026),
  };
  return *years;
}

}  // namespace

std::span<const ShippedYear> ShippedChinaYears() { return Years(); }

std::optional<ShippedYear> ShippedChinaYear(int year) {
  for (const ShippedYear& shipped : Years()) {
    if (shipped.year == year) return shipped;
  }
  return std::nullopt;
}

}  // namespace oc::runtime
