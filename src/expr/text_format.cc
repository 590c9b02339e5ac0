#include "expr/text_format.h"

#include <algorithm>
#include <cstdio>

namespace oc::expr::internal {

std::optional<std::string> FormatNumber(const Decimal& value, std::string_view format) {
  // Split into literal prefix, the digit pattern, and literal suffix.
  size_t begin = format.find_first_of("0#");
  if (begin == std::string_view::npos) return std::nullopt;
  size_t end = begin;
  while (end < format.size() && (format[end] == '0' || format[end] == '#' ||
                                 format[end] == ',' || format[end] == '.')) {
    ++end;
  }
  std::string_view prefix = format.substr(0, begin);
  std::string_view pattern = format.substr(begin, end - begin);
  std::string_view suffix = format.substr(end);
  if (std::count(pattern.begin(), pattern.end(), '.') > 1) return std::nullopt;
  bool percent = suffix.find('%') != std::string_view::npos ||
                 prefix.find('%') != std::string_view::npos;
  size_t point = pattern.find('.');
  std::string_view int_part = pattern.substr(0, point);
  std::string_view frac_part =
      point == std::string_view::npos ? std::string_view() : pattern.substr(point + 1);
  bool grouping = int_part.find(',') != std::string_view::npos;
  int min_int = int(std::count(int_part.begin(), int_part.end(), '0'));
  int min_frac = 0;
  int max_frac = 0;
  for (char c : frac_part) {
    if (c == '0') {
      ++min_frac;
      ++max_frac;
    } else if (c == '#') {
      ++max_frac;
    }
  }
  Decimal v = value;
  if (percent) {
    auto scaled = Multiply(v, Decimal::FromInt(100));
    if (!scaled) return std::nullopt;
    v = *scaled;
  }
  auto rounded = v.Round(max_frac, Decimal::Rounding::kHalfUp);
  if (!rounded) return std::nullopt;
  std::string digits = rounded->Abs().ToString();
  size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  while (int(frac.size()) < min_frac) frac += '0';
  if (whole == "0" && min_int == 0) whole.clear();
  if (int(whole.size()) < min_int) whole.insert(whole.begin(), size_t(min_int) - whole.size(), '0');
  if (grouping) {
    std::string grouped;
    for (size_t i = 0; i < whole.size(); ++i) {
      if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
      grouped += whole[i];
    }
    whole = grouped;
  }
  std::string out(prefix);
  if (rounded->IsNegative()) out += '-';
  out += whole;
  if (!frac.empty()) {
    out += '.';
    out += frac;
  }
  out += suffix;
  return out;
}

std::optional<std::string> FormatDateTime(Date date, int seconds_of_day, std::string_view format) {
  static constexpr std::string_view kWeekdays[] = {"日", "一", "二", "三", "四", "五", "六"};
  auto ymd = date.ymd();
  int year = int(ymd.year());
  unsigned month = unsigned(ymd.month());
  unsigned day = unsigned(ymd.day());
  // 1970-01-01 was a Thursday.
  int weekday = int(((int64_t(date.days_since_epoch()) % 7) + 11) % 7);
  int hour = seconds_of_day / 3600;
  int minute = seconds_of_day / 60 % 60;
  int second = seconds_of_day % 60;
  std::string out;
  bool any = false;
  bool after_hour = false;  // "mm" right after an hour means minutes, as in Excel
  auto num = [&](int v, int width) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*d", width, v);
    out += buf;
    any = true;
  };
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  size_t i = 0;
  while (i < format.size()) {
    char c = lower(format[i]);
    size_t run = 1;
    while (i + run < format.size() && lower(format[i + run]) == c) ++run;
    if (format[i] == '"') {
      size_t close = format.find('"', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      out += format.substr(i + 1, close - i - 1);
      i = close + 1;
      continue;
    }
    switch (c) {
      case 'y':
        if (run >= 3) {
          num(year, 4);
        } else {
          num(year % 100, 2);
        }
        after_hour = false;
        break;
      case 'm': {
        // Minutes when after an hour or before seconds; otherwise the month.
        size_t next = i + run;
        while (next < format.size() && (format[next] == ':' || format[next] == ' ')) ++next;
        bool minutes = after_hour || (next < format.size() && lower(format[next]) == 's');
        if (minutes) {
          num(minute, run >= 2 ? 2 : 1);
        } else {
          num(int(month), run >= 2 ? 2 : 1);
        }
        after_hour = false;
        break;
      }
      case 'd': num(int(day), run >= 2 ? 2 : 1); after_hour = false; break;
      case 'h': num(hour, run >= 2 ? 2 : 1); after_hour = true; break;
      case 's': num(second, run >= 2 ? 2 : 1); after_hour = false; break;
      case 'a':
        if (run >= 3) {
          if (run >= 4) out += "星期";
          out += kWeekdays[weekday];
          any = true;
        } else {
          out.append(format.substr(i, run));
        }
        break;
      default:
        out.append(format.substr(i, run));
        if (c != ':' && c != ' ') after_hour = false;
        break;
    }
    i += run;
  }
  if (!any) return std::nullopt;
  return out;
}

}  // namespace oc::expr::internal
