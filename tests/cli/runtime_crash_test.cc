// The engine runtime surviving what production does to it (issue 14): `opencredit serve` killed
// with SIGKILL in the middle of dispatching 10,000 events to a webhook, and a to-do's deadline
// passing while the server is down; then two servers on one PostgreSQL database dispatching the
// same outbox and running the same scheduler.
//
// The webhook receiver is a real HTTP server in this process that deduplicates by Idempotency-Key,
// as real gateways do: what counts is that every key takes effect exactly once. Redeliveries
// after the crash are counted and printed.

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "app/application.h"
#include "app/config.h"
#include "http/json.h"
#include "http/server.h"
#include "runtime/event_log.h"
#include "storage/testing/test_databases.h"
#include "storage/unit_of_work.h"
#include "test_client.h"
#include "test_process.h"

namespace oc::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr char kPassword[] = "Operator-Chosen-2026";
constexpr char kTickType[] = "crash_test.tick";

// A webhook receiver: counts every call per Idempotency-Key and acts on each key once.
class Sink {
 public:
  Sink() {
    router_.Add(http::Method::kPost, "/hook", [this](http::Request& request) {
      const std::string key(request.Header("Idempotency-Key").value_or(""));
      std::unique_lock lock(mu_);
      if (calls_ >= hold_after_) {
        ++held_;
        released_cv_.wait_for(lock, 60s, [this] { return released_; });
      }
      ++calls_;
      if (++per_key_[key] == 1) ++effects_;
      return http::Response{.status = 200, .body = "ok"};
    });
    server_ = std::make_unique<http::Server>(
        http::ServerOptions{.port = 0, .network_threads = 1, .worker_threads = 4}, router_,
        std::make_shared<spdlog::logger>("sink", std::make_shared<spdlog::sinks::null_sink_mt>()));
    started_ = static_cast<bool>(server_->Start());
    runner_ = std::thread([this] { server_->Run(false); });
  }
  ~Sink() {
    Release();
    server_->Stop();
    runner_.join();
  }

  // Calls after the first `calls` wait, unanswered, until Release: a gateway that hangs, so that
  // the sender is caught in the middle of a call.
  void HoldAfter(int64_t calls) {
    std::lock_guard lock(mu_);
    hold_after_ = calls;
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    released_cv_.notify_all();
  }
  bool WaitForHeldCall(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (held_ > 0) return true;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
  }

  bool started() const { return started_; }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hook";
  }
  int64_t calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int64_t effects() const {
    std::lock_guard lock(mu_);
    return effects_;
  }
  std::map<std::string, int> per_key() const {
    std::lock_guard lock(mu_);
    return per_key_;
  }

  // Waits until `effects` keys took effect; false after `timeout`.
  bool WaitForEffects(int64_t effects, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (this->effects() < effects) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }

 private:
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread runner_;
  bool started_ = false;
  mutable std::mutex mu_;
  std::condition_variable released_cv_;
  int64_t hold_after_ = INT64_MAX;
  int64_t held_ = 0;
  bool released_ = false;
  int64_t calls_ = 0;
  int64_t effects_ = 0;
  std::map<std::string, int> per_key_;
};

// Appends `count` events of kTickType, each delivered to the webhook, as a module's changes
// would, in transactions of 500. Returns their idempotency keys.
std::set<std::string> AppendTicks(const app::Config& config, int count) {
  std::set<std::string> keys;
  auto db = app::OpenDatabase(config);
  EXPECT_TRUE(db) << db.error().message.en_us;
  if (!db) return keys;
  SystemClock clock;
  runtime::Subscriptions subscriptions;
  subscriptions.Subscribe("webhook", kTickType);
  runtime::EventLog events(clock, subscriptions);
  const audit::Actor actor{.username = "crash-test"};
  for (int from = 0; from < count; from += 500) {
    Status appended = storage::UnitOfWork::Run(**db, [&](storage::UnitOfWork& unit) -> Status {
      for (int i = from; i < std::min(count, from + 500); ++i) {
        ASSIGN_OR_RETURN(int64_t seq, events.Append(unit.tx(), actor,
                                                    {.stream_type = "crash_test",
                                                     .stream_id = std::to_string(i),
                                                     .type = kTickType,
                                                     .payload = {{"n", i}}}));
        keys.insert("webhook:" + std::to_string(seq));
      }
      return Ok();
    });
    EXPECT_TRUE(appended) << appended.error().message.en_us;
  }
  return keys;
}

Env ServerEnv(const Sink& sink, const std::string& lease_seconds) {
  return {{"OPENCREDIT_AUTH_PASSWORD_HASH_MEMORY_KIB", "256"},
          {"OPENCREDIT_AUTH_PASSWORD_HASH_PASSES", "1"},
          {"OPENCREDIT_INTEGRATION_WEBHOOK_URL", sink.url()},
          {"OPENCREDIT_INTEGRATION_WEBHOOK_EVENTS", kTickType},
          {"OPENCREDIT_INTEGRATION_WEBHOOK_TIMEOUT_MS", "1500"},
          {"OPENCREDIT_RUNTIME_DELIVERY_LEASE_SECONDS", lease_seconds},
          {"OPENCREDIT_RUNTIME_TIMER_LEASE_SECONDS", lease_seconds},
          {"OPENCREDIT_LOG_ACCESS_LOG", "false"}};
}

std::vector<std::string> Serve(const fs::path& data, const std::string& database_url = "") {
  std::vector<std::string> args{"serve",       "--no-demo",  "--listen",
                                "127.0.0.1:0", "--data-dir", data.string()};
  if (!database_url.empty()) args.insert(args.end(), {"--database", database_url});
  return args;
}

// The notifications titled `title` that `username` has.
int CountNotifications(uint16_t port, const std::string& username, const std::string& title) {
  TestClient client(port);
  EXPECT_EQ(client.Login(username, kPassword).status, 200);
  auto list = client.Get("/api/v1/notifications?limit=500");
  EXPECT_EQ(list.status, 200) << list.body;
  int count = 0;
  const json::value list_doc = list.Json();
  for (const auto& n : list_doc.at("items").as_array()) count += n.at("title").as_string() == title;
  return count;
}

class RuntimeCrashTest : public ::testing::Test {
 protected:
  fs::path Dir(const std::string& name) {
    fs::path dir = scratch_.path() / name;
    fs::create_directories(dir);
    return dir;
  }

  // `opencredit admin create-user`: the operator's first administrator.
  void CreateAdmin(const fs::path& data, const std::string& database_url = "") {
    std::vector<std::string> args{"admin", "create-user", "--data-dir", data.string(), "--username",
                                  "boss",  "--password",  kPassword,    "--role",      "admin"};
    if (!database_url.empty()) args.insert(args.end(), {"--database", database_url});
    Process created(scratch_.path(), args,
                    {{"OPENCREDIT_AUTH_PASSWORD_HASH_MEMORY_KIB", "256"},
                     {"OPENCREDIT_AUTH_PASSWORD_HASH_PASSES", "1"}});
    ASSERT_EQ(created.Wait(60s), 0) << created.Stderr();
  }

  storage::testing::ScratchDir scratch_;
};

TEST_F(RuntimeCrashTest, SigkillMidDispatchLosesNoEventAndEachKeyTakesEffectOnce) {
  constexpr int kEvents = 10'000;
  Sink sink;
  ASSERT_TRUE(sink.started());
  const fs::path data = Dir("data");
  ASSERT_NO_FATAL_FAILURE(CreateAdmin(data));
  app::Config config;
  config.data_dir = data.string();
  const std::set<std::string> keys = AppendTicks(config, kEvents);
  ASSERT_EQ(keys.size(), static_cast<size_t>(kEvents));

  // The kill comes in the middle of a batch, with a call under way.
  sink.HoldAfter(kEvents / 4 + 250);
  auto first = std::make_unique<Process>(scratch_.path(), Serve(data), ServerEnv(sink, "4"));
  auto port = first->WaitForListening(60s);
  ASSERT_TRUE(port) << first->Stdout() << first->Stderr();
  TestClient boss(*port);
  ASSERT_EQ(boss.Login("boss", kPassword).status, 200);

  ASSERT_TRUE(sink.WaitForHeldCall(120s)) << "only " << sink.effects() << " arrived";
  // A to-do due while the server is down: its reminder must fire once, after the restart.
  const Instant due = std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now() + 3s);
  auto todo = boss.PostJson("/api/v1/todos",
                            {{"title", "停机期间到期的待办"}, {"due_at", FormatInstant(due)}});
  ASSERT_EQ(todo.status, 201) << todo.body;
  first->Signal(SIGKILL);
  ASSERT_EQ(first->Wait(30s), 128 + SIGKILL);
  const int64_t before_crash = sink.effects();
  // The call under way reaches the gateway after its sender died, as a slow network delivers it.
  sink.Release();
  ASSERT_LT(before_crash, kEvents) << "every event arrived before the kill; nothing was tested";
  first.reset();
  std::this_thread::sleep_until(due + 1s);

  Process second(scratch_.path(), Serve(data), ServerEnv(sink, "4"));
  port = second.WaitForListening(60s);
  ASSERT_TRUE(port) << second.Stdout() << second.Stderr();
  EXPECT_TRUE(sink.WaitForEffects(kEvents, 180s)) << "only " << sink.effects() << " arrived";

  const std::map<std::string, int> per_key = sink.per_key();
  int64_t redelivered = 0;
  for (const auto& [key, calls] : per_key) {
    EXPECT_TRUE(keys.contains(key)) << "a call nobody appended: " << key;
    redelivered += calls - 1;
  }
  EXPECT_EQ(per_key.size(), static_cast<size_t>(kEvents)) << "every event took effect";
  std::printf(
      "[crash] %d events; %lld had taken effect at the SIGKILL; %lld calls in all; "
      "%lld redeliveries after the restart (%.2f%%)\n",
      kEvents, static_cast<long long>(before_crash), static_cast<long long>(sink.calls()),
      static_cast<long long>(redelivered), 100.0 * redelivered / kEvents);
  // At most the batch the dead node held, and never more than a small fraction.
  EXPECT_LE(redelivered, 500);

  const std::string overdue = "待办已到期";
  const auto wait_until = std::chrono::steady_clock::now() + 30s;
  while (CountNotifications(*port, "boss", overdue) == 0 &&
         std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(CountNotifications(*port, "boss", overdue), 1);
  second.Signal(SIGTERM);
  EXPECT_EQ(second.Wait(60s), 0) << second.Stderr();

  // Every row settled as delivered, once; the timer fired on its first attempt.
  auto db = app::OpenDatabase(config);
  ASSERT_TRUE(db);
  auto settled = (*db)->ReadValue<std::pair<int64_t, int64_t>>(
      [](storage::Tx& tx) -> Result<std::pair<int64_t, int64_t>> {
        ASSIGN_OR_RETURN(auto done, tx.QueryOne("SELECT COUNT(*) FROM outbox WHERE consumer = "
                                                "'webhook' AND status = 'done'"));
        ASSIGN_OR_RETURN(auto timer, tx.QueryOne("SELECT attempts FROM timers WHERE kind = "
                                                 "'todo.due' AND status = 'done'"));
        return std::pair{done->Int(0), timer ? timer->Int(0) : int64_t{-1}};
      });
  ASSERT_TRUE(settled) << settled.error().internal_detail;
  EXPECT_EQ(settled->first, kEvents);
  EXPECT_EQ(settled->second, 1);
}

// A fresh schema on the test server, reached by a connection URL that selects it, so that
// processes given only the URL work in it; dropped at the end.
class PostgresSchema {
 public:
  explicit PostgresSchema(std::string base_url) : base_url_(std::move(base_url)) {
    name_ = "two_nodes_" + std::to_string(getpid()) + "_" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
    Status created =
        Admin([&](storage::Tx& tx) { return tx.ExecuteScript("CREATE SCHEMA " + name_); });
    EXPECT_TRUE(created) << created.error().internal_detail;
  }
  ~PostgresSchema() {
    Status dropped = Admin(
        [&](storage::Tx& tx) { return tx.ExecuteScript("DROP SCHEMA " + name_ + " CASCADE"); });
    EXPECT_TRUE(dropped) << dropped.error().internal_detail;
  }

  std::string url() const {
    return base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + name_;
  }

 private:
  Status Admin(const std::function<Status(storage::Tx&)>& work) {
    app::Config config;
    config.database_url = base_url_;
    ASSIGN_OR_RETURN(auto db, app::OpenDatabase(config));
    return db->Write(work);
  }

  std::string base_url_;
  std::string name_;
};

TEST_F(RuntimeCrashTest, TwoServersOnOnePostgresDatabaseMakeEachDeliveryAndFiringOnce) {
  const char* base = std::getenv("OC_TEST_POSTGRES_URL");
  if (base == nullptr || *base == '\0') {
    if (storage::testing::MaySkipUnavailableBackend()) GTEST_SKIP() << "no PostgreSQL";
    FAIL() << "OC_TEST_POSTGRES_URL is not set; run under scripts/with-postgres.sh";
  }
  constexpr int kEvents = 3'000;
  constexpr int kTodos = 100;
  PostgresSchema schema(base);
  Sink sink;
  ASSERT_TRUE(sink.started());
  // One data directory for both: it holds the master key they must share.
  const fs::path data = Dir("data");
  ASSERT_NO_FATAL_FAILURE(CreateAdmin(data, schema.url()));
  app::Config config;
  config.data_dir = data.string();
  config.database_url = schema.url();

  Env env = ServerEnv(sink, "120");
  env["OPENCREDIT_BUSINESS_HOUSEKEEPING_MINUTES"] = "1";  // a job firing every minute
  Process a(scratch_.path(), Serve(data, schema.url()), env);
  Process b(scratch_.path(), Serve(data, schema.url()), env);
  auto port_a = a.WaitForListening(60s);
  auto port_b = b.WaitForListening(60s);
  ASSERT_TRUE(port_a && port_b) << a.Stderr() << b.Stderr();
  const auto started = std::chrono::system_clock::now();

  // Both nodes race for the same deliveries and the same timers.
  const std::set<std::string> keys = AppendTicks(config, kEvents);
  TestClient boss(*port_a);
  ASSERT_EQ(boss.Login("boss", kPassword).status, 200);
  const Instant due = std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now() + 4s);
  for (int i = 0; i < kTodos; ++i) {
    ASSERT_EQ(boss.PostJson("/api/v1/todos", {{"title", "到期提醒 " + std::to_string(i)},
                                              {"due_at", FormatInstant(due)}})
                  .status,
              201);
  }
  ASSERT_TRUE(sink.WaitForEffects(kEvents, 120s)) << "only " << sink.effects() << " arrived";

  auto db = app::OpenDatabase(config);
  ASSERT_TRUE(db);
  struct Settled {
    int64_t timers_done = 0, timers_refired = 0, reminders = 0, runs = 0, runs_repeated = 0;
  };
  auto settled = [&] {
    return (*db)->ReadValue<Settled>([](storage::Tx& tx) -> Result<Settled> {
      Settled s;
      ASSIGN_OR_RETURN(auto timers, tx.QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN attempts "
                                                "<> 1 THEN 1 ELSE 0 END), 0) FROM timers WHERE "
                                                "kind = 'todo.due' AND status = 'done'"));
      s.timers_done = timers->Int(0);
      s.timers_refired = timers->Int(1);
      ASSIGN_OR_RETURN(auto reminders, tx.QueryOne("SELECT COUNT(*) FROM notifications WHERE "
                                                   "title = '待办已到期'"));
      s.reminders = reminders->Int(0);
      ASSIGN_OR_RETURN(auto runs, tx.QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN attempts "
                                              "<> 1 THEN 1 ELSE 0 END), 0) FROM job_runs WHERE "
                                              "job_key = 'housekeeping' AND status = 'done'"));
      s.runs = runs->Int(0);
      s.runs_repeated = runs->Int(1);
      return s;
    });
  };
  // The first minute boundary after the start plans a housekeeping firing on both nodes.
  const auto deadline = started + 130s;
  Result<Settled> now = settled();
  while (now && (now->timers_done < kTodos || now->runs < 1) &&
         std::chrono::system_clock::now() < deadline) {
    std::this_thread::sleep_for(500ms);
    now = settled();
  }
  ASSERT_TRUE(now) << now.error().internal_detail;
  EXPECT_EQ(sink.calls(), kEvents) << "a delivery was made twice";
  for (const auto& [key, calls] : sink.per_key()) {
    EXPECT_TRUE(keys.contains(key)) << key;
    EXPECT_EQ(calls, 1) << key;
  }
  EXPECT_EQ(now->timers_done, kTodos);
  EXPECT_EQ(now->timers_refired, 0) << "a timer fired more than once";
  EXPECT_EQ(now->reminders, kTodos);
  EXPECT_GE(now->runs, 1);
  EXPECT_EQ(now->runs_repeated, 0) << "a job firing ran more than once";
  std::printf("[two nodes] %d deliveries, %lld timers, %lld housekeeping firings: each once\n",
              kEvents, static_cast<long long>(now->timers_done), static_cast<long long>(now->runs));
  a.Signal(SIGTERM);
  b.Signal(SIGTERM);
  EXPECT_EQ(a.Wait(60s), 0) << a.Stderr();
  EXPECT_EQ(b.Wait(60s), 0) << b.Stderr();
}

}  // namespace
}  // namespace oc::testing
