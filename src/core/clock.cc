#include "core/clock.h"

#include <charconv>
#include <cstdio>

namespace oc {

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

std::string FormatInstant(Instant instant) {
  auto days = std::chrono::floor<std::chrono::days>(instant);
  std::chrono::year_month_day ymd{days};
  auto since_midnight = instant - days;
  auto h = std::chrono::duration_cast<std::chrono::hours>(since_midnight);
  auto m = std::chrono::duration_cast<std::chrono::minutes>(since_midnight - h);
  auto s = std::chrono::duration_cast<std::chrono::seconds>(since_midnight - h - m);
  auto us = (since_midnight - h - m - s).count();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(h.count()), int(m.count()),
                int(s.count()), static_cast<long long>(us));
  return buf;
}

namespace {

bool ReadDigits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

bool ParseInstant(std::string_view text, Instant* out) {
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, 0, 4, &year) || text.size() < 19 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month) || text[7] != '-' || !ReadDigits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !ReadDigits(text, 11, 2, &hour) || text[13] != ':' || !ReadDigits(text, 14, 2, &minute) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, &second)) {
    return false;
  }
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(unsigned(month)),
                                  std::chrono::day(unsigned(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return false;
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (; digits < 6; ++digits) micros *= 10;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, &om)) {
      return false;
    }
    offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return false;
  }
  if (pos != text.size()) return false;
  auto local = std::chrono::sys_days(ymd) + std::chrono::hours(hour) +
               std::chrono::minutes(minute) + std::chrono::seconds(second) +
               std::chrono::microseconds(micros);
  *out = std::chrono::time_point_cast<std::chrono::microseconds>(
      local - std::chrono::minutes(offset_minutes));
  return true;
}

}  // namespace oc
