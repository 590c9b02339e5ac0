#include "runtime/scheduler.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace oc::runtime {

using storage::Tx;

namespace {

constexpr std::array<std::pair<TimerStatus, std::string_view>, 5> kTimerStatusNames = {{
    {TimerStatus::kPending, "pending"},
    {TimerStatus::kLeased, "leased"},
    {TimerStatus::kDone, "done"},
    {TimerStatus::kDead, "dead"},
    {TimerStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<JobRunStatus, std::string_view>, 5> kRunStatusNames = {{
    {JobRunStatus::kPending, "pending"},
    {JobRunStatus::kRunning, "running"},
    {JobRunStatus::kSucceeded, "succeeded"},
    {JobRunStatus::kFailed, "failed"},
    {JobRunStatus::kDead, "dead"},
}};

constexpr std::string_view kTimerSelect =
    "SELECT id, owner_type, owner_id, kind, fire_at_us, payload, dedup_key, status, attempts, "
    "last_error, finished_at_us FROM timers";

TimerRecord TimerFromRow(const storage::Row& row) {
  TimerRecord t;
  t.id = row.Int(0);
  t.owner_type = row.Text(1);
  t.owner_id = row.Text(2);
  t.kind = row.Text(3);
  t.fire_at = FromUnixMicros(row.Int(4));
  boost::system::error_code ec;
  auto payload = boost::json::parse(row.Text(5), ec);
  if (!ec && payload.is_object()) t.payload = std::move(payload.as_object());
  t.dedup_key = row.OptText("dedup_key").value_or("");
  for (const auto& [status, name] : kTimerStatusNames) {
    if (name == row.Text(7)) t.status = status;
  }
  t.attempts = static_cast<int>(row.Int(8));
  t.last_error = row.OptText("last_error").value_or("");
  if (auto finished = row.OptInt("finished_at_us")) t.finished_at = FromUnixMicros(*finished);
  return t;
}

constexpr std::string_view kRunSelect =
    "SELECT id, job_key, scheduled_for_us, trigger_kind, requested_by, status, attempts, "
    "last_error, started_at_us, finished_at_us, rows_done, rows_total, progress_at_us "
    "FROM job_runs";

// The stored states are the lease queue's; a person reads what they mean for a run.
JobRunStatus RunStatusOf(std::string_view stored, int attempts) {
  if (stored == "leased") return JobRunStatus::kRunning;
  if (stored == "done") return JobRunStatus::kSucceeded;
  if (stored == "dead") return JobRunStatus::kDead;
  return attempts > 0 ? JobRunStatus::kFailed : JobRunStatus::kPending;
}

JobRunRecord RunFromRow(const storage::Row& row) {
  JobRunRecord r;
  r.id = row.Int(0);
  r.job_key = row.Text(1);
  r.scheduled_for = FromUnixMicros(row.Int(2));
  r.manual = row.Text(3) == "manual";
  r.requested_by = row.OptText("requested_by").value_or("");
  r.attempts = static_cast<int>(row.Int(6));
  r.status = RunStatusOf(row.Text(5), r.attempts);
  r.error = row.OptText("last_error").value_or("");
  if (auto started = row.OptInt("started_at_us")) r.started_at = FromUnixMicros(*started);
  if (auto finished = row.OptInt("finished_at_us")) r.finished_at = FromUnixMicros(*finished);
  if (r.started_at && r.finished_at) {
    r.duration_ms = (ToUnixMicros(*r.finished_at) - ToUnixMicros(*r.started_at)) / 1000;
  }
  if (auto done = row.OptInt("rows_done")) {
    JobProgress p;
    p.done = *done;
    p.total = row.OptInt("rows_total");
    p.updated_at = FromUnixMicros(row.OptInt("progress_at_us").value_or(0));
    if (r.started_at) {
      const double seconds =
          static_cast<double>(ToUnixMicros(p.updated_at) - ToUnixMicros(*r.started_at)) / 1e6;
      if (seconds > 0) p.rate_per_second = static_cast<double>(p.done) / seconds;
    }
    if (p.total && p.rate_per_second > 0 && *p.total >= p.done) {
      p.eta_seconds = std::llround(static_cast<double>(*p.total - p.done) / p.rate_per_second);
    }
    r.progress = p;
  }
  return r;
}

Error RunNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, {"任务执行记录 " + std::to_string(id) + " 不存在",
                                          "Job run " + std::to_string(id) + " does not exist"});
}

// "kind IN (?, ?)" over the registered names.
void InCondition(std::string_view column, const std::vector<std::string>& names,
                 std::string& condition, storage::Params& params) {
  condition = std::string(column) + " IN (";
  params.clear();
  for (const std::string& name : names) {
    condition += params.empty() ? "?" : ", ?";
    params.push_back(name);
  }
  condition += ")";
}

bool MondayToFriday(Date date) {
  const int weekday = ((date.days_since_epoch() % 7) + 7 + 4) % 7;  // 1970-01-01: Thursday
  return weekday != 0 && weekday != 6;
}

}  // namespace

std::string_view TimerStatusName(TimerStatus status) {
  for (const auto& [s, name] : kTimerStatusNames) {
    if (s == status) return name;
  }
  return "pending";
}

std::string_view CatchUpName(CatchUp catch_up) {
  return catch_up == CatchUp::kOnce ? "once" : "every";
}

std::string_view JobRunStatusName(JobRunStatus status) {
  for (const auto& [s, name] : kRunStatusNames) {
    if (s == status) return name;
  }
  return "pending";
}

std::optional<JobRunStatus> JobRunStatusFromName(std::string_view name) {
  for (const auto& [s, n] : kRunStatusNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

Result<int64_t> Timers::Schedule(Tx& tx, Instant now, const TimerSpec& spec) const {
  if (spec.owner_type.empty() || spec.owner_id.empty() || spec.kind.empty() ||
      spec.fire_at.time_since_epoch().count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     {"定时器缺少所属对象、类型或触发时间",
                      "A timer needs an owner, a kind and a time to fire"});
  }
  storage::Params params{
      spec.owner_type,
      spec.owner_id,
      spec.kind,
      ToUnixMicros(spec.fire_at),
      boost::json::serialize(spec.payload),
      spec.dedup_key.empty() ? storage::Value(storage::Null{}) : storage::Value(spec.dedup_key),
      ToUnixMicros(spec.fire_at),
      ToUnixMicros(now)};
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   tx.InsertUnlessTaken("INSERT INTO timers (owner_type, owner_id, kind, "
                                        "fire_at_us, payload, dedup_key, status, due_at_us, "
                                        "created_at_us) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                                        params));
  if (id) return *id;
  ASSIGN_OR_RETURN(auto existing,
                   tx.QueryOne("SELECT id FROM timers WHERE dedup_key = ?", {spec.dedup_key}));
  if (!existing) return Internal("timer insert conflicted without a dedup key");
  return existing->Int(0);
}

Result<int64_t> Timers::Cancel(Tx& tx, Instant now, std::string_view owner_type,
                               std::string_view owner_id, std::string_view kind) const {
  std::string sql =
      "UPDATE timers SET status = 'cancelled', lease_owner = NULL, finished_at_us = ? "
      "WHERE owner_type = ? AND owner_id = ? AND status = 'pending'";
  storage::Params params{ToUnixMicros(now), std::string(owner_type), std::string(owner_id)};
  if (!kind.empty()) {
    sql += " AND kind = ?";
    params.push_back(std::string(kind));
  }
  return tx.Execute(sql, params);
}

Result<std::vector<TimerRecord>> Timers::ForOwner(Tx& tx, std::string_view owner_type,
                                                  std::string_view owner_id) const {
  ASSIGN_OR_RETURN(storage::Rows rows,
                   tx.Query(std::string(kTimerSelect) +
                                " WHERE owner_type = ? AND owner_id = ? ORDER BY id DESC",
                            {std::string(owner_type), std::string(owner_id)}));
  std::vector<TimerRecord> timers;
  for (const storage::Row& row : rows) timers.push_back(TimerFromRow(row));
  return timers;
}

Result<TimerRecord> Timers::Get(Tx& tx, int64_t id) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kTimerSelect) + " WHERE id = ?", {id}));
  if (!row) {
    return MakeError(ErrorCode::kNotFound, {"定时器 " + std::to_string(id) + " 不存在",
                                            "Timer " + std::to_string(id) + " does not exist"});
  }
  return TimerFromRow(*row);
}

// One claimed job run, as its code sees it.
class Scheduler::ClaimedRun final : public JobRun {
 public:
  ClaimedRun(Scheduler& scheduler, const RegisteredJob& job, int64_t id, Instant scheduled_for,
             int attempt, bool manual, std::string token)
      : scheduler_(scheduler),
        job_(job),
        id_(id),
        scheduled_for_(scheduled_for),
        attempt_(attempt),
        manual_(manual),
        token_(std::move(token)),
        idem_key_("job:" + job.spec.key + ":" + std::to_string(ToUnixMicros(scheduled_for))) {}

  int64_t id() const override { return id_; }
  Instant scheduled_for() const override { return scheduled_for_; }
  int attempt() const override { return attempt_; }
  bool manual() const override { return manual_; }
  const std::string& idem_key() const override { return idem_key_; }
  bool stopping() const override { return scheduler_.job_worker_.stopping(); }
  const std::string& token() const { return token_; }
  const RegisteredJob& job() const { return job_; }

  Status ReportProgress(int64_t done, std::optional<int64_t> total) override {
    const Instant now = scheduler_.clock_.Now();
    const bool finished = total && done >= *total;
    if (last_report_ && now - *last_report_ < std::chrono::seconds(1) && !finished) return Ok();
    last_report_ = now;
    return scheduler_.db_.Write([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(
          int64_t held,
          tx.Execute("UPDATE job_runs SET rows_done = ?, rows_total = ?, progress_at_us = ?, "
                     "due_at_us = ? WHERE id = ? AND lease_owner = ? AND status = 'leased'",
                     {done, total ? storage::Value(*total) : storage::Value(storage::Null{}),
                      ToUnixMicros(now), ToUnixMicros(now + job_.spec.lease), id_, token_}));
      if (held == 0) {
        return MakeError(ErrorCode::kAborted, {"任务执行已被其他节点接管",
                                               "The job run was taken over by another node"});
      }
      return Ok();
    });
  }

 private:
  Scheduler& scheduler_;
  const RegisteredJob& job_;
  const int64_t id_;
  const Instant scheduled_for_;
  const int attempt_;
  const bool manual_;
  const std::string token_;
  const std::string idem_key_;
  std::optional<Instant> last_report_;
};

Scheduler::Scheduler(storage::Db& db, const Clock& clock, SchedulerOptions options)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      jitter_(std::random_device{}()),
      timer_worker_([this] { return FireDueTimers(); }, options_.idle_wait),
      job_worker_([this] { return RunDueJob(); }, options_.idle_wait) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::RegisterTimer(std::string kind, TimerHandler handle) {
  timer_handlers_.emplace(std::move(kind), std::move(handle));
  std::vector<std::string> kinds;
  for (const auto& [kind_name, unused] : timer_handlers_) kinds.push_back(kind_name);
  InCondition("kind", kinds, timer_condition_, timer_params_);
}

Status Scheduler::RegisterJob(JobSpec spec) {
  ASSIGN_OR_RETURN(CronSchedule schedule, CronSchedule::Parse(spec.schedule, "schedule"));
  if (jobs_.contains(spec.key)) {
    return MakeError(ErrorCode::kAlreadyExists, {"后台任务 " + spec.key + " 重复登记",
                                                 "Job " + spec.key + " is registered twice"});
  }
  std::string key = spec.key;
  jobs_.emplace(key, RegisteredJob{.spec = std::move(spec), .schedule = std::move(schedule)});
  std::vector<std::string> keys;
  for (const auto& [job_key, unused] : jobs_) keys.push_back(job_key);
  InCondition("job_key", keys, job_condition_, job_params_);
  earliest_planned_.reset();
  return Ok();
}

std::optional<Instant> Scheduler::NextFiring(const RegisteredJob& job, Instant after) const {
  if (!job.spec.working_days_only) return job.schedule.NextAfter(after, options_.zone);
  return job.schedule.NextAfter(after, options_.zone,
                                options_.working_day ? options_.working_day : MondayToFriday);
}

Status Scheduler::PlanDueJobs(Tx& tx, Instant now) {
  const int64_t now_us = ToUnixMicros(now);
  ASSIGN_OR_RETURN(storage::Rows rows,
                   tx.Query("SELECT job_key, next_fire_at_us FROM job_schedules"));
  std::map<std::string, int64_t, std::less<>> planned;
  for (const storage::Row& row : rows) planned.emplace(row.Text(0), row.Int(1));

  std::optional<Instant> earliest;
  auto note = [&](std::optional<Instant> next) {
    if (next && (!earliest || *next < *earliest)) earliest = next;
  };
  for (const auto& [key, job] : jobs_) {
    auto found = planned.find(key);
    if (found == planned.end()) {
      // A job new to this database starts from now: there is nothing to catch up on.
      auto next = NextFiring(job, now);
      if (!next) continue;
      RETURN_IF_ERROR(tx.Execute(
          "INSERT INTO job_schedules (job_key, next_fire_at_us, updated_at_us) VALUES (?, ?, ?) "
          "ON CONFLICT DO NOTHING",
          {key, ToUnixMicros(*next), now_us}));
      note(next);
      continue;
    }
    const int64_t due_us = found->second;
    if (due_us > now_us) {
      note(FromUnixMicros(due_us));
      continue;
    }
    std::vector<Instant> missed{FromUnixMicros(due_us)};
    while (static_cast<int>(missed.size()) < options_.max_catch_up) {
      auto next = NextFiring(job, missed.back());
      if (!next || *next > now) break;
      missed.push_back(*next);
    }
    auto next = NextFiring(job, now);
    // Compare-and-set: of the nodes that saw this firing due, one moves the schedule on and
    // inserts the runs; the others find the schedule moved and leave it.
    ASSIGN_OR_RETURN(int64_t moved,
                     tx.Execute("UPDATE job_schedules SET next_fire_at_us = ?, updated_at_us = ? "
                                "WHERE job_key = ? AND next_fire_at_us = ?",
                                {next ? ToUnixMicros(*next) : std::numeric_limits<int64_t>::max(),
                                 now_us, key, due_us}));
    note(next);
    if (moved == 0) continue;
    if (job.spec.catch_up == CatchUp::kOnce) missed = {missed.back()};
    for (Instant firing : missed) {
      RETURN_IF_ERROR(tx.Execute(
          "INSERT INTO job_runs (job_key, scheduled_for_us, trigger_kind, status, due_at_us, "
          "created_at_us) VALUES (?, ?, 'schedule', 'pending', ?, ?) ON CONFLICT DO NOTHING",
          {key, ToUnixMicros(firing), now_us, now_us}));
    }
    job_worker_.Wake();
  }
  earliest_planned_ = earliest;
  return Ok();
}

Result<int> Scheduler::FireDueTimers() {
  const Instant now = clock_.Now();
  if (!jobs_.empty() && (!earliest_planned_ || *earliest_planned_ <= now)) {
    RETURN_IF_ERROR(db_.Write([&](Tx& tx) { return PlanDueJobs(tx, now); }));
  }
  return FireTimerBatch();
}

Result<int> Scheduler::FireTimerBatch() {
  if (timer_handlers_.empty()) return 0;
  const std::string token = NewLeaseToken(options_.node);
  std::vector<FiredTimer> fired;
  RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    fired.clear();
    ASSIGN_OR_RETURN(std::vector<Claimed> claimed,
                     timer_queue_.Claim(tx, clock_.Now(), options_.timer_lease, token,
                                        options_.batch, timer_condition_, timer_params_));
    if (claimed.empty()) return Ok();
    std::string sql = std::string(kTimerSelect) + " WHERE id IN (";
    storage::Params params;
    for (const Claimed& c : claimed) {
      sql += params.empty() ? "?" : ", ?";
      params.push_back(c.id);
    }
    ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql + ") ORDER BY id", params));
    for (size_t i = 0; i < rows.size(); ++i) {
      TimerRecord timer = TimerFromRow(rows[i]);
      std::string key = "timer:" + std::to_string(timer.id);
      fired.push_back(
          {.timer = std::move(timer), .attempt = claimed[i].attempts, .idem_key = std::move(key)});
    }
    return Ok();
  }));
  if (fired.empty()) return 0;

  std::vector<int64_t> done;
  std::vector<int64_t> unfired;
  std::vector<std::pair<const FiredTimer*, std::string>> failed;
  for (const FiredTimer& t : fired) {
    if (timer_worker_.stopping()) {
      unfired.push_back(t.timer.id);  // back to the queue, for this node's restart or another
      continue;
    }
    Status outcome = timer_handlers_.at(t.timer.kind)(t);
    if (outcome) {
      done.push_back(t.timer.id);
    } else {
      failed.emplace_back(&t, FailureText(outcome.error()));
    }
  }
  RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    const Instant now = clock_.Now();
    RETURN_IF_ERROR(timer_queue_.Complete(tx, now, done, token));
    RETURN_IF_ERROR(timer_queue_.Release(tx, now, unfired, token));
    std::lock_guard lock(jitter_mu_);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (const auto& [t, error] : failed) {
      RETURN_IF_ERROR(timer_queue_.Fail(tx, now, t->timer.id, t->attempt, token, error,
                                        options_.timer_retry, unit(jitter_)));
    }
    return Ok();
  }));
  return static_cast<int>(fired.size());
}

Result<int> Scheduler::RunDueJob() {
  if (jobs_.empty()) return 0;
  const std::string token = NewLeaseToken(options_.node);
  std::optional<ClaimedRun> run;
  RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    run.reset();
    // The longest lease of the registered jobs: the run's own is set as soon as it is known.
    std::chrono::microseconds lease{0};
    for (const auto& [key, job] : jobs_) lease = std::max(lease, job.spec.lease);
    ASSIGN_OR_RETURN(
        std::vector<Claimed> claimed,
        run_queue_.Claim(tx, clock_.Now(), lease, token, 1, job_condition_, job_params_));
    if (claimed.empty()) return Ok();
    ASSIGN_OR_RETURN(auto row,
                     tx.QueryOne(std::string(kRunSelect) + " WHERE id = ?", {claimed[0].id}));
    if (!row) return Internal("claimed job run disappeared");
    JobRunRecord record = RunFromRow(*row);
    const RegisteredJob& job = jobs_.at(record.job_key);
    const Instant now = clock_.Now();
    RETURN_IF_ERROR(
        tx.Execute("UPDATE job_runs SET started_at_us = ?, finished_at_us = NULL, due_at_us = ?, "
                   "rows_done = NULL, rows_total = NULL, progress_at_us = NULL WHERE id = ?",
                   {ToUnixMicros(now), ToUnixMicros(now + job.spec.lease), record.id}));
    run.emplace(*this, job, record.id, record.scheduled_for, claimed[0].attempts, record.manual,
                token);
    return Ok();
  }));
  if (!run) return 0;

  const RegisteredJob& job = run->job();
  Status outcome = job.spec.run(*run);
  RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    const Instant now = clock_.Now();
    const std::vector<int64_t> ids{run->id()};
    // A run cut short by the shutdown is not a failure: it goes back to the queue as it was.
    if (!outcome && run->stopping()) {
      RETURN_IF_ERROR(run_queue_.Release(tx, now, ids, run->token()));
    } else if (outcome) {
      RETURN_IF_ERROR(run_queue_.Complete(tx, now, ids, run->token()));
    } else {
      std::lock_guard lock(jitter_mu_);
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      RETURN_IF_ERROR(run_queue_.Fail(tx, now, run->id(), run->attempt(), run->token(),
                                      FailureText(outcome.error()), job.spec.retry, unit(jitter_)));
    }
    return Ok();
  }));
  return 1;
}

void Scheduler::Start() {
  timer_worker_.Start();
  job_worker_.Start();
}

void Scheduler::Stop() {
  timer_worker_.Stop();
  job_worker_.Stop();
}

void Scheduler::Wake() {
  earliest_planned_.reset();
  timer_worker_.Wake();
  job_worker_.Wake();
}

Result<std::vector<JobInfo>> Scheduler::Jobs() const {
  return db_.ReadValue<std::vector<JobInfo>>([&](Tx& tx) -> Result<std::vector<JobInfo>> {
    std::vector<JobInfo> jobs;
    for (const auto& [key, job] : jobs_) {
      JobInfo info{.key = key,
                   .label = job.spec.label,
                   .schedule = job.schedule.text(),
                   .schedule_label = job.schedule.Describe(),
                   .catch_up = job.spec.catch_up,
                   .working_days_only = job.spec.working_days_only};
      if (job.spec.working_days_only) {
        info.schedule_label.zh_cn += "（仅工作日）";
        info.schedule_label.en_us += " (working days only)";
      }
      ASSIGN_OR_RETURN(auto next, tx.QueryOne("SELECT next_fire_at_us FROM job_schedules "
                                              "WHERE job_key = ?",
                                              {key}));
      if (next && next->Int(0) != std::numeric_limits<int64_t>::max()) {
        info.next_fire_at = FromUnixMicros(next->Int(0));
      } else if (!next) {
        info.next_fire_at = NextFiring(job, clock_.Now());
      }
      ASSIGN_OR_RETURN(auto last, tx.QueryOne(std::string(kRunSelect) +
                                                  " WHERE job_key = ? ORDER BY id DESC LIMIT 1",
                                              {key}));
      if (last) info.last_run = RunFromRow(*last);
      jobs.push_back(std::move(info));
    }
    return jobs;
  });
}

Result<std::vector<JobRunRecord>> Scheduler::Runs(const JobRunFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidField("limit", "out_of_range",
                        {"limit 须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  if (!filter.job_key.empty() && !jobs_.contains(filter.job_key)) {
    return InvalidField(
        "job", "unknown_job",
        {"没有名为 " + filter.job_key + " 的后台任务", "There is no job named " + filter.job_key});
  }
  std::string sql = std::string(kRunSelect) + " WHERE 1 = 1";
  storage::Params params;
  if (!filter.job_key.empty()) {
    sql += " AND job_key = ?";
    params.push_back(filter.job_key);
  }
  if (filter.status) {
    switch (*filter.status) {
      case JobRunStatus::kPending:
        sql += " AND status = 'pending' AND attempts = 0";
        break;
      case JobRunStatus::kFailed:
        sql += " AND status = 'pending' AND attempts > 0";
        break;
      case JobRunStatus::kRunning:
        sql += " AND status = 'leased'";
        break;
      case JobRunStatus::kSucceeded:
        sql += " AND status = 'done'";
        break;
      case JobRunStatus::kDead:
        sql += " AND status = 'dead'";
        break;
    }
  }
  if (filter.before_id) {
    sql += " AND id < ?";
    params.push_back(*filter.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(static_cast<int64_t>(filter.limit));
  return db_.ReadValue<std::vector<JobRunRecord>>([&](Tx& tx) -> Result<std::vector<JobRunRecord>> {
    ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
    std::vector<JobRunRecord> runs;
    for (const storage::Row& row : rows) runs.push_back(RunFromRow(row));
    return runs;
  });
}

Result<JobRunRecord> Scheduler::GetRun(Tx& tx, int64_t id) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kRunSelect) + " WHERE id = ?", {id}));
  if (!row) return RunNotFound(id);
  return RunFromRow(*row);
}

Result<JobRunRecord> Scheduler::RunNow(Tx& tx, const audit::AuditLog& audit,
                                       const audit::Actor& actor, std::string_view key) const {
  auto job = jobs_.find(std::string(key));
  if (job == jobs_.end()) {
    return MakeError(ErrorCode::kNotFound, {"没有名为 " + std::string(key) + " 的后台任务",
                                            "There is no job named " + std::string(key)});
  }
  const int64_t now_us = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(storage::Rows rows,
                   tx.Query("INSERT INTO job_runs (job_key, scheduled_for_us, trigger_kind, "
                            "requested_by, status, due_at_us, created_at_us) "
                            "VALUES (?, ?, 'manual', ?, 'pending', ?, ?) "
                            "ON CONFLICT DO NOTHING RETURNING id",
                            {std::string(key), now_us, actor.username, now_us, now_us}));
  if (rows.empty()) {
    return MakeError(ErrorCode::kAborted,
                     {"同一时刻已有该任务的执行，请稍后再试",
                      "A run of this job was asked for at the same instant; try again"});
  }
  const int64_t id = rows.front().Int(0);
  RETURN_IF_ERROR(audit.Append(tx, actor,
                               {.action = audit::Action::kJobRunRequested,
                                .entity_type = "job",
                                .entity_id = std::string(key),
                                .detail = std::to_string(id)}));
  return GetRun(tx, id);
}

std::vector<storage::Migration> SchedulerMigrations() {
  // Frozen text: a change to these tables needs a migration of its own.
  return {{.id = "runtime_0002_timers_and_jobs", .sql = R"sql(
CREATE TABLE timers (
  id {{id}},
  owner_type TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  fire_at_us {{bigint}} NOT NULL,
  payload TEXT NOT NULL,
  dedup_key TEXT UNIQUE,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at_us {{bigint}} NOT NULL,
  lease_owner TEXT,
  last_error TEXT,
  created_at_us {{bigint}} NOT NULL,
  finished_at_us {{bigint}}
);
CREATE INDEX timers_due ON timers (due_at_us, id) WHERE status IN ('pending', 'leased');
CREATE INDEX timers_by_owner ON timers (owner_type, owner_id, id);

CREATE TABLE job_schedules (
  job_key TEXT PRIMARY KEY,
  next_fire_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL
);

CREATE TABLE job_runs (
  id {{id}},
  job_key TEXT NOT NULL,
  scheduled_for_us {{bigint}} NOT NULL,
  trigger_kind TEXT NOT NULL,
  requested_by TEXT,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at_us {{bigint}} NOT NULL,
  lease_owner TEXT,
  last_error TEXT,
  started_at_us {{bigint}},
  finished_at_us {{bigint}},
  rows_done {{bigint}},
  rows_total {{bigint}},
  progress_at_us {{bigint}},
  created_at_us {{bigint}} NOT NULL,
  UNIQUE (job_key, scheduled_for_us)
);
CREATE INDEX job_runs_due ON job_runs (due_at_us, id) WHERE status IN ('pending', 'leased');
CREATE INDEX job_runs_by_job ON job_runs (job_key, id);
)sql"}};
}

}  // namespace oc::runtime
