#pragma once
// Clearing away what has expired — sessions past their end, idempotency keys past their
// retention, deliveries long done — as one recurring job of the scheduler, so that no request
// waits for it, nothing expired piles up while nobody signs in, and only one node sweeps at a
// time. Each task is a plain function that does one sweep; a failing task is logged, the others
// still run, and the run is marked failed naming it (the jobs page shows it), to be tried again
// at the next period.

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "runtime/scheduler.h"

namespace oc::app {

struct HousekeepingTask {
  std::string name;
  std::function<Status()> sweep;
};

// The cron schedule of a sweep every `minutes`: a divisor of 60 ("*/10 * * * *"), or 60
// ("0 * * * *"). Errors: kInvalidArgument on business.housekeeping_minutes otherwise.
Result<std::string> HousekeepingSchedule(int64_t minutes);

// The job "housekeeping" running every task at each firing.
// Errors: those of HousekeepingSchedule.
Result<runtime::JobSpec> HousekeepingJob(std::vector<HousekeepingTask> tasks, int64_t minutes,
                                         std::shared_ptr<spdlog::logger> log);

}  // namespace oc::app
