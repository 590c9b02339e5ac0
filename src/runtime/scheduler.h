#pragma once
// One scheduler for everything time-driven: durable timers and recurring jobs, both rows in the
// database, claimed with leases (lease_queue.h) so that any number of nodes share them, each
// firing happens on one node, and nothing is lost when a node stops.
//
// A timer is a one-off: "when the approval step's deadline passes, escalate" — an owner (the
// record it belongs to), a kind (which handler fires it), a time and a payload, and optionally a
// dedup key under which at most one timer exists. Timers due while every node was down fire
// once when the first comes back.
//
// A job is recurring code registered at start-up under a key, with a cron schedule read in the
// business's zone (cron.h), optionally on working days only. Each firing is a job run, a row
// unique per (job, scheduled time): whichever node plans a firing first inserts it, the others'
// inserts do nothing. After downtime a job catches up once (one run for the latest missed
// firing: a daily reminder sent once, not five times) or every period (one run per missed firing:
// the close of business of each missed day, in order). Runs are logged with their outcome,
// duration and progress; an administrator can run a job now.
//
// Delivery is at least once, as in the outbox: a handler that crashes loses its lease and runs
// again, so it keys its effects by the timer's or run's idempotency key, or writes them under a
// unique key in its own transaction.
//
// Thread-safety: Timers is stateless and may be shared. Scheduler runs two threads of its own
// (timers, and job runs, so a long job does not hold up deadlines); register before Start.

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/time_zone.h"
#include "runtime/cron.h"
#include "runtime/lease_queue.h"
#include "runtime/worker.h"
#include "storage/db.h"

namespace oc::runtime {

struct TimerSpec {
  std::string owner_type;  // e.g. "approval_task"
  std::string owner_id;
  std::string kind;  // the handler, e.g. "approval.deadline"
  Instant fire_at;
  boost::json::object payload;
  // At most one timer, in any state, per non-empty key: scheduling it again returns the first.
  std::string dedup_key;
};

enum class TimerStatus { kPending, kLeased, kDone, kDead, kCancelled };
std::string_view TimerStatusName(TimerStatus status);

struct TimerRecord {
  int64_t id = 0;
  std::string owner_type;
  std::string owner_id;
  std::string kind;
  Instant fire_at;
  boost::json::object payload;
  std::string dedup_key;
  TimerStatus status = TimerStatus::kPending;
  int attempts = 0;
  std::string last_error;
  std::optional<Instant> finished_at;
};

// What a timer's handler is given.
struct FiredTimer {
  TimerRecord timer;
  int attempt = 1;
  std::string idem_key;  // "timer:<id>", the same on every attempt
};

// The timer rows, for the services that set and cancel them in their own transactions.
class Timers {
 public:
  // Errors: kInvalidArgument when owner, kind or the time is missing.
  Result<int64_t> Schedule(storage::Tx& tx, Instant now, const TimerSpec& spec) const;
  // Cancels the owner's pending timers of `kind` (all kinds when empty). Returns how many.
  Result<int64_t> Cancel(storage::Tx& tx, Instant now, std::string_view owner_type,
                         std::string_view owner_id, std::string_view kind = {}) const;
  // The owner's timers, newest first.
  Result<std::vector<TimerRecord>> ForOwner(storage::Tx& tx, std::string_view owner_type,
                                            std::string_view owner_id) const;
  // Errors: kNotFound.
  Result<TimerRecord> Get(storage::Tx& tx, int64_t id) const;
};

enum class CatchUp { kOnce, kEvery };
std::string_view CatchUpName(CatchUp catch_up);

enum class JobRunStatus { kPending, kRunning, kSucceeded, kFailed, kDead };
std::string_view JobRunStatusName(JobRunStatus status);
std::optional<JobRunStatus> JobRunStatusFromName(std::string_view name);

struct JobProgress {
  int64_t done = 0;
  std::optional<int64_t> total;
  double rate_per_second = 0;          // since the run started
  std::optional<int64_t> eta_seconds;  // with a total and a rate
  Instant updated_at;
};

struct JobRunRecord {
  int64_t id = 0;
  std::string job_key;
  Instant scheduled_for;
  bool manual = false;
  std::string requested_by;  // who ran it now; empty for a scheduled run
  JobRunStatus status = JobRunStatus::kPending;
  int attempts = 0;
  std::optional<Instant> started_at;
  std::optional<Instant> finished_at;
  std::optional<int64_t> duration_ms;
  std::string error;  // the last attempt's
  std::optional<JobProgress> progress;
};

// What a job's code is given for one run.
class JobRun {
 public:
  virtual ~JobRun() = default;
  virtual int64_t id() const = 0;
  virtual Instant scheduled_for() const = 0;
  virtual int attempt() const = 0;
  virtual bool manual() const = 0;
  // "job:<key>:<scheduled_for µs>", the same on every attempt of the run.
  virtual const std::string& idem_key() const = 0;
  // Records how far a long run has come and extends its lease; a job that runs longer than its
  // lease must report at least that often, or another node takes the run over. Cheap to call per
  // row: it writes at most once a second.
  virtual Status ReportProgress(int64_t done, std::optional<int64_t> total) = 0;
  // Whether the server is stopping: a long run returns early (its lease ends and the run is
  // taken up again) instead of holding up the shutdown.
  virtual bool stopping() const = 0;
};

struct JobSpec {
  std::string key;  // e.g. "business_date.close"
  Message label;
  std::string schedule;  // cron, in the scheduler's zone
  CatchUp catch_up = CatchUp::kOnce;
  bool working_days_only = false;
  std::chrono::microseconds lease = std::chrono::minutes(10);
  RetryPolicy retry{.max_attempts = 3,
                    .first_delay = std::chrono::seconds(30),
                    .max_delay = std::chrono::minutes(10)};
  std::function<Status(JobRun&)> run;
};

struct JobInfo {
  std::string key;
  Message label;
  std::string schedule;
  Message schedule_label;
  CatchUp catch_up = CatchUp::kOnce;
  bool working_days_only = false;
  std::optional<Instant> next_fire_at;
  std::optional<JobRunRecord> last_run;
};

struct JobRunFilter {
  std::string job_key;
  std::optional<JobRunStatus> status;
  std::optional<int64_t> before_id;  // cursor: newest first
  int limit = 50;
};

struct SchedulerOptions {
  std::string node = "node";
  TimeZone zone;
  // Which days count as working days for jobs on working days only; Monday to Friday without
  // one. The server passes the business calendar's.
  CronSchedule::DayFilter working_day;
  int batch = 500;
  std::chrono::microseconds timer_lease = std::chrono::minutes(2);
  std::chrono::milliseconds idle_wait = std::chrono::seconds(1);
  RetryPolicy timer_retry;
  // How many missed firings a job catching up on every period runs at most.
  int max_catch_up = 400;
};

class Scheduler {
 public:
  using TimerHandler = std::function<Status(const FiredTimer&)>;

  Scheduler(storage::Db& db, const Clock& clock, SchedulerOptions options);
  ~Scheduler();  // stops the threads
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // REQUIRES: before Start; one handler per kind. A node fires only the kinds it registered.
  void RegisterTimer(std::string kind, TimerHandler handle);
  // Errors: kInvalidArgument on "schedule"; kAlreadyExists for a key registered twice.
  Status RegisterJob(JobSpec spec);

  // One round of the timer thread: plans the job firings that came due, then fires one batch of
  // due timers. Returns how many timers it fired.
  Result<int> FireDueTimers();
  // One round of the job thread: runs one due job run. Returns how many it ran (0 or 1).
  Result<int> RunDueJob();

  void Start();
  void Stop();
  // Cuts the idle waits short (after scheduling a timer due soon, or asking for a run).
  void Wake();

  // The registered jobs with their next firing and last run, by key.
  Result<std::vector<JobInfo>> Jobs() const;
  // Errors: kInvalidArgument for a limit outside 1..500 or an unknown job.
  Result<std::vector<JobRunRecord>> Runs(const JobRunFilter& filter) const;
  // Errors: kNotFound.
  Result<JobRunRecord> GetRun(storage::Tx& tx, int64_t id) const;
  // Asks for a run of `key` now. Audited ("job.run_requested"). Errors: kNotFound for a key not
  // registered on this node.
  Result<JobRunRecord> RunNow(storage::Tx& tx, const audit::AuditLog& audit,
                              const audit::Actor& actor, std::string_view key) const;

 private:
  struct RegisteredJob {
    JobSpec spec;
    CronSchedule schedule;
  };
  class ClaimedRun;

  Status PlanDueJobs(storage::Tx& tx, Instant now);
  std::optional<Instant> NextFiring(const RegisteredJob& job, Instant after) const;
  Result<int> FireTimerBatch();

  storage::Db& db_;
  const Clock& clock_;
  const SchedulerOptions options_;
  const LeaseQueue timer_queue_{"timers"};
  const LeaseQueue run_queue_{"job_runs"};
  std::map<std::string, TimerHandler> timer_handlers_;
  std::string timer_condition_;
  storage::Params timer_params_;
  std::map<std::string, RegisteredJob> jobs_;
  std::string job_condition_;
  storage::Params job_params_;
  std::mutex jitter_mu_;
  std::mt19937_64 jitter_;
  // The earliest next firing this node knows of, so that a quiet second costs no write.
  std::optional<Instant> earliest_planned_;
  Worker timer_worker_;
  Worker job_worker_;
};

// The tables of timers, job schedules and job runs.
std::vector<storage::Migration> SchedulerMigrations();

}  // namespace oc::runtime
