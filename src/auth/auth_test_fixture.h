#pragma once
// A migrated database with a head office, a branch and an administrator, on each backend, for
// the tests of this module; it fails a statement on demand (FaultyDb). Password hashing runs at a
// tiny cost so the tests stay fast; the production cost is exercised by password_test.

#include <gtest/gtest.h>

#include <memory>

#include "audit/audit_log.h"
#include "auth/migrations.h"
#include "auth/organization_service.h"
#include "auth/session_service.h"
#include "crypto/testing/test_keys.h"
#include "runtime/event_log.h"
#include "storage/migrations.h"
#include "storage/testing/faulty_db.h"
#include "storage/testing/test_databases.h"

namespace oc::auth::testing {

inline constexpr char kAdminPassword[] = "Correct-Horse-Battery-9";

class AuthFixture : public ::testing::TestWithParam<storage::testing::Backend> {
 protected:
  void SetUp() override {
    auto db = storage::testing::OpenTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::make_unique<storage::testing::FaultyDb>(std::move(*db));
    std::vector<storage::Migration> migrations = audit::Migrations();
    for (auto& m : runtime::EventMigrations()) migrations.push_back(std::move(m));
    for (auto& m : Migrations()) migrations.push_back(std::move(m));
    auto applied = storage::ApplyMigrations(*db_, migrations);
    ASSERT_TRUE(applied) << applied.error().internal_detail;

    org_ = std::make_unique<OrganizationService>(*db_, clock_, audit_, events_, hasher_,
                                                 PasswordPolicy{},
                                                 [this] { sessions_->InvalidateCache(); });
    sessions_ = std::make_unique<SessionService>(*db_, clock_, audit_, hasher_, SessionOptions{});

    auto head = org_->CreateDepartment(system_, {.name = "总行"});
    ASSERT_TRUE(head);
    head_office_ = *head;
    auto branch = org_->CreateDepartment(system_, {.name = "城东支行", .parent_id = head->id});
    ASSERT_TRUE(branch);
    branch_ = *branch;
    auto admin = org_->CreateUser(system_, {.username = "admin",
                                            .display_name = "系统管理员",
                                            .password = kAdminPassword,
                                            .department_id = head->id,
                                            .role_keys = {"admin"}});
    ASSERT_TRUE(admin) << admin.error().message.en_us;
    admin_ = *admin;
  }

  Result<User> AddUser(const std::string& username, DepartmentId department,
                       std::vector<std::string> roles) {
    return org_->CreateUser(system_, {.username = username,
                                      .display_name = username,
                                      .password = kAdminPassword,
                                      .department_id = department,
                                      .role_keys = std::move(roles)});
  }

  int64_t CountAudit(const std::string& action) {
    auto entries = audit_.List(*db_, audit::Filter{.action = action, .limit = 500});
    return entries ? static_cast<int64_t>(entries->size()) : -1;
  }

  FakeClock clock_{FromUnixMicros(1'780'000'000'000'000)};
  crypto::MacKeyring audit_keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, audit_keys_};
  runtime::Subscriptions subscriptions_;
  runtime::EventLog events_{clock_, subscriptions_};
  PasswordHasher hasher_{PasswordHashCost{.memory_kib = 256, .passes = 1, .lanes = 1}};
  std::unique_ptr<storage::testing::FaultyDb> db_;
  std::unique_ptr<OrganizationService> org_;
  std::unique_ptr<SessionService> sessions_;
  audit::Actor system_{.username = "system"};
  Department head_office_;
  Department branch_;
  User admin_;
};

inline std::string BackendParamName(
    const ::testing::TestParamInfo<storage::testing::Backend>& info) {
  return storage::testing::BackendName(info.param);
}

}  // namespace oc::auth::testing
