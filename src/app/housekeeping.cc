#include "app/housekeeping.h"

namespace oc::app {

Result<std::string> HousekeepingSchedule(int64_t minutes) {
  if (minutes == 60) return std::string("0 * * * *");
  if (minutes < 1 || minutes > 60 || 60 % minutes != 0) {
    return InvalidField(
        "business.housekeeping_minutes", "invalid",
        {"须能整除 60（如 5、10、15、30、60）", "must divide 60 (such as 5, 10, 15, 30 or 60)"});
  }
  return "*/" + std::to_string(minutes) + " * * * *";
}

Result<runtime::JobSpec> HousekeepingJob(std::vector<HousekeepingTask> tasks, int64_t minutes,
                                         std::shared_ptr<spdlog::logger> log) {
  ASSIGN_OR_RETURN(std::string schedule, HousekeepingSchedule(minutes));
  return runtime::JobSpec{
      .key = "housekeeping",
      .label = {"清理过期数据（会话、幂等键、已投递事件）",
                "Clear away expired sessions, idempotency keys and delivered events"},
      .schedule = std::move(schedule),
      // Each sweep clears everything expired so far: one late run does the work of all missed.
      .catch_up = runtime::CatchUp::kOnce,
      .retry = {.max_attempts = 1},
      .run = [tasks = std::move(tasks), log = std::move(log)](runtime::JobRun&) -> Status {
        std::string failed;
        for (const HousekeepingTask& task : tasks) {
          Status swept = task.sweep();
          if (swept) continue;
          log->warn("housekeeping: {} failed ({}): {}", task.name,
                    ErrorCodeName(swept.error().code),
                    swept.error().internal_detail.empty() ? swept.error().message.en_us
                                                          : swept.error().internal_detail);
          failed += (failed.empty() ? "" : ", ") + task.name;
        }
        if (failed.empty()) return Ok();
        return MakeError(ErrorCode::kUnavailable,
                         {"部分清理未完成：" + failed, "Some sweeps failed: " + failed});
      }};
}

}  // namespace oc::app
