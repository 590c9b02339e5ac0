#pragma once
// A migrated database with an organisation (head office, two branches), one user per job, the
// customer entity registered and real principals from signing in, on each backend.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>

#include "audit/audit_log.h"
#include "auth/migrations.h"
#include "auth/organization_service.h"
#include "auth/session_service.h"
#include "core/china_regions.h"
#include "crypto/field_cipher.h"
#include "crypto/random.h"
#include "crypto/testing/test_keys.h"
#include "customers/customer_entity.h"
#include "customers/customer_service.h"
#include "customers/followup_service.h"
#include "customers/relationship_service.h"
#include "forms/entity_registry.h"
#include "runtime/migrations.h"
#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace oc::customers::testing {

inline constexpr char kPassword[] = "Customers-Test-2026";

class CustomersFixture : public ::testing::TestWithParam<storage::testing::Backend> {
 protected:
  // Every migration the customer services need, in the composition root's order.
  static std::vector<storage::Migration> AllMigrations() {
    std::vector<storage::Migration> migrations;
    for (auto module : {audit::Migrations(), runtime::Migrations(), auth::Migrations(),
                        forms::Migrations(), customers::Migrations()}) {
      for (auto& m : module) migrations.push_back(std::move(m));
    }
    return migrations;
  }

  void SetUp() override {
    auto db = storage::testing::OpenTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    auto applied = storage::ApplyMigrations(*db_, AllMigrations());
    ASSERT_TRUE(applied) << applied.error().internal_detail;

    auto keyring = crypto::Keyring::Create(crypto::CipherSuite::kAes256Gcm,
                                           {{1, crypto::RandomBytes(32)}}, 1);
    ASSERT_TRUE(keyring);
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*keyring));
    org_ = std::make_unique<auth::OrganizationService>(*db_, clock_, audit_, events_, hasher_,
                                                       auth::PasswordPolicy{}, [] {});
    sessions_ = std::make_unique<auth::SessionService>(*db_, clock_, audit_, hasher_,
                                                       auth::SessionOptions{});
    registry_ = std::make_unique<forms::EntityRegistry>(*db_, clock_, audit_);
    customers_ =
        std::make_unique<CustomerService>(*db_, clock_, audit_, events_, *registry_, *cipher_);
    ASSERT_TRUE(customers_->RegisterEntity());
    relationships_ =
        std::make_unique<RelationshipService>(*db_, clock_, audit_, events_, *cipher_, *customers_);
    followups_ = std::make_unique<FollowUpService>(*db_, clock_, audit_, events_, *customers_);

    auto head = org_->CreateDepartment(system_, {.name = "总行"});
    auto east = org_->CreateDepartment(system_, {.name = "城东支行", .parent_id = head->id});
    auto east_team =
        org_->CreateDepartment(system_, {.name = "城东一组", .parent_id = east->id});
    auto west = org_->CreateDepartment(system_, {.name = "城西支行", .parent_id = head->id});
    ASSERT_TRUE(head && east && east_team && west);
    struct U {
      const char* name;
      auth::DepartmentId dept;
      const char* role;
    };
    for (const U& u : {U{"admin", head->id, "admin"}, U{"am.east", east_team->id,
                                                        "account_manager"},
                       U{"am.west", west->id, "account_manager"},
                       U{"manager.east", east->id, "department_manager"},
                       U{"risk", head->id, "risk_officer"}, U{"auditor", head->id, "auditor"}}) {
      auto user = org_->CreateUser(system_, {.username = u.name,
                                             .display_name = u.name,
                                             .password = kPassword,
                                             .department_id = u.dept,
                                             .role_keys = {u.role}});
      ASSERT_TRUE(user) << user.error().message.en_us;
      auto login = sessions_->Login(u.name, kPassword, {});
      ASSERT_TRUE(login);
      principals_[u.name] = login->session.principal;
    }
  }

  const auth::Principal& As(const std::string& username) { return *principals_.at(username); }
  audit::Actor ActorOf(const std::string& username) {
    const auth::Principal& p = As(username);
    return {.user_id = p.user_id.value(), .username = p.username};
  }

  // A valid individual with a unique resident ID number and phone.
  boost::json::object Individual(int n, const char* name = "张三") {
    auto birth = Date::FromYmd(1980 + n % 20, 1 + n % 12, 1 + n % 28);
    std::string id = MakeResidentIdNumber("110105", *birth, n % 1000);
    char phone[16];
    std::snprintf(phone, sizeof phone, "138%08d", n);
    return boost::json::object{{"type", "individual"},
                               {"name", name},
                               {"id_number", id},
                               {"phone", phone}};
  }

  Result<boost::json::object> CreateAs(const std::string& username, boost::json::object input) {
    return customers_->Create(As(username), ActorOf(username), input);
  }

  FakeClock clock_{FromUnixMicros(1'780'000'000'000'000)};
  crypto::MacKeyring audit_keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, audit_keys_};
  runtime::Subscriptions subscriptions_;
  runtime::EventLog events_{clock_, subscriptions_};
  auth::PasswordHasher hasher_{auth::PasswordHashCost{.memory_kib = 256, .passes = 1}};
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
  std::unique_ptr<auth::OrganizationService> org_;
  std::unique_ptr<auth::SessionService> sessions_;
  std::unique_ptr<forms::EntityRegistry> registry_;
  std::unique_ptr<CustomerService> customers_;
  std::unique_ptr<RelationshipService> relationships_;
  std::unique_ptr<FollowUpService> followups_;
  audit::Actor system_{.username = "system"};
  std::map<std::string, std::shared_ptr<const auth::Principal>> principals_;
};

// The id of a customer or a relation as the services return it.
inline CustomerId IdOf(const boost::json::object& customer) {
  return CustomerId(customer.at("id").as_int64());
}
inline RelationId RelationIdOf(const boost::json::object& relation) {
  return RelationId(relation.at("id").as_int64());
}

inline std::vector<std::string> Codes(const Error& e) {
  std::vector<std::string> out;
  for (const auto& v : e.field_violations) out.push_back(v.field + ":" + v.code);
  return out;
}

inline std::string BackendParamName(
    const ::testing::TestParamInfo<storage::testing::Backend>& info) {
  return storage::testing::BackendName(info.param);
}

}  // namespace oc::customers::testing
