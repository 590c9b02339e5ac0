#pragma once
// When a recurring job fires: the five fields of a cron line (minute, hour, day of month, month,
// day of week), read in the business's zone. Each field is "*", a number, a range "a-b", a step
// "*/n" or "a-b/n", or a comma list of these; day of week runs 0–7 with both 0 and 7 for Sunday.
// As in every cron, a line that restricts both the day of month and the day of week fires on a
// day that matches either.
//
// A job "on working days only" passes the calendar's IsWorkingDay as the day filter, so a daily
// 09:00 reminder skips the Spring Festival and fires on a make-up Saturday (调休).
//
// Immutable; thread-safe.

#include <bitset>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/time_zone.h"

namespace oc::runtime {

class CronSchedule {
 public:
  using DayFilter = std::function<bool(Date)>;

  // Errors: kInvalidArgument on `field` ("invalid_schedule") naming the part that is wrong.
  static Result<CronSchedule> Parse(std::string_view text, std::string_view field);

  // The first firing strictly after `after`, on a day `allowed` accepts (every day without one).
  // nullopt when none falls within the next ten years (e.g. "0 0 31 2 *").
  std::optional<Instant> NextAfter(Instant after, const TimeZone& zone,
                                   const DayFilter& allowed = {}) const;

  // How a person reads it: "每天 09:00" / "daily at 09:00"; the cron text when no shorter
  // phrase says it exactly.
  Message Describe() const;

  const std::string& text() const { return text_; }

 private:
  bool DayMatches(Date date) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;
  std::bitset<13> months_;
  std::bitset<7> days_of_week_;
  bool any_day_of_month_ = true;
  bool any_day_of_week_ = true;
};

}  // namespace oc::runtime
