#include "auth/permissions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace oc::auth {
namespace {

TEST(PermissionsTest, TheCatalogueHasOneEntryPerPermissionInTheEnumsOrder) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < PermissionCatalog().size(); ++i) {
    const PermissionInfo& info = PermissionCatalog()[i];
    EXPECT_EQ(static_cast<std::size_t>(info.permission), i) << info.key;
    EXPECT_FALSE(info.description.zh_cn.empty()) << info.key;
    EXPECT_FALSE(info.description.en_us.empty()) << info.key;
    EXPECT_TRUE(names.insert(info.key).second) << "named twice: " << info.key;
  }
  EXPECT_EQ(PermissionCatalog().back().permission, Permission::kOperationsAdmin)
      << "a permission added to the enum needs its catalogue entry";
}

TEST(PermissionsTest, EveryNameReadsBackAsItsPermission) {
  for (const PermissionInfo& info : PermissionCatalog()) {
    EXPECT_EQ(PermissionName(info.permission), info.key);
    EXPECT_EQ(PermissionFromName(info.key), info.permission);
    EXPECT_TRUE(IsKnownPermission(info.key));
  }
  EXPECT_EQ(PermissionName(Permission::kPiiUnmask), "pii.unmask");
  EXPECT_EQ(PermissionFromName("customer.reassign"), Permission::kCustomerReassign);
  for (std::string_view unknown :
       {"", "customer", "customer.read ", "Customer.Read", "launch.rockets"}) {
    EXPECT_FALSE(PermissionFromName(unknown)) << unknown;
    EXPECT_FALSE(IsKnownPermission(unknown)) << unknown;
  }
}

TEST(PermissionsTest, GrantingTheTrailThePersonalDataOrGrantingItselfTakesTwoAdministrators) {
  std::set<Permission> two;
  for (const PermissionInfo& info : PermissionCatalog()) {
    if (NeedsSecondApproval(info.permission)) two.insert(info.permission);
    EXPECT_EQ(NeedsSecondApproval(info.key), NeedsSecondApproval(info.permission)) << info.key;
  }
  EXPECT_EQ(two,
            (std::set{Permission::kPiiUnmask, Permission::kRoleAdmin, Permission::kAuditRead}));
  EXPECT_FALSE(NeedsSecondApproval(std::string_view("launch.rockets")));
}

}  // namespace
}  // namespace oc::auth
