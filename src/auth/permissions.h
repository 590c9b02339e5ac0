#pragma once
// The catalogue of named permissions and the built-in roles. A role is a set of permissions plus
// a data scope per entity; the built-in roles are the jobs of a lending organisation and are
// created by migrations, so every installation starts with them. Those migrations are frozen
// text, not rendered from BuiltinRoles(): a change to a built-in role needs a migration of its
// own (src/app/schema_upgrade_test.cc fails until the migrated roles match). Administrators can
// add roles of their own from the same catalogue.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace oc::auth {

// How far a role's view of an entity's records reaches.
enum class DataScope {
  kOwn,         // 本人: records the user owns
  kDepartment,  // 本部门: records of the user's own department
  kSubtree,     // 本部门及下级: the user's department and every department below it
  kAll,         // 全部
};

std::string_view DataScopeName(DataScope scope);  // "own", "department", "subtree", "all"
std::optional<DataScope> DataScopeFromName(std::string_view name);

// Every permission the system knows, in display order. Code names permissions by these values;
// the dotted names ("customer.read") are what roles store and the API shows.
enum class Permission {
  kCustomerRead,
  kCustomerWrite,
  kCustomerDelete,
  kCustomerReassign,
  kCustomerClassify,
  kPiiUnmask,
  kFollowUpWrite,
  kApplicationSubmit,
  kApplicationApprove,
  kLoanRead,
  kLoanWrite,
  kLoanDisburse,
  kRepaymentWrite,
  kReportRead,
  kEntityAdmin,
  kWorkflowAdmin,
  kRuleAdmin,
  kIntegrationAdmin,
  kUserRead,
  kUserAdmin,
  kRoleAdmin,
  kDepartmentAdmin,
  kAuditRead,
  kDashboardAdmin,
  kCalendarAdmin,    // the business calendar and the business date
  kOperationsAdmin,  // jobs, timers and undeliverable events
};

struct PermissionInfo {
  Permission permission;
  std::string_view key;  // "customer.read"
  Message description;   // 查看客户 / View customers
};

// The catalogue, one entry per Permission in the enum's order.
std::span<const PermissionInfo> PermissionCatalog();
const PermissionInfo& PermissionInfoOf(Permission permission);
std::string_view PermissionName(Permission permission);  // "customer.read"
std::optional<Permission> PermissionFromName(std::string_view key);
bool IsKnownPermission(std::string_view key);

// Entities whose records carry an owner and a department, and so take a data scope.
std::span<const std::string_view> ScopedEntities();
bool IsScopedEntity(std::string_view entity);

struct BuiltinRole {
  std::string_view key;
  Message name;
  std::vector<Permission> permissions;
  std::map<std::string_view, DataScope> scopes;
};

std::span<const BuiltinRole> BuiltinRoles();

// Whether granting `permission` to anyone takes two administrators: pii.unmask (reading
// personal data in full), audit.read (reading the trail) and role.admin (granting anything).
// One administrator alone could otherwise give them to themselves or an accomplice.
bool NeedsSecondApproval(Permission permission);
// The same for a permission by name; false for a name outside the catalogue.
bool NeedsSecondApproval(std::string_view permission);

}  // namespace oc::auth
