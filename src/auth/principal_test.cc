#include "auth/principal.h"

#include <gtest/gtest.h>

namespace oc::auth {
namespace {

Principal ManagerOf(DataScope scope) {
  Principal p;
  p.user_id = UserId(7);
  p.department_id = DepartmentId(4);
  p.department_path = "/1/4/";
  p.permissions = {Permission::kCustomerRead};
  p.scopes = {{"customer", scope}};
  return p;
}

TEST(PrincipalTest, RequireNamesTheMissingPermission) {
  Principal p = ManagerOf(DataScope::kOwn);
  EXPECT_TRUE(p.Require(Permission::kCustomerRead));
  auto denied = p.Require(Permission::kUserAdmin);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(denied.error().message.en_us.find("user.admin"), std::string::npos);
  EXPECT_NE(denied.error().message.zh_cn.find("管理用户"), std::string::npos);
}

TEST(PrincipalTest, EntitiesWithoutAGrantDefaultToOwnRecords) {
  EXPECT_EQ(ManagerOf(DataScope::kAll).ScopeFor("loan"), DataScope::kOwn);
}

TEST(PrincipalTest, ScopeSqlRestrictsByOwnerDepartmentOrSubtree) {
  auto own = ManagerOf(DataScope::kOwn).ScopeSql("customer", "owner_id", "department_id");
  EXPECT_EQ(own.sql, "owner_id = ?");
  EXPECT_EQ(own.params, storage::Params{int64_t{7}});

  auto dept = ManagerOf(DataScope::kDepartment).ScopeSql("customer", "owner_id", "department_id");
  EXPECT_EQ(dept.sql, "department_id = ?");
  EXPECT_EQ(dept.params, storage::Params{int64_t{4}});

  auto subtree = ManagerOf(DataScope::kSubtree).ScopeSql("customer", "c.owner_id", "c.dept");
  EXPECT_EQ(subtree.sql, "c.dept IN (SELECT id FROM departments WHERE path LIKE ?)");
  EXPECT_EQ(subtree.params, storage::Params{std::string("/1/4/%")});

  auto all = ManagerOf(DataScope::kAll).ScopeSql("customer", "owner_id", "department_id");
  EXPECT_TRUE(all.params.empty());
}

TEST(PrincipalTest, CanAccessFollowsTheScope) {
  EXPECT_TRUE(ManagerOf(DataScope::kOwn).CanAccess("customer", UserId(7), DepartmentId(9), "/9/"));
  EXPECT_FALSE(ManagerOf(DataScope::kOwn).CanAccess("customer", UserId(8), DepartmentId(4),
                                                    "/1/4/"));
  EXPECT_TRUE(ManagerOf(DataScope::kDepartment)
                  .CanAccess("customer", UserId(8), DepartmentId(4), "/1/4/"));
  EXPECT_TRUE(ManagerOf(DataScope::kSubtree)
                  .CanAccess("customer", UserId(8), DepartmentId(12), "/1/4/12/"));
  // Department 40 is not below department 4, although "/1/40/" starts with "/1/4".
  EXPECT_FALSE(ManagerOf(DataScope::kSubtree)
                   .CanAccess("customer", UserId(8), DepartmentId(40), "/1/40/"));
  EXPECT_TRUE(ManagerOf(DataScope::kAll).CanAccess("customer", UserId(8), DepartmentId(2), "/2/"));
}

TEST(PrincipalTest, DepartmentPathListsTheChainRootFirst) {
  EXPECT_EQ(DepartmentPath({DepartmentId(1), DepartmentId(4)}), "/1/4/");
  EXPECT_EQ(DepartmentPath({}), "/");
}

}  // namespace
}  // namespace oc::auth
