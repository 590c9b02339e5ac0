#pragma once
// The public holidays of mainland China as the State Council's General Office publishes them,
// one notice a year (国务院办公厅关于某年部分节假日安排的通知), shipped with the release so that a
// new installation counts working days right from the first day. Each year lists every day off
// of each holiday (weekend days inside a holiday included, so the calendar shows the holiday
// whole) and the weekend days that are worked in exchange (调休上班).
//
// Shipped years are data, not rules: the dates of the lunar holidays and the make-up days are
// decided by the notice, never computed. A year the release does not ship yet is entered by an
// administrator (BusinessCalendarService::ImportYear) when its notice appears, usually in
// November; BusinessCalendarService::SeedShipped copies each shipped year into the calendar "cn"
// only when that year is not there yet, so an administrator's year is never overwritten.
//
// Shipped:
//   2025: 国办发明电〔2024〕12号
//   2026: 国办发明电〔2025〕7号
//
// Thread-safety: constant data, built on first use.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/calendar_day.h"

namespace oc::runtime {

struct ShippedYear {
  int year = 0;
  std::string_view notice;        // 国办发明电〔2025〕7号
  std::vector<CalendarDay> days;  // by date, each date once, all in `year`
};

// Every shipped year, oldest first.
std::span<const ShippedYear> ShippedChinaYears();

// The shipped schedule of `year`, or nullopt when this release does not ship it.
std::optional<ShippedYear> ShippedChinaYear(int year);

}  // namespace oc::runtime
