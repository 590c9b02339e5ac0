#include "runtime/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "crypto/testing/test_keys.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using storage::testing::Backend;

Instant At(std::string_view text) {
  Instant instant;
  EXPECT_TRUE(ParseInstant(text, &instant)) << text;
  return instant;
}

class SchedulerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
  }

  std::unique_ptr<Scheduler> MakeScheduler(std::string node = "node-a",
                                           CronSchedule::DayFilter working_day = {}) {
    return std::make_unique<Scheduler>(
        *db_, clock_,
        SchedulerOptions{.node = std::move(node),
                         .working_day = std::move(working_day),
                         .batch = 100,
                         .timer_lease = seconds(30),
                         .idle_wait = std::chrono::milliseconds(20),
                         .timer_retry = {.max_attempts = 3, .first_delay = seconds(10)}});
  }

  int64_t ScheduleTimer(Instant fire_at, std::string dedup_key = {}, std::string owner = "7") {
    auto id = db_->WriteValue<int64_t>([&](storage::Tx& tx) {
      return timers_.Schedule(tx, clock_.Now(),
                              {.owner_type = "approval_task",
                               .owner_id = owner,
                               .kind = "approval.deadline",
                               .fire_at = fire_at,
                               .payload = {{"step", "branch_review"}},
                               .dedup_key = std::move(dedup_key)});
    });
    EXPECT_TRUE(id) << id.error().internal_detail;
    return id ? *id : 0;
  }

  TimerRecord Timer(int64_t id) {
    auto timer = db_->ReadValue<TimerRecord>([&](storage::Tx& tx) { return timers_.Get(tx, id); });
    EXPECT_TRUE(timer);
    return timer ? *timer : TimerRecord{};
  }

  std::vector<JobRunRecord> Runs(Scheduler& scheduler, std::string job = {}) {
    auto runs = scheduler.Runs({.job_key = std::move(job), .limit = 500});
    EXPECT_TRUE(runs) << runs.error().message.en_us;
    return runs ? *runs : std::vector<JobRunRecord>{};
  }

  // Runs the job thread's rounds by hand until nothing is due.
  void RunJobs(Scheduler& scheduler) {
    for (;;) {
      auto ran = scheduler.RunDueJob();
      ASSERT_TRUE(ran) << ran.error().internal_detail;
      if (*ran == 0) return;
    }
  }

  // 2026-12-04 is a Friday; 08:00 in Beijing.
  FakeClock clock_{At("2026-12-04T00:00:00Z")};
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, keys_};
  audit::Actor actor_{.user_id = 1, .username = "admin", .request_id = "req-9"};
  Timers timers_;
  std::unique_ptr<storage::Db> db_;
};

TEST_P(SchedulerTest, ATimerFiresOnceWhenItsTimeComesWithItsPayload) {
  auto scheduler = MakeScheduler();
  std::vector<FiredTimer> fired;
  scheduler->RegisterTimer("approval.deadline", [&](const FiredTimer& t) {
    fired.push_back(t);
    return Ok();
  });
  const int64_t id = ScheduleTimer(clock_.Now() + minutes(30));

  ASSERT_EQ(scheduler->FireDueTimers(), 0);
  clock_.Advance(minutes(30));
  ASSERT_EQ(scheduler->FireDueTimers(), 1);
  ASSERT_EQ(scheduler->FireDueTimers(), 0);

  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].timer.id, id);
  EXPECT_EQ(fired[0].timer.owner_id, "7");
  EXPECT_EQ(fired[0].timer.payload.at("step"), "branch_review");
  EXPECT_EQ(fired[0].idem_key, "timer:" + std::to_string(id));
  EXPECT_EQ(fired[0].attempt, 1);
  EXPECT_EQ(Timer(id).status, TimerStatus::kDone);
}

TEST_P(SchedulerTest, ADedupKeyKeepsOneTimerAndCancelStopsIt) {
  auto scheduler = MakeScheduler();
  int fired = 0;
  scheduler->RegisterTimer("approval.deadline", [&](const FiredTimer&) {
    ++fired;
    return Ok();
  });
  const int64_t first = ScheduleTimer(clock_.Now() + minutes(5), "task:7:deadline");
  EXPECT_EQ(ScheduleTimer(clock_.Now() + minutes(9), "task:7:deadline"), first);
  ScheduleTimer(clock_.Now() + minutes(5), {}, "8");

  ASSERT_EQ(db_->WriteValue<int64_t>([&](storage::Tx& tx) {
    return timers_.Cancel(tx, clock_.Now(), "approval_task", "8");
  }),
            1);
  clock_.Advance(minutes(10));
  ASSERT_TRUE(scheduler->FireDueTimers());
  EXPECT_EQ(fired, 1);
  auto owned = db_->ReadValue<std::vector<TimerRecord>>(
      [&](storage::Tx& tx) { return timers_.ForOwner(tx, "approval_task", "8"); });
  ASSERT_TRUE(owned);
  ASSERT_EQ(owned->size(), 1u);
  EXPECT_EQ(owned->front().status, TimerStatus::kCancelled);
}

TEST_P(SchedulerTest, AFailingTimerIsRetriedWithBackoffThenDeadWithTheLastError) {
  auto scheduler = MakeScheduler();
  int calls = 0;
  scheduler->RegisterTimer("approval.deadline", [&](const FiredTimer&) -> Status {
    ++calls;
    return MakeError(ErrorCode::kUnavailable, {"短信网关不可用", "SMS gateway unavailable"});
  });
  const int64_t id = ScheduleTimer(clock_.Now());
  ASSERT_EQ(scheduler->FireDueTimers(), 1);
  EXPECT_EQ(Timer(id).status, TimerStatus::kPending);
  ASSERT_EQ(scheduler->FireDueTimers(), 0);  // not before the backoff
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(minutes(2));
    ASSERT_TRUE(scheduler->FireDueTimers());
  }
  EXPECT_EQ(calls, 3);
  const TimerRecord dead = Timer(id);
  EXPECT_EQ(dead.status, TimerStatus::kDead);
  EXPECT_EQ(dead.attempts, 3);
  EXPECT_EQ(dead.last_error, "SMS gateway unavailable");
}

TEST_P(SchedulerTest, ATimerDueWhileTheServerWasDownFiresOnceAfterTheRestart) {
  ScheduleTimer(clock_.Now() + minutes(1));
  {
    // A node claims the timer and dies before settling it.
    auto crashed = MakeScheduler("node-crashed");
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
      clock_.Advance(minutes(1));
      RETURN_IF_ERROR(
          LeaseQueue("timers").Claim(tx, clock_.Now(), seconds(30), "node-crashed#1", 10));
      return Ok();
    }));
  }
  clock_.Advance(hours(3));  // downtime
  auto restarted = MakeScheduler("node-restarted");
  int fired = 0;
  restarted->RegisterTimer("approval.deadline", [&](const FiredTimer& t) {
    ++fired;
    EXPECT_EQ(t.attempt, 2);
    return Ok();
  });
  ASSERT_EQ(restarted->FireDueTimers(), 1);
  ASSERT_EQ(restarted->FireDueTimers(), 0);
  EXPECT_EQ(fired, 1);
}

TEST_P(SchedulerTest, ANodeStoppingMidBatchGivesTheRestBackUncounted) {
  for (int i = 0; i < 5; ++i) ScheduleTimer(clock_.Now(), {}, std::to_string(i));
  auto scheduler = MakeScheduler();
  std::atomic<int> fired = 0;
  std::atomic<bool> release = false;
  scheduler->RegisterTimer("approval.deadline", [&](const FiredTimer&) {
    if (++fired == 1) {
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Ok();
  });
  scheduler->Start();
  while (fired == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread stopper([&] { scheduler->Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  stopper.join();
  EXPECT_EQ(fired, 1);

  auto next = MakeScheduler("node-b");
  int later = 0;
  next->RegisterTimer("approval.deadline", [&](const FiredTimer& t) {
    EXPECT_EQ(t.attempt, 1);
    ++later;
    return Ok();
  });
  ASSERT_EQ(next->FireDueTimers(), 4);  // due at once: no lease to wait out
  EXPECT_EQ(later, 4);
}

JobSpec DailyReminder(std::atomic<int>& runs, CatchUp catch_up = CatchUp::kOnce,
                      bool working_days_only = false) {
  return {.key = "reminders.daily",
          .label = {"每日提醒", "Daily reminders"},
          .schedule = "0 9 * * *",
          .catch_up = catch_up,
          .working_days_only = working_days_only,
          .run = [&runs](JobRun&) {
            ++runs;
            return Ok();
          }};
}

TEST_P(SchedulerTest, ADailyJobRunsAtNineAndLogsItsOutcomeAndDuration) {
  auto scheduler = MakeScheduler();
  std::atomic<int> runs = 0;
  ASSERT_TRUE(scheduler->RegisterJob(DailyReminder(runs)));
  ASSERT_TRUE(scheduler->FireDueTimers());  // plans the first firing
  auto jobs = scheduler->Jobs();
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ(jobs->front().next_fire_at, At("2026-12-04T01:00:00Z"));
  EXPECT_EQ(jobs->front().schedule_label.zh_cn, "每天 09:00");

  clock_.Advance(minutes(59));
  ASSERT_TRUE(scheduler->FireDueTimers());
  RunJobs(*scheduler);
  EXPECT_EQ(runs, 0);
  clock_.Advance(minutes(1));
  ASSERT_TRUE(scheduler->FireDueTimers());
  ASSERT_TRUE(scheduler->FireDueTimers());
  RunJobs(*scheduler);
  EXPECT_EQ(runs, 1);

  const auto logged = Runs(*scheduler);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].status, JobRunStatus::kSucceeded);
  EXPECT_EQ(logged[0].scheduled_for, At("2026-12-04T01:00:00Z"));
  EXPECT_FALSE(logged[0].manual);
  EXPECT_EQ(logged[0].duration_ms, 0);
  jobs = scheduler->Jobs();
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->front().next_fire_at, At("2026-12-05T01:00:00Z"));
  ASSERT_TRUE(jobs->front().last_run);
  EXPECT_EQ(jobs->front().last_run->id, logged[0].id);
}

TEST_P(SchedulerTest, AfterDowntimeAJobCatchesUpOnceOrForEveryMissedPeriod) {
  std::atomic<int> once_runs = 0;
  std::atomic<int> every_runs = 0;
  std::vector<Instant> every_periods;
  {
    auto before = MakeScheduler();
    ASSERT_TRUE(before->RegisterJob(DailyReminder(once_runs)));
    JobSpec close = DailyReminder(every_runs, CatchUp::kEvery);
    close.key = "business_date.close";
    ASSERT_TRUE(before->RegisterJob(close));
    ASSERT_TRUE(before->FireDueTimers());
  }
  clock_.Advance(hours(24 * 3) + hours(2));  // down from Friday 08:00 to Monday 10:00

  auto after = MakeScheduler();
  ASSERT_TRUE(after->RegisterJob(DailyReminder(once_runs)));
  JobSpec close = DailyReminder(every_runs, CatchUp::kEvery);
  close.key = "business_date.close";
  close.run = [&](JobRun& run) {
    every_periods.push_back(run.scheduled_for());
    ++every_runs;
    return Ok();
  };
  ASSERT_TRUE(after->RegisterJob(close));
  ASSERT_TRUE(after->FireDueTimers());
  ASSERT_TRUE(after->FireDueTimers());
  RunJobs(*after);

  EXPECT_EQ(once_runs, 1);
  EXPECT_EQ(every_runs, 4);  // Friday, Saturday, Sunday and Monday 09:00
  EXPECT_EQ(every_periods,
            (std::vector<Instant>{At("2026-12-04T01:00:00Z"), At("2026-12-05T01:00:00Z"),
                                  At("2026-12-06T01:00:00Z"), At("2026-12-07T01:00:00Z")}));
  const auto once = Runs(*after, "reminders.daily");
  ASSERT_EQ(once.size(), 1u);
  EXPECT_EQ(once[0].scheduled_for, At("2026-12-07T01:00:00Z"));  // the latest missed firing
}

TEST_P(SchedulerTest, AJobOnWorkingDaysOnlyFollowsTheCalendar) {
  // Monday 2026-12-07 a holiday; Saturday 2026-12-12 a make-up working day.
  auto working = [](Date d) {
    if (d == *Date::FromYmd(2026, 12, 7)) return false;
    if (d == *Date::FromYmd(2026, 12, 12)) return true;
    const int weekday = ((d.days_since_epoch() % 7) + 7 + 4) % 7;
    return weekday != 0 && weekday != 6;
  };
  auto scheduler = MakeScheduler("node-a", working);
  std::atomic<int> runs = 0;
  std::vector<Instant> fired_for;
  JobSpec job = DailyReminder(runs, CatchUp::kEvery, true);
  job.run = [&](JobRun& run) {
    fired_for.push_back(run.scheduled_for());
    return Ok();
  };
  ASSERT_TRUE(scheduler->RegisterJob(job));
  for (int hour = 0; hour < 24 * 9; ++hour) {
    ASSERT_TRUE(scheduler->FireDueTimers());
    RunJobs(*scheduler);
    clock_.Advance(hours(1));
  }
  std::vector<std::string> days;
  for (Instant at : fired_for) days.push_back(TimeZone().DateOf(at).ToString());
  EXPECT_EQ(days, (std::vector<std::string>{"2026-12-04", "2026-12-08", "2026-12-09", "2026-12-10",
                                            "2026-12-11", "2026-12-12"}));
  auto jobs = scheduler->Jobs();
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->front().schedule_label.zh_cn, "每天 09:00（仅工作日）");
}

TEST_P(SchedulerTest, ALongJobReportsProgressWithRateAndEta) {
  auto scheduler = MakeScheduler();
  std::optional<JobRunRecord> midway;
  ASSERT_TRUE(scheduler->RegisterJob({.key = "import.customers",
                                      .label = {"导入客户", "Import customers"},
                                      .schedule = "0 2 * * *",
                                      .run = [&](JobRun& run) -> Status {
                                        clock_.Advance(seconds(10));
                                        RETURN_IF_ERROR(run.ReportProgress(2'000, 10'000));
                                        auto runs = scheduler->Runs({.limit = 1});
                                        EXPECT_TRUE(runs) << runs.error().message.en_us;
                                        if (runs && !runs->empty()) midway = runs->front();
                                        clock_.Advance(seconds(40));
                                        return run.ReportProgress(10'000, 10'000);
                                      }}));
  auto requested = db_->WriteValue<JobRunRecord>(
      [&](storage::Tx& tx) { return scheduler->RunNow(tx, audit_, actor_, "import.customers"); });
  ASSERT_TRUE(requested);
  EXPECT_TRUE(requested->manual);
  EXPECT_EQ(requested->requested_by, "admin");
  EXPECT_EQ(requested->status, JobRunStatus::kPending);
  RunJobs(*scheduler);

  ASSERT_TRUE(midway);
  EXPECT_EQ(midway->status, JobRunStatus::kRunning);
  ASSERT_TRUE(midway->progress);
  EXPECT_EQ(midway->progress->done, 2'000);
  EXPECT_EQ(midway->progress->total, 10'000);
  EXPECT_DOUBLE_EQ(midway->progress->rate_per_second, 200);
  EXPECT_EQ(midway->progress->eta_seconds, 40);
  const auto finished = Runs(*scheduler);
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].status, JobRunStatus::kSucceeded);
  EXPECT_EQ(finished[0].duration_ms, 50'000);
  EXPECT_EQ(finished[0].progress->done, 10'000);

  auto entries = db_->ReadValue<storage::Rows>([](storage::Tx& tx) {
    return tx.Query(
        "SELECT action, entity_id FROM audit_events WHERE action = 'job.run_requested'");
  });
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().Text(1), "import.customers");
}

TEST_P(SchedulerTest, AFailingJobIsRetriedThenDeadAndBadRequestsAreRefused) {
  auto scheduler = MakeScheduler();
  int attempts = 0;
  ASSERT_TRUE(scheduler->RegisterJob({.key = "reports.refresh",
                                      .label = {"刷新报表", "Refresh reports"},
                                      .schedule = "*/5 * * * *",
                                      .run = [&](JobRun&) -> Status {
                                        ++attempts;
                                        return Internal("warehouse unreachable");
                                      }}));
  ASSERT_TRUE(db_->WriteValue<JobRunRecord>(
      [&](storage::Tx& tx) { return scheduler->RunNow(tx, audit_, actor_, "reports.refresh"); }));
  RunJobs(*scheduler);
  EXPECT_EQ(Runs(*scheduler).front().status, JobRunStatus::kFailed);
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(minutes(10));
    RunJobs(*scheduler);
  }
  const JobRunRecord manual = Runs(*scheduler, "reports.refresh").back();
  EXPECT_EQ(manual.status, JobRunStatus::kDead);
  EXPECT_EQ(manual.attempts, 3);
  EXPECT_NE(manual.error.find("warehouse unreachable"), std::string::npos);

  auto unknown = db_->WriteValue<JobRunRecord>(
      [&](storage::Tx& tx) { return scheduler->RunNow(tx, audit_, actor_, "no.such.job"); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(scheduler->Runs({.job_key = "no.such.job"}));
  EXPECT_FALSE(scheduler->Runs({.limit = 0}));
  EXPECT_FALSE(scheduler->RegisterJob({.key = "bad", .schedule = "every day"}));
  EXPECT_EQ(
      scheduler->RegisterJob({.key = "reports.refresh", .schedule = "0 1 * * *"}).error().code,
      ErrorCode::kAlreadyExists);
}

TEST_P(SchedulerTest, TwoNodesFireEachTimerAndEachJobFiringExactlyOnce) {
  if (GetParam() == Backend::kSqlite) GTEST_SKIP() << "one writer: shown on PostgreSQL";
  constexpr int kTimers = 400;
  for (int i = 0; i < kTimers; ++i) ScheduleTimer(clock_.Now(), {}, std::to_string(i));
  std::mutex mu;
  std::multiset<int64_t> fired;
  std::multiset<int64_t> job_firings;
  std::vector<std::unique_ptr<Scheduler>> nodes;
  for (std::string name : {"node-a", "node-b"}) {
    auto node = MakeScheduler(name);
    node->RegisterTimer("approval.deadline", [&](const FiredTimer& t) {
      std::lock_guard lock(mu);
      fired.insert(t.timer.id);
      return Ok();
    });
    ASSERT_TRUE(node->RegisterJob({.key = "every.minute",
                                   .label = {"每分钟", "Every minute"},
                                   .schedule = "* * * * *",
                                   .catch_up = CatchUp::kEvery,
                                   .run = [&](JobRun& run) {
                                     std::lock_guard lock(mu);
                                     job_firings.insert(ToUnixMicros(run.scheduled_for()));
                                     return Ok();
                                   }}));
    nodes.push_back(std::move(node));
  }
  for (auto& node : nodes) node->Start();
  for (int minute = 0; minute < 10; ++minute) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    clock_.Advance(minutes(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (auto& node : nodes) node->Stop();

  EXPECT_EQ(fired.size(), static_cast<size_t>(kTimers));
  EXPECT_EQ(std::set<int64_t>(fired.begin(), fired.end()).size(), fired.size());
  EXPECT_GE(job_firings.size(), 9u);
  EXPECT_EQ(std::set<int64_t>(job_firings.begin(), job_firings.end()).size(), job_firings.size());
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulerTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         [](const auto& info) {
                           return storage::testing::BackendName(info.param);
                         });

}  // namespace
}  // namespace oc::runtime
