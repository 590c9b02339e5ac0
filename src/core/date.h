#pragma once
// A calendar date without a time zone: the business date of credit logic (due dates, value
// dates, close of business). Stored and exchanged as ISO "YYYY-MM-DD".

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oc {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Returns nullopt unless the triple is a real proleptic Gregorian date.
  static std::optional<Date> FromYmd(int year, unsigned month, unsigned day);
  // Accepts exactly "YYYY-MM-DD".
  static std::optional<Date> Parse(std::string_view iso);

  constexpr int32_t days_since_epoch() const { return days_; }
  std::chrono::year_month_day ymd() const;
  int year() const { return int(ymd().year()); }
  unsigned month() const { return unsigned(ymd().month()); }
  unsigned day() const { return unsigned(ymd().day()); }
  std::string ToString() const;

  constexpr Date AddDays(int32_t n) const { return Date(days_ + n); }
  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace oc
