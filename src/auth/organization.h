#pragma once
// The organisation: departments (a tree: head office → branches → teams), users and roles.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.h"
#include "auth/principal.h"
#include "core/clock.h"
#include "core/error.h"

namespace oc::auth {

struct Department {
  DepartmentId id;
  std::optional<DepartmentId> parent_id;
  std::string name;
  std::string path;        // "/1/4/", see Principal::department_path
  std::string path_names;  // "总部 / 华东分部": the names along the path, root first
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

enum class UserStatus { kActive, kDisabled };
std::string_view UserStatusName(UserStatus status);  // "active", "disabled"
std::optional<UserStatus> UserStatusFromName(std::string_view name);

struct User {
  UserId id;
  std::string username;
  std::string display_name;
  DepartmentId department_id;
  std::optional<UserId> supervisor_id;
  UserStatus status = UserStatus::kActive;
  std::string language = "zh-CN";
  std::vector<std::string> role_keys;
  bool must_change_password = false;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

struct Role {
  RoleId id;
  std::string key;
  Message name;
  bool builtin = false;
  std::vector<std::string> permissions;  // sorted
  std::map<std::string, DataScope> scopes;
  int64_t version = 0;
};

// Interface languages a user can choose.
bool IsSupportedLanguage(std::string_view language);

}  // namespace oc::auth
