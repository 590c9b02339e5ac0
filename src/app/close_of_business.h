#pragma once
// Close of business (日终) as a job of the scheduler: every day at the configured time, it closes
// the business day and moves the business date on to the next working day of the calendar
// (runtime/business_date.h). Every missed firing is caught up in order after downtime, so a
// server down over a long weekend closes Friday on restart, and Saturday's and Sunday's firings
// then find nothing to close. A run that a second node or a retry repeats closes nothing twice.
//
// Which day a firing closes: its own date in the business zone when the configured time is in the
// afternoon or evening ("23:30" closes that day), the day before when it is in the morning
// ("00:30" closes the day that has just ended).

#include <string_view>

#include "core/error.h"
#include "core/time_zone.h"
#include "runtime/business_date.h"
#include "runtime/scheduler.h"

namespace oc::app {

// The job "business_date.close" at `at` ("HH:MM"). Errors: kInvalidArgument on
// business.close_of_business_at for a time that is not HH:MM.
Result<runtime::JobSpec> CloseOfBusinessJob(runtime::BusinessDateService& business_date,
                                            TimeZone zone, std::string_view at);

// The business day a firing scheduled for `firing` closes, as above.
Date ClosedBy(Instant firing, const TimeZone& zone, int hour);

}  // namespace oc::app
