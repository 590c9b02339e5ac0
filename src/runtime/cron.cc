#include "runtime/cron.h"

#include <array>
#include <charconv>
#include <vector>

namespace oc::runtime {

namespace {

struct FieldRange {
  std::string_view name_zh;
  std::string_view name_en;
  int low;
  int high;
};

constexpr std::array<FieldRange, 5> kFields = {{
    {"分钟", "minute", 0, 59},
    {"小时", "hour", 0, 23},
    {"日", "day of month", 1, 31},
    {"月", "month", 1, 12},
    {"星期", "day of week", 0, 7},
}};

std::vector<std::string_view> Split(std::string_view text, char by) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(by, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::optional<int> Number(std::string_view text) {
  int value = 0;
  if (text.empty() || text.size() > 2) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Fills `bits` (indexed by value) from one field's text; false when it does not parse or leaves
// its range.
bool ParseField(std::string_view text, const FieldRange& range, std::vector<bool>& bits) {
  bits.assign(range.high + 1, false);
  for (std::string_view item : Split(text, ',')) {
    int step = 1;
    const size_t slash = item.find('/');
    if (slash != std::string_view::npos) {
      auto parsed = Number(item.substr(slash + 1));
      if (!parsed || *parsed < 1) return false;
      step = *parsed;
      item = item.substr(0, slash);
    }
    int low = range.low;
    int high = range.high;
    if (item != "*") {
      const size_t dash = item.find('-');
      auto first = Number(item.substr(0, dash));
      if (!first) return false;
      low = *first;
      high = *first;
      if (dash != std::string_view::npos) {
        auto last = Number(item.substr(dash + 1));
        if (!last) return false;
        high = *last;
      } else if (slash != std::string_view::npos) {
        high = range.high;  // "5/15": from 5 on, every 15
      }
    }
    if (low < range.low || high > range.high || low > high) return false;
    for (int v = low; v <= high; v += step) bits[v] = true;
  }
  return true;
}

std::string TwoDigits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text, std::string_view field) {
  std::vector<std::string_view> parts;
  for (std::string_view part : Split(text, ' ')) {
    if (!part.empty()) parts.push_back(part);
  }
  if (parts.size() != kFields.size()) {
    return InvalidField(std::string(field), "invalid_schedule",
                        {"执行计划须为 5 段：分 时 日 月 星期，例如 “0 9 * * *”",
                         "A schedule has 5 fields: minute hour day month weekday, e.g. "
                         "\"0 9 * * *\""});
  }
  CronSchedule schedule;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!schedule.text_.empty()) schedule.text_ += ' ';
    schedule.text_ += parts[i];
  }
  std::vector<bool> bits;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldRange& range = kFields[i];
    if (!ParseField(parts[i], range, bits)) {
      const std::string bounds = std::to_string(range.low) + "–" + std::to_string(range.high);
      return InvalidField(
          std::string(field), "invalid_schedule",
          {"执行计划的“" + std::string(range.name_zh) + "”段 “" + std::string(parts[i]) +
               "” 无效（取值 " + bounds + "）",
           "The " + std::string(range.name_en) + " field \"" + std::string(parts[i]) +
               "\" of the schedule is invalid (values " + bounds + ")"});
    }
    for (int v = range.low; v <= range.high; ++v) {
      if (!bits[v]) continue;
      switch (i) {
        case 0:
          schedule.minutes_.set(v);
          break;
        case 1:
          schedule.hours_.set(v);
          break;
        case 2:
          schedule.days_of_month_.set(v);
          break;
        case 3:
          schedule.months_.set(v);
          break;
        default:
          schedule.days_of_week_.set(v % 7);
          break;
      }
    }
  }
  schedule.any_day_of_month_ = parts[2] == "*";
  schedule.any_day_of_week_ = parts[4] == "*";
  return schedule;
}

bool CronSchedule::DayMatches(Date date) const {
  if (!months_.test(date.month())) return false;
  const bool dom = days_of_month_.test(date.day());
  // 1970-01-01 was a Thursday.
  const int weekday = ((date.days_since_epoch() % 7) + 7 + 4) % 7;
  const bool dow = days_of_week_.test(weekday);
  if (any_day_of_month_) return dow;
  if (any_day_of_week_) return dom;
  return dom || dow;
}

std::optional<Instant> CronSchedule::NextAfter(Instant after, const TimeZone& zone,
                                               const DayFilter& allowed) const {
  using std::chrono::minutes;
  const minutes offset(zone.utc_offset_minutes());
  // The next whole minute after `after`, as local wall time.
  const auto local = std::chrono::floor<minutes>(after + offset) + minutes(1);
  const auto local_day = std::chrono::floor<std::chrono::days>(local);
  int from_minute = static_cast<int>((local - local_day).count());
  Date date = Date::FromDays(static_cast<int32_t>(local_day.time_since_epoch().count()));
  for (int n = 0; n < 366 * 10 + 3; ++n, date = date.AddDays(1), from_minute = 0) {
    if (!DayMatches(date) || (allowed && !allowed(date))) continue;
    for (int minute_of_day = from_minute; minute_of_day < 24 * 60; ++minute_of_day) {
      if (!hours_.test(minute_of_day / 60)) {
        minute_of_day = (minute_of_day / 60) * 60 + 59;
        continue;
      }
      if (!minutes_.test(minute_of_day % 60)) continue;
      return zone.StartOf(date) + minutes(minute_of_day);
    }
  }
  return std::nullopt;
}

Message CronSchedule::Describe() const {
  const bool every_day = any_day_of_month_ && any_day_of_week_ && months_.count() == 12;
  if (every_day && minutes_.count() == 1 && hours_.count() == 1) {
    int minute = 0;
    int hour = 0;
    while (!minutes_.test(minute)) ++minute;
    while (!hours_.test(hour)) ++hour;
    const std::string at = TwoDigits(hour) + ":" + TwoDigits(minute);
    return {"每天 " + at, "daily at " + at};
  }
  if (every_day && hours_.count() == 24 && minutes_.count() == 1) {
    int minute = 0;
    while (!minutes_.test(minute)) ++minute;
    return {"每小时第 " + std::to_string(minute) + " 分",
            "hourly at minute " + std::to_string(minute)};
  }
  if (every_day && hours_.count() == 24 && minutes_.test(0)) {
    for (int step = 1; step <= 30; ++step) {
      if (60 % step != 0) continue;
      bool regular = true;
      for (int m = 0; m < 60; ++m) regular = regular && minutes_.test(m) == (m % step == 0);
      if (!regular) continue;
      if (step == 1) return {"每分钟", "every minute"};
      return {"每 " + std::to_string(step) + " 分钟", "every " + std::to_string(step) + " minutes"};
    }
  }
  return {text_, text_};
}

}  // namespace oc::runtime
