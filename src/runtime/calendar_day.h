#pragma once
// The days a business calendar lists against its work week: a holiday (a day off that would
// otherwise be worked, 春节) or a working day (a day off that is worked instead, 调休). Shared by
// the shipped State Council schedules (china_holidays.h) and the stored calendars
// (business_calendar.h). Plain values; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace oc::runtime {

// Stored names "holiday" and "workday"; never renamed.
enum class CalendarDayKind { kHoliday, kWorkday };
std::string_view CalendarDayKindName(CalendarDayKind kind);
std::optional<CalendarDayKind> CalendarDayKindFromName(std::string_view name);

struct CalendarDay {
  Date day;
  CalendarDayKind kind = CalendarDayKind::kHoliday;
  std::string name;  // 春节, 国庆节调休上班; at most kMaxDayNameLength characters
  friend bool operator==(const CalendarDay&, const CalendarDay&) = default;
};

inline constexpr size_t kMaxDayNameLength = 40;

// A work week as the expression language's EvalContext spells it: bit 0 Monday … bit 6 Sunday.
inline constexpr uint8_t kMondayToFriday = 0b0011111;

// 0 for Monday … 6 for Sunday (ISO 8601 order, minus one).
int IsoWeekdayIndex(Date date);

// Whether `date` falls on a day of `work_week`, before any listed day is considered.
inline bool InWorkWeek(uint8_t work_week, Date date) {
  return (work_week >> IsoWeekdayIndex(date)) & 1u;
}

}  // namespace oc::runtime
