#pragma once
// The authenticated user as every module sees it, and the one place where permission and
// data-scope decisions are made. Later modules (customers, loans, reports) never test roles by
// name: they ask the Principal whether it holds a permission and restrict their queries with
// ScopePredicate, so a change to what a role may see is a change to the role, not to code.
//
// A Principal is an immutable snapshot, safe to share between threads.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/permissions.h"
#include "core/error.h"
#include "core/id.h"
#include "storage/db.h"

namespace oc::auth {

struct UserTag;
struct DepartmentTag;
struct RoleTag;
using UserId = Id<UserTag>;
using DepartmentId = Id<DepartmentTag>;
using RoleId = Id<RoleTag>;

// A WHERE-clause fragment and its parameters, to be ANDed into a query.
struct ScopePredicate {
  std::string sql;  // "TRUE"-like "1 = 1" when unrestricted
  storage::Params params;
};

struct Principal {
  UserId user_id;
  std::string username;
  std::string display_name;
  DepartmentId department_id;
  std::string department_name;
  std::string department_path;  // "/1/4/": the department and its ancestors, root first
  std::string language;         // "zh-CN" or "en-US"
  std::vector<std::string> role_keys;
  std::set<Permission> permissions;
  std::map<std::string, DataScope, std::less<>> scopes;  // widest over the user's roles

  bool Has(Permission permission) const { return permissions.contains(permission); }

  // Ok, or kPermissionDenied naming the missing permission.
  Status Require(Permission permission) const;

  // The scope for `entity`; kOwn when no role grants one.
  DataScope ScopeFor(std::string_view entity) const;

  // Restricts rows of `entity` in a table with the given owner and department columns (64-bit
  // ids) to those this principal may see. Subtree scope uses the `departments.path` prefix.
  ScopePredicate ScopeSql(std::string_view entity, std::string_view owner_column,
                          std::string_view department_column) const;

  // Whether a single record of `entity`, owned by `owner` in the department whose path is
  // `record_department_path`, is within scope.
  bool CanAccess(std::string_view entity, UserId owner, DepartmentId record_department,
                 std::string_view record_department_path) const;
};

// A department path for the given chain of ids, root first: {1, 4} → "/1/4/".
std::string DepartmentPath(const std::vector<DepartmentId>& chain);

}  // namespace oc::auth
