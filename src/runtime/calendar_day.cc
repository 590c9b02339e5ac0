#include "runtime/calendar_day.h"

namespace oc::runtime {

std::string_view CalendarDayKindName(CalendarDayKind kind) {
  return kind == CalendarDayKind::kWorkday ? "workday" : "holiday";
}

std::optional<CalendarDayKind> CalendarDayKindFromName(std::string_view name) {
  if (name == "holiday") return CalendarDayKind::kHoliday;
  if (name == "workday") return CalendarDayKind::kWorkday;
  return std::nullopt;
}

int IsoWeekdayIndex(Date date) {
  // 1970-01-01 was a Thursday (index 3).
  const int32_t days = date.days_since_epoch();
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

}  // namespace oc::runtime
