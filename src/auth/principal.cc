#include "auth/principal.h"

namespace oc::auth {

Status Principal::Require(Permission permission) const {
  if (Has(permission)) return Ok();
  const PermissionInfo& info = PermissionInfoOf(permission);
  std::string key(info.key);
  return MakeError(ErrorCode::kPermissionDenied,
                   {"没有执行此操作的权限（需要“" + info.description.zh_cn + "”权限 " + key + "）",
                    "You do not have permission for this action (requires " + key + ")"});
}

DataScope Principal::ScopeFor(std::string_view entity) const {
  auto it = scopes.find(entity);
  return it == scopes.end() ? DataScope::kOwn : it->second;
}

ScopePredicate Principal::ScopeSql(std::string_view entity, std::string_view owner_column,
                                   std::string_view department_column) const {
  switch (ScopeFor(entity)) {
    case DataScope::kAll:
      return {"1 = 1", {}};
    case DataScope::kOwn:
      return {std::string(owner_column) + " = ?", {user_id.value()}};
    case DataScope::kDepartment:
      return {std::string(department_column) + " = ?", {department_id.value()}};
    case DataScope::kSubtree:
      // Paths end in '/', so "/1/4/%" never matches department 40's "/1/40/".
      return {std::string(department_column) +
                  " IN (SELECT id FROM departments WHERE path LIKE ?)",
              {department_path + "%"}};
  }
  return {"1 = 0", {}};
}

bool Principal::CanAccess(std::string_view entity, UserId owner, DepartmentId record_department,
                          std::string_view record_department_path) const {
  switch (ScopeFor(entity)) {
    case DataScope::kAll: return true;
    case DataScope::kOwn: return owner == user_id;
    case DataScope::kDepartment: return record_department == department_id;
    case DataScope::kSubtree: return record_department_path.starts_with(department_path);
  }
  return false;
}

std::string DepartmentPath(const std::vector<DepartmentId>& chain) {
  std::string path = "/";
  for (DepartmentId id : chain) {
    path += std::to_string(id.value());
    path += '/';
  }
  return path;
}

}  // namespace oc::auth
