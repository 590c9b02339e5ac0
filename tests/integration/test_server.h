#pragma once
// The whole system, started the way `opencredit serve` starts it (Application), on a free port,
// over a fresh database of the test's backend, with a log the test can read. A test talks to it
// only over HTTP.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <thread>

#include "app/application.h"
#include "app/json_log.h"
#include "storage/testing/test_databases.h"
#include "test_client.h"

namespace oc::testing {

inline constexpr char kAdminPassword[] = "Integration-Admin-2026";

class ServerTest : public ::testing::TestWithParam<storage::testing::Backend> {
 protected:
  // Overridable before SetUp runs the server.
  virtual void Configure(app::Config& config) { (void)config; }
  // The database the server will run on; a test may put something in front of it.
  virtual std::unique_ptr<storage::Db> WrapDb(std::unique_ptr<storage::Db> db) { return db; }

  void SetUp() override {
    OC_REQUIRE_BACKEND(GetParam());
    auto db = storage::testing::OpenTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;

    app::Config config;
    config.listen = "127.0.0.1:0";
    config.data_dir = scratch_.path().string();
    config.network_threads = 2;
    config.worker_threads = 4;
    config.password_hash_memory_kib = 256;
    config.password_hash_passes = 1;
    config.shutdown_grace_seconds = 5;
    Configure(config);

    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_stream_);
    sink->set_formatter(app::MakeJsonFormatter());
    auto app_log = std::make_shared<spdlog::logger>("app", sink);
    auto access_sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(access_stream_);
    access_sink->set_pattern("%v");
    auto access_log = std::make_shared<spdlog::logger>("access", access_sink);
    auto application = app::Application::Create(config, WrapDb(std::move(*db)), clock_,
                                                app::Logs{.app = app_log, .access = access_log});
    ASSERT_TRUE(application) << application.error().message.en_us << " "
                             << application.error().internal_detail;
    application_ = std::move(*application);
    // The demo organisation gives every role a user; demo customers would only slow each test.
    auto seeded = application_->SeedDemoIfEmpty(/*with_customers=*/false);
    ASSERT_TRUE(seeded);
    ASSERT_TRUE(application_->Start());
    runner_ = std::thread([this] { application_->Run(false); });
    client_ = std::make_unique<TestClient>(application_->port());
    // The demo organisation has users for every role; the admin's random password is replaced
    // by a known one through the shell path an operator would use.
    ASSERT_TRUE(ResetPassword("admin", kAdminPassword));
  }

  void TearDown() override {
    if (application_) {
      application_->Stop();
      if (runner_.joinable()) runner_.join();
    }
  }

  // Sets a known password for a demo user directly in the database (as an administrator's reset
  // would), so tests can sign in as any role. Clears must_change_password.
  bool ResetPassword(const std::string& username, const std::string& password);

  std::unique_ptr<TestClient> NewClient() {
    return std::make_unique<TestClient>(application_->port());
  }
  // A client signed in as the demo user with that username.
  std::unique_ptr<TestClient> SignedIn(const std::string& username);

  std::string AppLog() const { return log_stream_.str(); }
  std::string AccessLog() const { return access_stream_.str(); }
  int64_t CountRows(const std::string& table);
  // The id of the user with that username (a failure when there is none).
  int64_t UserIdOf(const std::string& username);

  storage::testing::ScratchDir scratch_;
  SystemClock clock_;
  std::ostringstream log_stream_;
  std::ostringstream access_stream_;
  std::unique_ptr<app::Application> application_;
  std::thread runner_;
  std::unique_ptr<TestClient> client_;
};

std::string BackendParamName(const ::testing::TestParamInfo<storage::testing::Backend>& info);

}  // namespace oc::testing
