#include "core/time_zone.h"

#include <array>
#include <charconv>
#include <utility>

namespace oc {
namespace {

using std::chrono::minutes;

// Names whose offset has not changed in decades and does not change with the season.
constexpr std::array<std::pair<std::string_view, int>, 9> kFixedZones = {{
    {"Asia/Shanghai", 480},
    {"Asia/Chongqing", 480},
    {"Asia/Harbin", 480},
    {"PRC", 480},
    {"Asia/Hong_Kong", 480},
    {"Asia/Macau", 480},
    {"Asia/Taipei", 480},
    {"Asia/Singapore", 480},
    {"UTC", 0},
}};

// "+08:00", "-05:30", "+0800", "Z".
std::optional<minutes> ParseOffset(std::string_view text) {
  if (text == "Z") return minutes(0);
  if (text.size() != 6 && text.size() != 5) return std::nullopt;
  if (text[0] != '+' && text[0] != '-') return std::nullopt;
  std::string_view hh = text.substr(1, 2);
  std::string_view mm = text.size() == 6 ? text.substr(4, 2) : text.substr(3, 2);
  if (text.size() == 6 && text[3] != ':') return std::nullopt;
  int hours = 0;
  int mins = 0;
  auto read = [](std::string_view digits, int& out) {
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && end == digits.data() + digits.size();
  };
  if (!read(hh, hours) || !read(mm, mins) || hours > 14 || mins > 59) return std::nullopt;
  const minutes offset(hours * 60 + mins);
  return text[0] == '-' ? -offset : offset;
}

}  // namespace

Result<TimeZone> TimeZone::Parse(std::string_view name, std::string_view field) {
  for (const auto& [known, offset] : kFixedZones) {
    if (name == known) return TimeZone(std::string(name), minutes(offset));
  }
  if (auto offset = ParseOffset(name)) return TimeZone(std::string(name), *offset);
  return InvalidField(std::string(field), "unknown_time_zone",
                      {"不支持的时区：" + std::string(name) +
                           "（可用 Asia/Shanghai、UTC 或 +08:00 这样的固定偏移）",
                       "Unsupported time zone: " + std::string(name) +
                           " (use Asia/Shanghai, UTC or a fixed offset such as +08:00)"});
}

Date TimeZone::DateOf(Instant instant) const {
  const auto local = instant + offset_;
  const auto days = std::chrono::floor<std::chrono::days>(local).time_since_epoch().count();
  return Date::FromDays(static_cast<int32_t>(days));
}

Instant TimeZone::StartOf(Date date) const {
  return Instant(std::chrono::days(date.days_since_epoch())) - offset_;
}

}  // namespace oc
