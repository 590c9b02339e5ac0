#include "app/housekeeping.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <sstream>

namespace oc::app {
namespace {

std::shared_ptr<spdlog::logger> LogTo(std::ostringstream& out) {
  return std::make_shared<spdlog::logger>("housekeeping",
                                          std::make_shared<spdlog::sinks::ostream_sink_st>(out));
}

TEST(HousekeepingTest, EverySweepRunsAndAFailureIsLoggedWithoutStoppingTheOthers) {
  std::ostringstream log;
  int sessions = 0;
  int keys = 0;
  Housekeeping housekeeping(
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
      std::chrono::hours(1), LogTo(log));
  EXPECT_EQ(housekeeping.RunOnce(), 1);
  EXPECT_EQ(sessions, 1);
  EXPECT_EQ(keys, 1);
  EXPECT_NE(log.str().find("expired sessions failed (unavailable): db down"), std::string::npos)
      << log.str();
}

TEST(HousekeepingTest, TheThreadSweepsEachPeriodUntilStopped) {
  std::ostringstream log;
  std::mutex mu;
  std::condition_variable swept;
  int sweeps = 0;
  Housekeeping housekeeping({{"count",
                              [&] {
                                std::lock_guard lock(mu);
                                ++sweeps;
                                swept.notify_all();
                                return Ok();
                              }}},
                            std::chrono::milliseconds(5), LogTo(log));
  housekeeping.Start();
  housekeeping.Start();  // a second start changes nothing
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(swept.wait_for(lock, std::chrono::seconds(30), [&] { return sweeps >= 3; }));
  }
  housekeeping.Stop();
  housekeeping.Stop();  // and a second stop neither
}

}  // namespace
}  // namespace oc::app
