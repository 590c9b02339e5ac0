#pragma once
// TEXT(value, format): Excel-style number and date format codes (internal to the expr module).
// Numbers: "0", "0.00", "#,##0.00", "0%", "0.0%", with literal prefix/suffix ("¥#,##0.00",
// "0.00元"); rounding is half away from zero, as in Excel. Dates and datetimes: yyyy, yy,
// m, mm, d, dd, hh, h, mm (minutes after an hour), ss, aaaa (星期一) and aaa (一), with other
// characters and "quoted" text copied ("yyyy年m月d日", "yyyy-mm-dd hh:mm:ss").

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/decimal.h"

namespace oc::expr::internal {

// nullopt when `format` is not a number format.
std::optional<std::string> FormatNumber(const Decimal& value, std::string_view format);

// Formats a date plus a time of day (seconds since midnight; 0 for a date). nullopt when
// `format` has no date or time token.
std::optional<std::string> FormatDateTime(Date date, int seconds_of_day, std::string_view format);

}  // namespace oc::expr::internal
