// The engine runtime's speed (issue 14, "Speed"), in four phases, each repetition over a fresh
// SQLite database file with synchronous=FULL and every migration applied (through Application,
// as the server opens it); each phase prints the median of its repetitions:
//   append    events appended alongside their changes: each write transaction of a batch upserts
//             rows of a scratch table (standing for the records) and appends one event per
//             change, with one consumer subscribed to every event, so each append also writes its
//             outbox row; prints events per second.
//   dispatch  N pending outbox rows, made by append-phase transactions (not timed), delivered by
//             a Dispatcher (batch 500) to an in-process consumer that does trivial work, calling
//             DispatchOnce() until it claims nothing; prints deliveries per second.
//   timers    T timers scheduled for the same instant, then fired (a) by
//             Scheduler::FireDueTimers() in a loop under a clock the bench sets to that instant,
//             and (b) by the scheduler's own thread (Start, its default idle wait, the system
//             clock), which counts the wait for the thread's next round too; each from the due
//             instant to the T-th handler call; prints seconds.
//   create    the cost of one event append within a customer create. CustomerService::Create
//             always appends `customer.created` and offers no way to skip it, so the bench pairs
//             (A) Create in a unit of work of its own with (B) the same Create plus one more
//             EventLog::Append of a `customer.created`-sized event in that unit, interleaved
//             A B A B …, each timed to its commit; prints the median of the per-pair ratios
//             (B - A) / A: what one append adds to a create. The same pairs are also timed
//             inside the transaction only, since the commit's fsync can hide everything else.
//
// Usage: runtime_load --work DIR [--reps R] [--events N] [--batch B] [--deliveries N]
//                     [--timers T] [--pairs P] [--phases append,dispatch,timers,create]
// Exits non-zero when a phase cannot run or its work comes out wrong (a delivery or timer
// missing); goals missed are reported, not fatal.

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/demo_vocabulary.h"
#include "audit/audit_log.h"
#include "auth/password.h"
#include "auth/session_service.h"
#include "core/china_regions.h"
#include "core/clock.h"
#include "core/date.h"
#include "crypto/field_cipher.h"
#include "customers/customer_service.h"
#include "forms/entity_registry.h"
#include "runtime/event_log.h"
#include "runtime/outbox.h"
#include "runtime/scheduler.h"
#include "storage/unit_of_work.h"

namespace oc::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using namespace app::demo_vocabulary;

constexpr char kConsumer[] = "bench.consumer";
constexpr char kTimerKind[] = "bench.timer";

template <class T, size_t N>
constexpr size_t Count(const T (&)[N]) {
  return N;
}

struct Options {
  std::filesystem::path work;
  int reps = 5;
  int64_t events = 50000;
  int batch = 500;
  int64_t deliveries = 50000;
  int timers = 5000;
  int pairs = 500;
  std::string phases = "append,dispatch,timers,create";
};

[[noreturn]] void Fail(const std::string& what, const Error& error) {
  std::fprintf(stderr, "runtime_load: %s: %s %s\n", what.c_str(), error.message.en_us.c_str(),
               error.internal_detail.c_str());
  std::exit(1);
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "runtime_load: %s\n", what.c_str());
  std::exit(1);
}

app::Config BenchConfig(const std::filesystem::path& data_dir) {
  app::Config config;
  config.listen = "127.0.0.1:0";
  config.data_dir = data_dir.string();
  config.sqlite_synchronous = "full";
  config.access_log = false;
  // Sign-in is not what is measured: the cheapest argon2 cost the configuration takes.
  config.password_hash_memory_kib = 256;
  config.password_hash_passes = 1;
  return config;
}

std::shared_ptr<spdlog::logger> QuietLog() {
  return std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
}

// A fresh server database, every migration applied; with `seed`, the demo organisation (no
// customers). The Application is never started, so its own dispatcher and scheduler stay idle.
std::unique_ptr<app::Application> FreshApplication(const app::Config& config,
                                                   const oc::Clock& clock, bool seed) {
  std::filesystem::remove_all(config.data_dir);
  auto db = app::OpenDatabase(config);
  if (!db) Fail("open database", db.error());
  auto application =
      app::Application::Create(config, std::move(*db), clock, {.app = QuietLog(), .access = {}});
  if (!application) Fail("start application", application.error());
  if (seed) {
    auto seeded = (*application)->SeedDemoIfEmpty(/*with_customers=*/false);
    if (!seeded) Fail("seed", seeded.error());
  }
  return std::move(*application);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string Joined(const std::vector<double>& values, const char* format) {
  std::string out;
  for (double v : values) {
    char text[32];
    std::snprintf(text, sizeof text, format, v);
    out += (out.empty() ? "" : ", ") + std::string(text);
  }
  return out;
}

// One consumer of every event, so each append writes one outbox row as well.
struct EventSetup {
  explicit EventSetup(const oc::Clock& clock) : events(clock, subscriptions) {}
  runtime::Subscriptions subscriptions;
  runtime::EventLog events;
};

// The records the changes of the append phase stand for.
void CreateScratchTable(storage::Db& db) {
  auto created = db.Write([](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(
        tx.Execute("CREATE TABLE bench_records (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
                   "note TEXT NOT NULL)"));
    return Ok();
  });
  if (!created) Fail("scratch table", created.error());
}

// `count` changes with their events, `batch` to a write transaction: each change upserts one of
// 10,000 records and appends `bench_record.updated`.
void AppendChanges(storage::Db& db, const runtime::EventLog& events, int64_t count, int batch) {
  constexpr int64_t kRecords = 10000;
  const audit::Actor actor{.user_id = std::nullopt,
                           .username = "bench",
                           .request_id = "bench",
                           .client_ip = "127.0.0.1"};
  for (int64_t from = 0; from < count; from += batch) {
    const int64_t to = std::min(count, from + batch);
    auto written = db.Write([&](storage::Tx& tx) -> Status {
      for (int64_t i = from; i < to; ++i) {
        const int64_t record = i % kRecords;
        const std::string note = "note " + std::to_string(i);
        RETURN_IF_ERROR(
            tx.Execute("INSERT INTO bench_records (id, version, note) VALUES (?, 1, ?) "
                       "ON CONFLICT (id) DO UPDATE SET version = bench_records.version + 1, "
                       "note = excluded.note",
                       {record, note}));
        json::array changes{runtime::RecordChange(
            "note", json::value("note " + std::to_string(i - kRecords)), json::value(note))};
        RETURN_IF_ERROR(events.Append(tx, actor,
                                      {.stream_type = "bench_record",
                                       .stream_id = std::to_string(record),
                                       .type = "bench_record.updated",
                                       .payload = {{"changes", std::move(changes)}}}));
      }
      return Ok();
    });
    if (!written) Fail("append", written.error());
  }
}

// ---- phase 1: append ----

void AppendPhase(const Options& options) {
  SystemClock clock;
  std::vector<double> rates;
  for (int rep = 0; rep < options.reps; ++rep) {
    app::Config config = BenchConfig(options.work / ("append-" + std::to_string(rep)));
    auto application = FreshApplication(config, clock, /*seed=*/false);
    storage::Db& db = application->db();
    CreateScratchTable(db);
    EventSetup setup(clock);
    setup.subscriptions.Subscribe(kConsumer, "*");
    auto start = Clock::now();
    AppendChanges(db, setup.events, options.events, options.batch);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    rates.push_back(static_cast<double>(options.events) / seconds);
    application.reset();
    std::filesystem::remove_all(config.data_dir);
  }
  std::printf(
      "append: %lld events per run in batches of %d, 1 consumer (outbox row each), "
      "%d runs: median %.0f events/s (goal >= 20000); runs: %s\n",
      static_cast<long long>(options.events), options.batch, options.reps, Median(rates),
      Joined(rates, "%.0f").c_str());
  std::fflush(stdout);
}

// ---- phase 2: dispatch ----

void DispatchPhase(const Options& options) {
  SystemClock clock;
  std::vector<double> rates;
  for (int rep = 0; rep < options.reps; ++rep) {
    app::Config config = BenchConfig(options.work / ("dispatch-" + std::to_string(rep)));
    auto application = FreshApplication(config, clock, /*seed=*/false);
    storage::Db& db = application->db();
    CreateScratchTable(db);
    EventSetup setup(clock);
    setup.subscriptions.Subscribe(kConsumer, "*");
    AppendChanges(db, setup.events, options.deliveries, options.batch);

    runtime::Dispatcher dispatcher(db, clock, setup.events, {.node = "bench", .batch = 500});
    int64_t delivered = 0;
    int64_t seq_sum = 0;
    dispatcher.Register(kConsumer, [&](const runtime::Delivery& delivery) -> Status {
      ++delivered;
      seq_sum += delivery.event.seq;
      return Ok();
    });
    int64_t claimed = 0;
    auto start = Clock::now();
    for (;;) {
      auto n = dispatcher.DispatchOnce();
      if (!n) Fail("dispatch", n.error());
      if (*n == 0) break;
      claimed += *n;
    }
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    auto done = db.ReadValue<int64_t>([](storage::Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM outbox WHERE status = 'done'"));
      return row->Int(0);
    });
    if (!done) Fail("count deliveries", done.error());
    if (delivered != options.deliveries || claimed != options.deliveries ||
        *done != options.deliveries || seq_sum <= 0) {
      Fail("dispatch: " + std::to_string(delivered) + " delivered, " + std::to_string(claimed) +
           " claimed, " + std::to_string(*done) + " done of " + std::to_string(options.deliveries));
    }
    rates.push_back(static_cast<double>(delivered) / seconds);
    application.reset();
    std::filesystem::remove_all(config.data_dir);
  }
  std::printf(
      "dispatch: %lld pending deliveries per run, batch 500, %d runs: median %.0f "
      "deliveries/s (goal >= 10000); runs: %s\n",
      static_cast<long long>(options.deliveries), options.reps, Median(rates),
      Joined(rates, "%.0f").c_str());
  std::fflush(stdout);
}

// ---- phase 3: timers ----

// `count` timers of kTimerKind, all due at `due`, scheduled at `now` in one transaction.
void ScheduleTimers(storage::Db& db, Instant now, Instant due, int count) {
  runtime::Timers timers;
  auto scheduled = db.Write([&](storage::Tx& tx) -> Status {
    for (int i = 0; i < count; ++i) {
      RETURN_IF_ERROR(timers.Schedule(tx, now,
                                      {.owner_type = "bench_record",
                                       .owner_id = std::to_string(i),
                                       .kind = kTimerKind,
                                       .fire_at = due,
                                       .payload = {{"n", i}}}));
    }
    return Ok();
  });
  if (!scheduled) Fail("schedule timers", scheduled.error());
}

// Under a clock the bench sets to the due instant, FireDueTimers() in a loop: the time the
// scheduler needs to fire them all, from the instant they are due.
double TimersInLoop(const Options& options, int rep) {
  SystemClock system_clock;
  app::Config config = BenchConfig(options.work / ("timers-" + std::to_string(rep)));
  auto application = FreshApplication(config, system_clock, /*seed=*/false);
  storage::Db& db = application->db();
  const Instant due = std::chrono::floor<std::chrono::seconds>(system_clock.Now());
  FakeClock clock(due - std::chrono::seconds(1));
  ScheduleTimers(db, clock.Now(), due, options.timers);

  double seconds = 0;
  {
    runtime::Scheduler scheduler(db, clock, {.node = "bench", .batch = 500});
    int fired = 0;
    Clock::time_point last_fired;
    scheduler.RegisterTimer(kTimerKind, [&](const runtime::FiredTimer&) -> Status {
      if (++fired == options.timers) last_fired = Clock::now();
      return Ok();
    });
    // Nothing is due yet: a first round prepares the statements, as a running node's have been.
    auto early = scheduler.FireDueTimers();
    if (!early) Fail("fire timers", early.error());
    if (*early != 0) Fail("a timer fired before it was due");

    clock.Set(due);
    auto start = Clock::now();
    for (;;) {
      auto n = scheduler.FireDueTimers();
      if (!n) Fail("fire timers", n.error());
      if (*n == 0) break;
    }
    if (fired != options.timers) {
      Fail("timers: " + std::to_string(fired) + " fired of " + std::to_string(options.timers));
    }
    seconds = std::chrono::duration<double>(last_fired - start).count();
  }
  application.reset();
  std::filesystem::remove_all(config.data_dir);
  return seconds;
}

// As a server runs it: the scheduler's own thread, with its default idle wait and the system
// clock, the timers due at the start of a second at least one second away. From that instant to
// the last handler call, so the wait for the thread's next round is counted.
double TimersOnThread(const Options& options, int rep) {
  SystemClock clock;
  app::Config config = BenchConfig(options.work / ("timers-thread-" + std::to_string(rep)));
  auto application = FreshApplication(config, clock, /*seed=*/false);
  storage::Db& db = application->db();
  const Instant now = clock.Now();
  const auto steady_now = Clock::now();
  const Instant due = std::chrono::ceil<std::chrono::seconds>(now) + std::chrono::seconds(1);
  const Clock::time_point due_steady =
      steady_now + std::chrono::duration_cast<Clock::duration>(due - now);
  ScheduleTimers(db, now, due, options.timers);

  double seconds = 0;
  {
    runtime::Scheduler scheduler(db, clock, {.node = "bench", .batch = 500});
    std::mutex mu;
    std::condition_variable all_fired;
    int fired = 0;
    bool early = false;
    Clock::time_point last_fired;
    scheduler.RegisterTimer(kTimerKind, [&](const runtime::FiredTimer&) -> Status {
      auto at = Clock::now();
      std::lock_guard lock(mu);
      if (at < due_steady) early = true;
      if (++fired == options.timers) {
        last_fired = at;
        all_fired.notify_one();
      }
      return Ok();
    });
    scheduler.Start();
    {
      std::unique_lock lock(mu);
      if (!all_fired.wait_until(lock, due_steady + std::chrono::seconds(60),
                                [&] { return fired == options.timers; })) {
        Fail("timers: " + std::to_string(fired) + " of " + std::to_string(options.timers) +
             " fired within a minute of their due time");
      }
      if (early) Fail("a timer fired before it was due");
    }
    scheduler.Stop();
    seconds = std::chrono::duration<double>(last_fired - due_steady).count();
  }
  application.reset();
  std::filesystem::remove_all(config.data_dir);
  return seconds;
}

void TimersPhase(const Options& options) {
  std::vector<double> in_loop, on_thread;
  for (int rep = 0; rep < options.reps; ++rep) in_loop.push_back(TimersInLoop(options, rep));
  std::printf(
      "timers: %d timers due in the same instant, FireDueTimers() in a loop (batch 500) "
      "under a clock set to that instant, %d runs: median %.3f s from the due instant "
      "to the last handler call (goal <= 2 s); runs: %s\n",
      options.timers, options.reps, Median(in_loop), Joined(in_loop, "%.3f").c_str());
  std::fflush(stdout);
  for (int rep = 0; rep < options.reps; ++rep) on_thread.push_back(TimersOnThread(options, rep));
  std::printf(
      "timers: the same on the scheduler's own thread (Start, idle wait 1 s, system "
      "clock), %d runs: median %.3f s from the due instant to the last handler call "
      "(goal <= 2 s); runs: %s\n",
      options.reps, Median(on_thread), Joined(on_thread, "%.3f").c_str());
  std::fflush(stdout);
}

// ---- phase 4: create ----

int64_t UserIdOf(storage::Db& db, const std::string& username) {
  auto id = db.ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM users WHERE username = ?", {username}));
    if (!row) return NotFound({"无此用户", "no such user"});
    return row->Int(0);
  });
  if (!id) Fail("user " + username, id.error());
  return *id;
}

// Customer `i` of a run: a realistic individual whose ID number (region, birth date, sequence)
// and mobile are unique to `i`.
json::object Intake(uint64_t i, std::mt19937_64& rng) {
  auto pick = [&rng](const auto& items) {
    return items[std::uniform_int_distribution<size_t>(0, Count(items) - 1)(rng)];
  };
  const auto regions = DemoChinaRegions();
  const ChinaRegion& region = regions[i % regions.size()];
  const uint64_t rest = i / regions.size();
  const Date birth = Date::FromDays(0).AddDays(static_cast<int32_t>(rest / 1000));  // from 1970
  char phone[12];
  std::snprintf(phone, sizeof phone, "139%08llu", static_cast<unsigned long long>(i));
  return {{"type", "individual"},
          {"name", std::string(kSurnames[i % Count(kSurnames)]) + pick(kGivenNames)},
          {"id_number", MakeResidentIdNumber(region.code, birth, static_cast<int>(rest % 1000))},
          {"phone", phone},
          {"marital_status", pick(kMaritalStatuses)},
          {"education", pick(kEducation)},
          {"occupation", pick(kOccupations)},
          {"monthly_income",
           std::to_string(std::uniform_int_distribution<int>(3, 60)(rng) * 1000) + ".00"},
          {"province", std::string(region.province)},
          {"city", std::string(region.city)},
          {"district", std::string(region.district)},
          {"address_detail",
           std::string(region.district) + "幸福路" + std::to_string(1 + rng() % 300) + "号"},
          {"source_channel", pick(kChannels)},
          {"risk_level", pick(kRiskLevels)},
          {"status", pick(kStatuses)},
          {"tags", json::array{pick(kTags)}}};
}

void CreatePhase(const Options& options) {
  SystemClock clock;
  std::vector<double> ratios;  // every pair of every run
  std::vector<double> run_medians;
  std::vector<double> a_us, b_us;
  // The same pairs timed inside the transaction only, without the commit's fsync, which on
  // most disks dwarfs everything else a create does.
  std::vector<double> work_ratios, a_work_us, b_work_us;
  for (int rep = 0; rep < options.reps; ++rep) {
    app::Config config = BenchConfig(options.work / ("create-" + std::to_string(rep)));
    auto application = FreshApplication(config, clock, /*seed=*/true);
    storage::Db& db = application->db();
    auto log = QuietLog();
    auto keys = app::LoadKeys(config, *log);
    if (!keys) Fail("keys", keys.error());
    audit::AuditLog audit(clock, *keys->audit);
    forms::EntityRegistry registry(db, clock, audit);
    EventSetup setup(clock);
    setup.subscriptions.Subscribe(kConsumer, "*");
    customers::CustomerService service(db, clock, audit, setup.events, registry, *keys->cipher);
    auth::PasswordHasher hasher({.memory_kib = 256, .passes = 1, .lanes = 1});
    auth::SessionService sessions(db, clock, audit, hasher, {});
    auto owner = sessions.PrincipalOf(auth::UserId(UserIdOf(db, "am.zhang")));
    if (!owner) Fail("principal", owner.error());
    audit::Actor actor{.user_id = (*owner)->user_id.value(),
                       .username = "am.zhang",
                       .request_id = "bench",
                       .client_ip = "127.0.0.1"};
    std::mt19937_64 rng(rep);
    uint64_t next = 0;

    // (A) as the service runs it; (B) the same with one more append in its unit of work, shaped
    // like the `customer.created` the create appended.
    json::object extra_payload;
    struct Timing {
      double to_commit_us;
      double in_transaction_us;
    };
    auto create = [&](bool extra_append) {
      json::object input = Intake(next++, rng);
      Clock::time_point work_start, work_end;
      auto t0 = Clock::now();
      auto status = storage::UnitOfWork::Run(db, [&](storage::UnitOfWork& unit) -> Status {
        work_start = Clock::now();
        ASSIGN_OR_RETURN(json::object created, service.Create(unit, **owner, actor, input));
        if (extra_append) {
          RETURN_IF_ERROR(setup.events.Append(unit.tx(), actor,
                                              {.stream_type = "customer",
                                               .stream_id = json::serialize(created.at("id")),
                                               .type = "customer.bench_extra",
                                               .payload = extra_payload}));
        }
        work_end = Clock::now();
        return Ok();
      });
      auto t1 = Clock::now();
      if (!status) Fail("create customer", status.error());
      using Micros = std::chrono::duration<double, std::micro>;
      return Timing{Micros(t1 - t0).count(), Micros(work_end - work_start).count()};
    };

    // Warm-up, untimed: statements prepared, the entity cached, and the payload to copy.
    for (int i = 0; i < 20; ++i) create(false);
    auto created_events = setup.events.List(db, {.type = "customer.created", .limit = 1});
    if (!created_events) Fail("read customer.created", created_events.error());
    if (created_events->empty()) Fail("the create appended no customer.created");
    extra_payload = created_events->front().payload;

    std::vector<double> mine;
    for (int p = 0; p < options.pairs; ++p) {
      const Timing a = create(false);
      const Timing b = create(true);
      a_us.push_back(a.to_commit_us);
      b_us.push_back(b.to_commit_us);
      mine.push_back((b.to_commit_us - a.to_commit_us) / a.to_commit_us);
      a_work_us.push_back(a.in_transaction_us);
      b_work_us.push_back(b.in_transaction_us);
      work_ratios.push_back((b.in_transaction_us - a.in_transaction_us) / a.in_transaction_us);
    }
    run_medians.push_back(Median(mine) * 100);
    ratios.insert(ratios.end(), mine.begin(), mine.end());
  }  // the services end before the database they use
  for (int rep = 0; rep < options.reps; ++rep) {
    std::filesystem::remove_all(options.work / ("create-" + std::to_string(rep)));
  }
  const double a = Median(a_us), b = Median(b_us);
  const double a_work = Median(a_work_us), b_work = Median(b_work_us);
  std::printf(
      "create: method: the service cannot skip its own append, so (A) "
      "CustomerService::Create as is vs (B) the same create plus one extra "
      "EventLog::Append in its unit of work (1 consumer subscribed, so with its outbox "
      "row), pairs A B interleaved; %d pairs x %d runs\n",
      options.pairs, options.reps);
  std::printf(
      "  to the commit: median of per-pair (B-A)/A = %+.2f%% (goal < 5%%); runs: %s %%; "
      "median create A %.0f us, B %.0f us\n",
      Median(ratios) * 100, Joined(run_medians, "%+.2f").c_str(), a, b);
  std::printf(
      "  inside the transaction (no commit): median of per-pair (B-A)/A = %+.2f%%; "
      "median A %.0f us, B %.0f us\n",
      Median(work_ratios) * 100, a_work, b_work);
  std::fflush(stdout);
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--work") {
      options.work = value;
    } else if (flag == "--reps") {
      options.reps = std::stoi(value);
    } else if (flag == "--events") {
      options.events = std::stoll(value);
    } else if (flag == "--batch") {
      options.batch = std::stoi(value);
    } else if (flag == "--deliveries") {
      options.deliveries = std::stoll(value);
    } else if (flag == "--timers") {
      options.timers = std::stoi(value);
    } else if (flag == "--pairs") {
      options.pairs = std::stoi(value);
    } else if (flag == "--phases") {
      options.phases = value;
    } else {
      std::fprintf(stderr, "runtime_load: unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  if (options.work.empty() || options.reps < 1 || options.events <= 0 || options.batch <= 0 ||
      options.deliveries <= 0 || options.timers <= 0 || options.pairs <= 0) {
    std::fprintf(stderr,
                 "usage: runtime_load --work DIR [--reps R] [--events N] [--batch B] "
                 "[--deliveries N] [--timers T] [--pairs P] "
                 "[--phases append,dispatch,timers,create]\n");
    std::exit(2);
  }
  return options;
}

}  // namespace
}  // namespace oc::bench

int main(int argc, char** argv) {
  using namespace oc::bench;
  Options options = Parse(argc, argv);
  auto has = [&](const char* phase) { return options.phases.find(phase) != std::string::npos; };
  if (has("append")) AppendPhase(options);
  if (has("dispatch")) DispatchPhase(options);
  if (has("timers")) TimersPhase(options);
  if (has("create")) CreatePhase(options);
  return 0;
}
