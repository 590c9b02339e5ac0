#include "core/date.h"

#include <cstdio>

namespace oc {

std::optional<Date> Date::FromYmd(int year, unsigned month, unsigned day) {
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok() || year < 1 || year > 9999) return std::nullopt;
  return Date(std::chrono::sys_days(ymd).time_since_epoch().count());
}

std::optional<Date> Date::Parse(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (iso[i] - '0');
    }
  }
  return FromYmd(parts[0], unsigned(parts[1]), unsigned(parts[2]));
}

std::chrono::year_month_day Date::ymd() const {
  return std::chrono::year_month_day{std::chrono::sys_days(std::chrono::days(days_))};
}

std::string Date::ToString() const {
  auto d = ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()),
                unsigned(d.day()));
  return buf;
}

}  // namespace oc
