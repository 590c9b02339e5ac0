#include "app/housekeeping.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace oc::app {
namespace {

// The run a job's code is given, outside any scheduler.
class StandaloneRun : public runtime::JobRun {
 public:
  int64_t id() const override { return 1; }
  Instant scheduled_for() const override { return Instant(); }
  int attempt() const override { return 1; }
  bool manual() const override { return false; }
  const std::string& idem_key() const override { return key_; }
  Status ReportProgress(int64_t, std::optional<int64_t>) override { return Ok(); }
  bool stopping() const override { return false; }

 private:
  std::string key_ = "job:housekeeping:0";
};

TEST(HousekeepingTest, EverySweepRunsAndAFailureIsLoggedAndNamedWithoutStoppingTheOthers) {
  std::ostringstream log;
  int sessions = 0;
  int keys = 0;
  auto job = HousekeepingJob(
      {{"expired sessions",
        [&] {
          ++sessions;
          return Status(MakeError(ErrorCode::kUnavailable, {"不可用", "unavailable"}, "db down"));
        }},
       {"expired idempotency keys",
        [&] {
          ++keys;
          return Ok();
        }}},
      10,
      std::make_shared<spdlog::logger>("housekeeping",
                                       std::make_shared<spdlog::sinks::ostream_sink_st>(log)));
  ASSERT_TRUE(job) << job.error().message.en_us;
  EXPECT_EQ(job->key, "housekeeping");
  EXPECT_EQ(job->schedule, "*/10 * * * *");
  StandaloneRun run;
  Status outcome = job->run(run);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message.en_us, "Some sweeps failed: expired sessions");
  EXPECT_EQ(sessions, 1);
  EXPECT_EQ(keys, 1);
  EXPECT_NE(log.str().find("expired sessions failed (unavailable): db down"), std::string::npos)
      << log.str();
}

TEST(HousekeepingTest, ThePeriodMustDivideTheHour) {
  EXPECT_EQ(*HousekeepingSchedule(1), "*/1 * * * *");
  EXPECT_EQ(*HousekeepingSchedule(15), "*/15 * * * *");
  EXPECT_EQ(*HousekeepingSchedule(60), "0 * * * *");
  for (int64_t bad : {0, 7, 45, 61, 120}) {
    auto schedule = HousekeepingSchedule(bad);
    ASSERT_FALSE(schedule) << bad;
    EXPECT_EQ(schedule.error().field_violations[0].field, "business.housekeeping_minutes");
  }
}

}  // namespace
}  // namespace oc::app
