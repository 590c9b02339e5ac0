#include "app/close_of_business.h"

#include "app/config.h"

namespace oc::app {

Date ClosedBy(Instant firing, const TimeZone& zone, int hour) {
  const Date date = zone.DateOf(firing);
  return hour < 12 ? date.AddDays(-1) : date;
}

Result<runtime::JobSpec> CloseOfBusinessJob(runtime::BusinessDateService& business_date,
                                            TimeZone zone, std::string_view at) {
  auto time = ParseTimeOfDay(at);
  if (!time) {
    return InvalidField(
        "business.close_of_business_at", "invalid",
        {"须为 24 小时制 HH:MM，如 23:30", "must be a 24-hour HH:MM time such as 23:30"});
  }
  return runtime::JobSpec{
      .key = "business_date.close",
      .label = {"日终：关闭营业日，推进到下一个工作日",
                "Close of business: close the business day, move to the next working day"},
      .schedule = std::to_string(time->minute) + " " + std::to_string(time->hour) + " * * *",
      // Each missed day is closed in its turn; a day off finds nothing to close.
      .catch_up = runtime::CatchUp::kEvery,
      .run = [&business_date, zone, hour = time->hour](runtime::JobRun& run) -> Status {
        const Date closing = ClosedBy(run.scheduled_for(), zone, hour);
        RETURN_IF_ERROR(
            business_date.CloseBusinessDay(audit::Actor{.username = "system"}, closing));
        return Ok();
      }};
}

}  // namespace oc::app
