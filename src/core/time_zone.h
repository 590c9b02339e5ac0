#pragma once
// The zone in which the business lives: where an instant's date is taken ("today", a follow-up
// date, TODAY() in an expression), and where a date's day begins. One zone per deployment,
// configured (default Asia/Shanghai) and passed to whoever asks what day it is; nobody reads the
// system's zone.
//
// A zone is a fixed offset from UTC. That is exact for China (no daylight saving since 1991) and
// for the other zones lenders here use; a zone name whose offset changes with the season is
// refused rather than answered wrongly half the year. Immutable; thread-safe.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"

namespace oc {

class TimeZone {
 public:
  // Asia/Shanghai, the default.
  TimeZone() = default;

  // Accepts "Asia/Shanghai" (and the other fixed-offset names of mainland China, Hong Kong,
  // Macau, Taipei and Singapore), "UTC", and an offset "+08:00" / "-05:30" / "Z".
  // Errors: kInvalidArgument on `field` ("unknown_time_zone") for anything else.
  static Result<TimeZone> Parse(std::string_view name, std::string_view field);

  // The date at `instant` in this zone.
  Date DateOf(Instant instant) const;
  // The instant the date begins here (local midnight).
  Instant StartOf(Date date) const;
  // Today here, by `clock`.
  Date Today(const Clock& clock) const { return DateOf(clock.Now()); }

  int utc_offset_minutes() const { return static_cast<int>(offset_.count()); }
  const std::string& name() const { return name_; }

 private:
  TimeZone(std::string name, std::chrono::minutes offset)
      : name_(std::move(name)), offset_(offset) {}

  std::string name_ = "Asia/Shanghai";
  std::chrono::minutes offset_{8 * 60};
};

}  // namespace oc
