#include "auth/organization_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/auth_test_fixture.h"
#include "storage/unit_of_work.h"

namespace oc::auth {
namespace {

using testing::AuthFixture;
using testing::kAdminPassword;

class OrganizationServiceTest : public AuthFixture {};

bool HasViolation(const Error& e, const std::string& field, const std::string& code) {
  for (const auto& v : e.field_violations) {
    if (v.field == field && v.code == code) return true;
  }
  return false;
}

TEST_P(OrganizationServiceTest, DepartmentsFormATreeWithMaterialisedPaths) {
  auto team = org_->CreateDepartment(system_, {.name = "一组", .parent_id = branch_.id});
  ASSERT_TRUE(team);
  EXPECT_EQ(team->path, branch_.path + std::to_string(team->id.value()) + "/");
  EXPECT_TRUE(team->path.starts_with(head_office_.path));
  auto all = org_->ListDepartments();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(OrganizationServiceTest, DuplicateNameUnderTheSameParentIsRejected) {
  auto dup = org_->CreateDepartment(system_, {.name = " 城东支行 ", .parent_id = head_office_.id});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  auto elsewhere = org_->CreateDepartment(system_, {.name = "城东支行", .parent_id = branch_.id});
  EXPECT_TRUE(elsewhere);
}

TEST_P(OrganizationServiceTest, DepartmentNameIsValidated) {
  auto empty = org_->CreateDepartment(system_, {.name = "   "});
  ASSERT_FALSE(empty);
  EXPECT_TRUE(HasViolation(empty.error(), "name", "required"));
  auto unknown_parent =
      org_->CreateDepartment(system_, {.name = "x", .parent_id = DepartmentId(999)});
  ASSERT_FALSE(unknown_parent);
  EXPECT_TRUE(HasViolation(unknown_parent.error(), "parent_id", "unknown_department"));
}

TEST_P(OrganizationServiceTest, MovingADepartmentRewritesItsSubtreePaths) {
  auto west = org_->CreateDepartment(system_, {.name = "城西支行", .parent_id = head_office_.id});
  auto team = org_->CreateDepartment(system_, {.name = "一组", .parent_id = branch_.id});
  ASSERT_TRUE(west && team);
  auto moved = org_->UpdateDepartment(system_, branch_.id,
                                      {.parent_id = std::optional<DepartmentId>(west->id)},
                                      branch_.version);
  ASSERT_TRUE(moved) << moved.error().message.en_us;
  EXPECT_EQ(moved->path, west->path + std::to_string(branch_.id.value()) + "/");
  auto team_after = org_->GetDepartment(team->id);
  ASSERT_TRUE(team_after);
  EXPECT_EQ(team_after->path, moved->path + std::to_string(team->id.value()) + "/");
}

TEST_P(OrganizationServiceTest, ADepartmentCannotMoveUnderItsOwnDescendant) {
  auto team = org_->CreateDepartment(system_, {.name = "一组", .parent_id = branch_.id});
  ASSERT_TRUE(team);
  auto r = org_->UpdateDepartment(system_, branch_.id,
                                  {.parent_id = std::optional<DepartmentId>(team->id)},
                                  branch_.version);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(OrganizationServiceTest, StaleVersionChangesNothing) {
  auto r = org_->UpdateDepartment(system_, branch_.id, {.name = "新名字"}, branch_.version + 5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAborted);
  EXPECT_EQ(org_->GetDepartment(branch_.id)->name, "城东支行");
}

TEST_P(OrganizationServiceTest, DepartmentWithUsersCannotBeDeleted) {
  ASSERT_TRUE(AddUser("zhang.san", branch_.id, {"account_manager"}));
  auto r = org_->DeleteDepartment(system_, branch_.id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  auto empty = org_->CreateDepartment(system_, {.name = "临时", .parent_id = head_office_.id});
  EXPECT_TRUE(org_->DeleteDepartment(system_, empty->id));
}

TEST_P(OrganizationServiceTest, CreateUserReportsEveryInvalidFieldAtOnce) {
  auto r = org_->CreateUser(system_, {.username = "A",
                                      .display_name = "",
                                      .password = "short",
                                      .department_id = branch_.id,
                                      .language = "fr-FR"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasViolation(r.error(), "username", "invalid_format"));
  EXPECT_TRUE(HasViolation(r.error(), "display_name", "required"));
  EXPECT_TRUE(HasViolation(r.error(), "password", "too_short"));
  EXPECT_TRUE(HasViolation(r.error(), "language", "unsupported"));
  auto users = org_->ListUsers({});
  EXPECT_EQ(users->size(), 1u);
}

TEST_P(OrganizationServiceTest, UnknownRoleOrDepartmentIsAFieldError) {
  auto r = AddUser("li.si", branch_.id, {"astronaut"});
  ASSERT_FALSE(r);
  EXPECT_TRUE(HasViolation(r.error(), "roles", "unknown_role"));
  auto d = AddUser("li.si", DepartmentId(999), {"account_manager"});
  ASSERT_FALSE(d);
  EXPECT_TRUE(HasViolation(d.error(), "department_id", "unknown_department"));
}

TEST_P(OrganizationServiceTest, TakenUsernameIsAlreadyExists) {
  ASSERT_TRUE(AddUser("wang.wu", branch_.id, {"account_manager"}));
  auto again = AddUser("wang.wu", head_office_.id, {"risk_officer"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_TRUE(HasViolation(again.error(), "username", "taken"));
}

TEST_P(OrganizationServiceTest, UserCreationIsAuditedWithoutThePassword) {
  ASSERT_TRUE(AddUser("zhao.liu", branch_.id, {"account_manager"}));
  auto entries = audit_.List(*db_, {.action = "user.create"});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].changes_json.find(kAdminPassword), std::string::npos);
  EXPECT_NE((*entries)[0].changes_json.find("account_manager"), std::string::npos);
}

TEST_P(OrganizationServiceTest, SupervisorChainsCannotLoop) {
  auto a = AddUser("manager.a", branch_.id, {"department_manager"});
  auto b = AddUser("officer.b", branch_.id, {"account_manager"});
  ASSERT_TRUE(a && b);
  auto set = org_->UpdateUser(system_, b->id, {.supervisor_id = std::optional<UserId>(a->id)},
                              b->version);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->supervisor_id, a->id);
  auto loop = org_->UpdateUser(system_, a->id, {.supervisor_id = std::optional<UserId>(b->id)},
                               a->version);
  ASSERT_FALSE(loop);
  EXPECT_EQ(loop.error().code, ErrorCode::kFailedPrecondition);
  auto self = org_->UpdateUser(system_, a->id, {.supervisor_id = std::optional<UserId>(a->id)},
                               a->version);
  ASSERT_FALSE(self);
  EXPECT_TRUE(HasViolation(self.error(), "supervisor_id", "cycle"));
}

TEST_P(OrganizationServiceTest, TheLastActiveAdministratorCannotBeDisabledOrDemoted) {
  auto disable = org_->UpdateUser(system_, admin_.id, {.status = UserStatus::kDisabled},
                                  admin_.version);
  ASSERT_FALSE(disable);
  EXPECT_EQ(disable.error().code, ErrorCode::kFailedPrecondition);
  auto demote = org_->UpdateUser(system_, admin_.id,
                                 {.role_keys = std::vector<std::string>{"auditor"}},
                                 admin_.version);
  ASSERT_FALSE(demote);
  auto second = AddUser("admin2", head_office_.id, {"admin"});
  ASSERT_TRUE(second);
  EXPECT_TRUE(org_->UpdateUser(system_, admin_.id, {.status = UserStatus::kDisabled},
                               admin_.version));
}

TEST_P(OrganizationServiceTest, RolesAreValidatedAndBuiltinsProtected) {
  auto bad = org_->CreateRole(system_, {.key = "Bad Key",
                                        .name = {"", "x"},
                                        .permissions = {"customer.read", "launch.rockets"},
                                        .scopes = {{"planet", DataScope::kAll}}});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(HasViolation(bad.error(), "key", "invalid_format"));
  EXPECT_TRUE(HasViolation(bad.error(), "name.zh-CN", "required"));
  EXPECT_TRUE(HasViolation(bad.error(), "permissions", "unknown_permission"));
  EXPECT_TRUE(HasViolation(bad.error(), "scopes.planet", "unknown_entity"));

  auto roles = org_->ListRoles();
  ASSERT_TRUE(roles);
  ASSERT_EQ(roles->size(), 8u);
  const Role& builtin = roles->front();
  EXPECT_TRUE(builtin.builtin);
  auto change = org_->UpdateRole(system_, builtin.id,
                                 {.permissions = std::vector<std::string>{"user.admin"}},
                                 builtin.version);
  ASSERT_FALSE(change);
  EXPECT_EQ(change.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(org_->DeleteRole(system_, builtin.id).error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(OrganizationServiceTest, CustomRoleLifecycle) {
  auto role = org_->CreateRole(system_, {.key = "collector",
                                         .name = {"催收专员", "Collector"},
                                         .permissions = {"customer.read", "followup.write"},
                                         .scopes = {{"customer", DataScope::kDepartment}}});
  ASSERT_TRUE(role) << role.error().message.en_us;
  EXPECT_FALSE(role->builtin);
  EXPECT_EQ(role->scopes.at("customer"), DataScope::kDepartment);
  auto user = AddUser("collector.one", branch_.id, {"collector"});
  ASSERT_TRUE(user);
  EXPECT_EQ(org_->DeleteRole(system_, role->id).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(org_->UpdateUser(system_, user->id,
                               {.role_keys = std::vector<std::string>{"account_manager"}},
                               user->version));
  auto renamed =
      org_->UpdateRole(system_, role->id, {.name = Message{"催收", "Collections"}}, role->version);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->name.en_us, "Collections");
  EXPECT_TRUE(org_->DeleteRole(system_, role->id));
  EXPECT_EQ(org_->GetRole(role->id).error().code, ErrorCode::kNotFound);
}

TEST_P(OrganizationServiceTest, ListUsersFiltersAndPages) {
  ASSERT_TRUE(AddUser("am.one", branch_.id, {"account_manager"}));
  ASSERT_TRUE(AddUser("am.two", branch_.id, {"account_manager"}));
  ASSERT_TRUE(AddUser("risk.one", head_office_.id, {"risk_officer"}));
  auto in_branch = org_->ListUsers({.department_id = branch_.id});
  EXPECT_EQ(in_branch->size(), 2u);
  auto prefix = org_->ListUsers({.query = "am."});
  EXPECT_EQ(prefix->size(), 2u);
  auto wildcard = org_->ListUsers({.query = "%"});
  EXPECT_EQ(wildcard->size(), 0u);
  auto first = org_->ListUsers({.limit = 2});
  ASSERT_EQ(first->size(), 2u);
  auto rest = org_->ListUsers({.after_id = first->back().id.value(), .limit = 10});
  EXPECT_EQ(rest->size(), 2u);
}

audit::Actor PersonActor(const User& user) {
  return {.user_id = user.id.value(), .username = user.username};
}

// A grant nobody confirms lapses: after kPendingChangeLifetime it can no longer be approved,
// and it is listed as expired.
TEST_P(OrganizationServiceTest, AGrantNobodyConfirmsInTimeLapses) {
  auto security = AddUser("sec.one", head_office_.id, {"security_admin"});
  auto second = AddUser("sec.two", head_office_.id, {"security_admin"});
  auto target = AddUser("am.three", branch_.id, {"account_manager"});
  ASSERT_TRUE(security && second && target);
  std::vector<PendingChange> pending;
  auto updated =
      org_->UpdateUser(PersonActor(admin_), target->id,
                       {.role_keys = std::vector<std::string>{"account_manager", "risk_officer"}},
                       target->version, &pending);
  ASSERT_TRUE(updated) << updated.error().message.en_us;
  EXPECT_EQ(updated->role_keys, std::vector<std::string>{"account_manager"});
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].kind, PendingKind::kUserRole);
  EXPECT_EQ(pending[0].role_key, "risk_officer");
  EXPECT_EQ(CountAudit("change.requested"), 1);

  clock_.Advance(kPendingChangeLifetime + std::chrono::minutes(1));
  auto late = org_->ApprovePendingChange(PersonActor(*security), pending[0].id);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  auto listed = org_->ListPendingChanges({.status = PendingStatus::kExpired});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].status, PendingStatus::kExpired);
  EXPECT_EQ(org_->GetUser(target->id)->role_keys, std::vector<std::string>{"account_manager"});
}

// A role whose permission someone else already grants the user brings nothing new: no second
// administrator needed. And the shell (no user id) is trusted as the owner of the server.
TEST_P(OrganizationServiceTest, OnlyGrantsThatBringSomethingNewWait) {
  auto risk = AddUser("risk.two", head_office_.id, {"risk_officer"});
  ASSERT_TRUE(risk) << risk.error().message.en_us;
  EXPECT_EQ(risk->role_keys, std::vector<std::string>{"risk_officer"}) << "the shell grants";
  std::vector<PendingChange> pending;
  auto both = org_->UpdateUser(PersonActor(admin_), risk->id,
                               {.role_keys = std::vector<std::string>{"risk_officer", "finance"}},
                               risk->version, &pending);
  ASSERT_TRUE(both);
  EXPECT_TRUE(pending.empty()) << "finance brings pii.unmask, which risk_officer grants already";
  EXPECT_EQ(both->role_keys.size(), 2u);
}

// The organisation keeps someone who can grant roles.
TEST_P(OrganizationServiceTest, TheLastSecurityAdministratorCannotBeDisabled) {
  auto security = AddUser("sec.only", head_office_.id, {"security_admin"});
  ASSERT_TRUE(security);
  auto disabled = org_->UpdateUser(PersonActor(admin_), security->id,
                                   {.status = UserStatus::kDisabled}, security->version);
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().code, ErrorCode::kFailedPrecondition);
}

int64_t CountEntries(const audit::AuditLog& audit, storage::Db& db) {
  auto entries = audit.List(db, audit::Filter{.limit = 1000});
  return entries ? static_cast<int64_t>(entries->size()) : -1;
}

Error LaterStepFailed() {
  return MakeError(ErrorCode::kFailedPrecondition, {"后续步骤失败", "A later step failed"});
}

// A team and its first member, as one use case: the user may belong to the department the same
// unit created.
Status CreateTeamWithMember(OrganizationService& org, storage::UnitOfWork& unit,
                            const audit::Actor& actor, DepartmentId parent) {
  ASSIGN_OR_RETURN(Department team,
                   org.CreateDepartment(unit, actor, {.name = "二组", .parent_id = parent}));
  ASSIGN_OR_RETURN(PreparedUser member, org.PrepareUser({.username = "qian.qi",
                                                         .display_name = "钱七",
                                                         .password = kAdminPassword,
                                                         .department_id = team.id,
                                                         .role_keys = {"account_manager"}}));
  RETURN_IF_ERROR(org.CreateUser(unit, actor, member));
  return Ok();
}

TEST_P(OrganizationServiceTest, UseCasesInACallersUnitCommitWithIt) {
  ASSERT_TRUE(storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) {
    return CreateTeamWithMember(*org_, unit, system_, branch_.id);
  }));
  auto team = org_->FindDepartmentByName("二组");
  ASSERT_TRUE(team && *team);
  auto member = org_->FindUserByUsername("qian.qi");
  ASSERT_TRUE(member && *member);
  EXPECT_EQ((*member)->department_id, (*team)->id);
  EXPECT_EQ(CountAudit("department.create"), 3);
  EXPECT_EQ(CountAudit("user.create"), 2);
}

TEST_P(OrganizationServiceTest, UseCasesInACallersUnitRollBackWithIt) {
  const int64_t entries = CountEntries(audit_, *db_);
  Status outcome = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(CreateTeamWithMember(*org_, unit, system_, branch_.id));
    return LaterStepFailed();
  });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kFailedPrecondition);
  auto team = org_->FindDepartmentByName("二组");
  ASSERT_TRUE(team);
  EXPECT_FALSE(*team);
  auto member = org_->FindUserByUsername("qian.qi");
  ASSERT_TRUE(member);
  EXPECT_FALSE(*member);
  EXPECT_EQ(CountEntries(audit_, *db_), entries) << "no audit entry of what never happened";
  auto chain = audit_.Verify(*db_);
  ASSERT_TRUE(chain);
  EXPECT_TRUE(chain->intact) << chain->problem;
}

// The change and its audit entry are one: a user whose entry cannot be written does not exist.
TEST_P(OrganizationServiceTest, AUserWhoseAuditEntryCannotBeWrittenIsNotCreated) {
  const int64_t created = CountAudit("user.create");
  db_->FailNextStatement("INSERT INTO audit_events");
  auto user = AddUser("sun.ba", branch_.id, {"account_manager"});
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(db_->armed()) << "the fault struck the audit entry";
  auto found = org_->FindUserByUsername("sun.ba");
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
  EXPECT_EQ(CountAudit("user.create"), created);
  EXPECT_TRUE(AddUser("sun.ba", branch_.id, {"account_manager"})) << "nothing blocks the retry";
}

// Cached principals are dropped after the commit of the change they would contradict, never
// before it (a request in between would cache the old state again) and never for a change that
// did not happen.
TEST_P(OrganizationServiceTest, CachedPrincipalsAreDroppedOnceTheCallersUnitCommits) {
  int dropped = 0;
  OrganizationService org(*db_, clock_, audit_, events_, hasher_, PasswordPolicy{},
                          [&] { ++dropped; });
  auto user = AddUser("zhou.jiu", branch_.id, {"account_manager"});
  ASSERT_TRUE(user);
  auto promote = [&](storage::UnitOfWork& unit) {
    return org.UpdateUser(unit, system_, user->id,
                          {.role_keys = std::vector<std::string>{"risk_officer"}}, user->version);
  };

  Status refused = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(promote(unit));
    return LaterStepFailed();
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(dropped, 0);
  EXPECT_EQ(org.GetUser(user->id)->role_keys, std::vector<std::string>{"account_manager"});

  ASSERT_TRUE(storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(promote(unit));
    EXPECT_EQ(dropped, 0) << "not before the commit";
    return Ok();
  }));
  EXPECT_EQ(dropped, 1);
}

// Others react to the organisation's changes too (a rule that reassigns a departed manager's
// customers), so each change appends its event with its audit entry.
TEST_P(OrganizationServiceTest, EveryChangeAppendsItsDomainEventWithPersonalDataWithheld) {
  auto team = org_->CreateDepartment(system_, {.name = "营销二组", .parent_id = branch_.id});
  ASSERT_TRUE(team);
  auto user = AddUser("qian.shi", branch_.id, {"account_manager"});
  ASSERT_TRUE(user);
  auto moved = org_->UpdateUser(
      system_, user->id, {.display_name = "钱十一", .department_id = team->id}, user->version);
  ASSERT_TRUE(moved) << moved.error().message.en_us;
  ASSERT_TRUE(
      org_->DeleteDepartment(system_, org_->CreateDepartment(system_, {.name = "临时组"})->id));

  auto events = db_->ReadValue<std::vector<runtime::StoredEvent>>(
      [&](storage::Tx& tx) { return events_.List(tx, {.limit = 1000}); });
  ASSERT_TRUE(events);
  std::vector<std::string> types;
  const runtime::StoredEvent* update = nullptr;
  for (const runtime::StoredEvent& e : *events) {
    types.push_back(e.type);
    if (e.type == "user.updated" && e.stream_id == std::to_string(user->id.value())) update = &e;
  }
  for (const char* type :
       {"department.created", "user.created", "user.updated", "department.deleted"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
  ASSERT_NE(update, nullptr);
  const std::string payload = boost::json::serialize(update->payload);
  EXPECT_EQ(payload.find("钱十一"), std::string::npos) << payload;
  EXPECT_NE(payload.find(R"("field":"display_name","sensitive":true)"), std::string::npos)
      << payload;
  EXPECT_NE(payload.find(R"("field":"department_id")"), std::string::npos) << payload;
  EXPECT_EQ(update->stream_type, "user");
  EXPECT_EQ(update->actor_name, system_.username);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrganizationServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         testing::BackendParamName);

}  // namespace
}  // namespace oc::auth
