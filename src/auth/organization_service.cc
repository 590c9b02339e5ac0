#include "auth/organization_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "auth/rate_limiter.h"
#include "auth/session_service.h"
#include "core/text_normalize.h"

namespace oc::auth {

namespace {

using storage::Null;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

// Trims ASCII and ideographic (U+3000) spaces: names are often pasted from documents.
std::string TrimName(std::string_view s) {
  auto starts_with_space = [](std::string_view v) {
    return !v.empty() && (v.front() == ' ' || v.front() == '\t' || v.starts_with("\u3000"));
  };
  auto ends_with_space = [](std::string_view v) {
    return !v.empty() && (v.back() == ' ' || v.back() == '\t' || v.ends_with("\u3000"));
  };
  while (starts_with_space(s)) s.remove_prefix(s.starts_with("\u3000") ? 3 : 1);
  while (ends_with_space(s)) s.remove_suffix(s.ends_with("\u3000") ? 3 : 1);
  return std::string(s);
}

Error StaleVersion() {
  return MakeError(ErrorCode::kAborted, {"记录已被他人修改，请刷新后重试",
                                         "The record was changed by someone else; reload and "
                                         "try again"});
}

Error Precondition(Message message) {
  return MakeError(ErrorCode::kFailedPrecondition, std::move(message));
}

Status CheckName(std::string_view field, const std::string& name, size_t max_chars) {
  if (name.empty()) {
    return InvalidField(std::string(field), "required", {"不能为空", "must not be empty"});
  }
  if (HasControlCharacter(name)) {
    return InvalidField(std::string(field), "control_character",
                        {"不能包含控制字符", "must not contain control characters"});
  }
  if (Utf8Length(name) > max_chars) {
    std::string n = std::to_string(max_chars);
    return InvalidField(std::string(field), "too_long",
                        {"不能超过 " + n + " 个字符", "must be at most " + n + " characters"});
  }
  return Ok();
}

Status CheckUsername(std::string_view username) {
  bool ok = username.size() >= 3 && username.size() <= 32 &&
            std::isalnum(static_cast<unsigned char>(username[0])) &&
            std::all_of(username.begin(), username.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                     c == '-';
            });
  if (ok) return Ok();
  return InvalidField("username", "invalid_format",
                      {"用户名须为 3–32 位小写字母、数字或 . _ -，以字母或数字开头",
                       "Username must be 3–32 lower-case letters, digits or . _ -, starting "
                       "with a letter or digit"});
}

Department DepartmentFromRow(const Row& row) {
  Department d;
  d.id = DepartmentId(row.Int("id"));
  if (auto parent = row.OptInt("parent_id")) d.parent_id = DepartmentId(*parent);
  d.name = row.Text("name");
  d.path = row.Text("path");
  d.version = row.Int("version");
  d.created_at = FromUnixMicros(row.Int("created_at_us"));
  d.updated_at = FromUnixMicros(row.Int("updated_at_us"));
  return d;
}

constexpr std::string_view kUserColumns =
    "id, username, display_name, department_id, supervisor_id, status, language, "
    "must_change_password, version, created_at_us, updated_at_us";

User UserFromRow(const Row& row) {
  User u;
  u.id = UserId(row.Int("id"));
  u.username = row.Text("username");
  u.display_name = row.Text("display_name");
  u.department_id = DepartmentId(row.Int("department_id"));
  if (auto s = row.OptInt("supervisor_id")) u.supervisor_id = UserId(*s);
  u.status = UserStatusFromName(row.Text("status")).value_or(UserStatus::kDisabled);
  u.language = row.Text("language");
  u.must_change_password = row.Bool("must_change_password");
  u.version = row.Int("version");
  u.created_at = FromUnixMicros(row.Int("created_at_us"));
  u.updated_at = FromUnixMicros(row.Int("updated_at_us"));
  return u;
}

Status LoadRoleKeys(Tx& tx, User& user) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT r.role_key FROM user_roles ur JOIN roles r ON "
                                       "r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.id",
                                       {user.id.value()}));
  user.role_keys.clear();
  for (const auto& row : rows) user.role_keys.push_back(row.Text(0));
  return Ok();
}

// Resolves role keys to ids; unknown keys are a validation error on "roles".
Result<std::vector<int64_t>> ResolveRoles(Tx& tx, const std::vector<std::string>& keys) {
  std::vector<int64_t> ids;
  std::set<std::string> seen;
  for (const auto& key : keys) {
    if (!seen.insert(key).second) continue;
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM roles WHERE role_key = ?", {key}));
    if (!row) {
      return InvalidField("roles", "unknown_role",
                          {"角色不存在：" + key, "Unknown role: " + key});
    }
    ids.push_back(row->Int(0));
  }
  return ids;
}

Status ReplaceUserRoles(Tx& tx, UserId user, const std::vector<int64_t>& role_ids) {
  RETURN_IF_ERROR(tx.Execute("DELETE FROM user_roles WHERE user_id = ?", {user.value()}));
  for (int64_t role_id : role_ids) {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)",
                               {user.value(), role_id}));
  }
  return Ok();
}

// Active holders of the permissions that keep the organisation administrable.
struct Administration {
  int64_t user_admins = 0;
  int64_t role_admins = 0;
};

Result<Administration> CountAdministration(Tx& tx) {
  Administration out;
  for (auto [permission, count] : {std::pair{Permission::kUserAdmin, &out.user_admins},
                                   std::pair{Permission::kRoleAdmin, &out.role_admins}}) {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(DISTINCT u.id) FROM users u JOIN "
                                           "user_roles ur ON ur.user_id = u.id JOIN "
                                           "role_permissions rp ON rp.role_id = ur.role_id "
                                           "WHERE rp.permission = ? AND u.status = 'active'",
                                           {std::string(PermissionName(permission))}));
    *count = row->Int(0);
  }
  return out;
}

// The organisation must never lose its last way in: once someone administers users, and once
// someone grants roles, somebody active still does after any change.
Status KeepAdministration(Tx& tx, const Administration& before) {
  ASSIGN_OR_RETURN(Administration after, CountAdministration(tx));
  if (before.user_admins > 0 && after.user_admins == 0) {
    return Precondition({"至少需要保留一名启用状态的系统管理员",
                         "At least one active administrator of users must remain"});
  }
  if (before.role_admins > 0 && after.role_admins == 0) {
    return Precondition({"至少需要保留一名启用状态的安全管理员",
                         "At least one active security administrator must remain"});
  }
  return Ok();
}

Error SelfChange(Message message) {
  return MakeError(ErrorCode::kPermissionDenied, std::move(message));
}

// The permissions the roles with these ids grant together.
Result<std::set<std::string>> PermissionsOf(Tx& tx, const std::vector<int64_t>& role_ids) {
  std::set<std::string> out;
  for (int64_t role : role_ids) {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT permission FROM role_permissions WHERE "
                                         "role_id = ?",
                                         {role}));
    for (const auto& row : rows) out.insert(row.Text(0));
  }
  return out;
}

// Whether giving `role` to someone who already holds `held` needs a second administrator: it
// brings a permission NeedsSecondApproval picks that they lack.
Result<bool> BringsPrivilege(Tx& tx, int64_t role, const std::set<std::string>& held) {
  ASSIGN_OR_RETURN(auto granted, PermissionsOf(tx, {role}));
  return std::any_of(granted.begin(), granted.end(), [&](const std::string& p) {
    return NeedsSecondApproval(p) && !held.contains(p);
  });
}

// A user whose password, reset by one administrator, would let that administrator act with
// powers beyond their own.
Result<bool> IsPrivileged(Tx& tx, UserId user) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT DISTINCT rp.permission FROM user_roles ur JOIN "
                                       "role_permissions rp ON rp.role_id = ur.role_id WHERE "
                                       "ur.user_id = ?",
                                       {user.value()}));
  return std::any_of(rows.begin(), rows.end(), [](const Row& row) {
    return NeedsSecondApproval(row.Text(0)) ||
           row.Text(0) == PermissionName(Permission::kUserAdmin);
  });
}

Result<bool> HoldsRole(Tx& tx, int64_t user, RoleId role) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM user_roles WHERE user_id = ? AND "
                                         "role_id = ?",
                                         {user, role.value()}));
  return row.has_value();
}

// Roles to give a user, split into those that take effect now and those that wait for a second
// administrator (when `actor` is a person: the shell's changes all take effect now).
struct RoleSplit {
  std::vector<int64_t> now;
  std::vector<std::string> now_keys;
  std::vector<int64_t> pending;
};

Result<RoleSplit> SplitRoles(Tx& tx, const audit::Actor& actor,
                             const std::vector<std::string>& keys,
                             const std::vector<std::string>& held_keys) {
  ASSIGN_OR_RETURN(auto ids, ResolveRoles(tx, keys));
  ASSIGN_OR_RETURN(auto held_ids, ResolveRoles(tx, held_keys));
  std::vector<std::string> unique_keys;
  for (const auto& key : keys) {
    if (std::find(unique_keys.begin(), unique_keys.end(), key) == unique_keys.end()) {
      unique_keys.push_back(key);
    }
  }
  RoleSplit split;
  // What the user keeps or gets at once counts as held: a second role granting the same
  // permission brings nothing new.
  std::vector<int64_t> kept;
  for (size_t i = 0; i < ids.size(); ++i) {
    const bool already = std::find(held_ids.begin(), held_ids.end(), ids[i]) != held_ids.end();
    if (already || !actor.user_id) kept.push_back(ids[i]);
  }
  ASSIGN_OR_RETURN(auto held, PermissionsOf(tx, kept));
  for (size_t i = 0; i < ids.size(); ++i) {
    const bool already = std::find(held_ids.begin(), held_ids.end(), ids[i]) != held_ids.end();
    bool wait = false;
    if (!already && actor.user_id) {
      ASSIGN_OR_RETURN(wait, BringsPrivilege(tx, ids[i], held));
    }
    if (wait) {
      split.pending.push_back(ids[i]);
    } else {
      split.now.push_back(ids[i]);
      split.now_keys.push_back(unique_keys[i]);
    }
  }
  return split;
}

Status CheckSupervisor(Tx& tx, std::optional<UserId> self, std::optional<UserId> supervisor) {
  if (!supervisor) return Ok();
  if (self && *supervisor == *self) {
    return InvalidField("supervisor_id", "cycle",
                        {"不能把用户设为自己的上级", "A user cannot supervise themselves"});
  }
  // Walk up the chain from the proposed supervisor; meeting `self` would close a loop.
  std::optional<UserId> current = supervisor;
  for (int depth = 0; current && depth < 64; ++depth) {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT supervisor_id FROM users WHERE id = ?",
                                           {current->value()}));
    if (!row) {
      if (depth == 0) {
        return InvalidField("supervisor_id", "unknown_user",
                            {"上级用户不存在", "The supervisor does not exist"});
      }
      break;
    }
    auto next = row->OptInt("supervisor_id");
    if (next && self && *next == self->value()) {
      return Precondition({"上级关系不能形成循环", "The supervisor chain would form a loop"});
    }
    current = next ? std::optional<UserId>(UserId(*next)) : std::nullopt;
  }
  return Ok();
}

Status CheckDepartmentExists(Tx& tx, DepartmentId id, std::string_view field) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM departments WHERE id = ?", {id.value()}));
  if (row) return Ok();
  return InvalidField(std::string(field), "unknown_department",
                      {"部门不存在", "The department does not exist"});
}

Status CheckRoleInput(const std::string* key, const Message* name,
                      const std::vector<std::string>* permissions,
                      const std::map<std::string, DataScope>* scopes) {
  std::vector<FieldViolation> violations;
  if (key) {
    bool ok = key->size() >= 2 && key->size() <= 32 && (*key)[0] >= 'a' && (*key)[0] <= 'z' &&
              std::all_of(key->begin(), key->end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
              });
    if (!ok) {
      violations.push_back({"key", "invalid_format",
                            {"角色标识须为 2–32 位小写字母、数字或下划线，以字母开头",
                             "Role key must be 2–32 lower-case letters, digits or underscores, "
                             "starting with a letter"}});
    }
  }
  if (name) {
    if (auto s = CheckName("name.zh-CN", name->zh_cn, 64); !s) {
      violations.push_back(s.error().field_violations[0]);
    }
    if (auto s = CheckName("name.en-US", name->en_us, 64); !s) {
      violations.push_back(s.error().field_violations[0]);
    }
  }
  if (permissions) {
    for (const auto& p : *permissions) {
      if (!IsKnownPermission(p)) {
        violations.push_back({"permissions", "unknown_permission",
                              {"未知的权限：" + p, "Unknown permission: " + p}});
      }
    }
  }
  if (scopes) {
    for (const auto& [entity, scope] : *scopes) {
      if (!IsScopedEntity(entity)) {
        violations.push_back({"scopes." + entity, "unknown_entity",
                              {"该对象没有数据范围：" + entity,
                               "This entity has no data scope: " + entity}});
      }
    }
  }
  if (violations.empty()) return Ok();
  return InvalidArgument(std::move(violations));
}

Role RoleFromRow(const Row& row) {
  Role r;
  r.id = RoleId(row.Int("id"));
  r.key = row.Text("role_key");
  r.name = {row.Text("name_zh"), row.Text("name_en")};
  r.builtin = row.Bool("builtin");
  r.version = row.Int("version");
  return r;
}

Status WriteRoleGrants(Tx& tx, RoleId id, const std::vector<std::string>& permissions,
                       const std::map<std::string, DataScope>& scopes) {
  RETURN_IF_ERROR(tx.Execute("DELETE FROM role_permissions WHERE role_id = ?", {id.value()}));
  RETURN_IF_ERROR(tx.Execute("DELETE FROM role_scopes WHERE role_id = ?", {id.value()}));
  std::set<std::string> unique(permissions.begin(), permissions.end());
  for (const auto& p : unique) {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                               {id.value(), p}));
  }
  for (const auto& [entity, scope] : scopes) {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO role_scopes (role_id, entity, scope) VALUES (?, ?, ?)",
                               {id.value(), entity, std::string(DataScopeName(scope))}));
  }
  return Ok();
}

std::string JoinSorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::string ScopesText(const std::map<std::string, DataScope>& scopes) {
  std::string out;
  for (const auto& [entity, scope] : scopes) {
    if (!out.empty()) out += ',';
    out += entity + ":" + std::string(DataScopeName(scope));
  }
  return out;
}

// A role's permissions as they will stand: the wanted ones, but the newly added that need a
// second administrator (when `actor` is a person) wait, as the second list.
std::pair<std::vector<std::string>, std::vector<std::string>> SplitPermissions(
    const audit::Actor& actor, const std::vector<std::string>& before,
    const std::vector<std::string>& wanted) {
  std::pair<std::vector<std::string>, std::vector<std::string>> out;
  for (const std::string& p : std::set<std::string>(wanted.begin(), wanted.end())) {
    const bool added = std::find(before.begin(), before.end(), p) == before.end();
    (added && actor.user_id && NeedsSecondApproval(p) ? out.second : out.first).push_back(p);
  }
  return out;
}

std::optional<std::string> OptId(std::optional<int64_t> id) {
  return id ? std::optional<std::string>(std::to_string(*id)) : std::nullopt;
}

Status RefuseOwnPasswordReset(const audit::Actor& actor, UserId id) {
  if (actor.user_id != id.value()) return Ok();
  return SelfChange({"不能在此重置自己的密码，请用当前密码修改",
                     "You cannot reset your own password here; change it with the current one"});
}

// Runs a use case that may request pending changes in a unit of its own, and hands the requests
// out once they are committed: a unit that runs again makes them again.
template <class T>
Result<T> RunRequesting(
    storage::Db& db, std::vector<PendingChange>* pending,
    const std::function<Result<T>(storage::UnitOfWork&, std::vector<PendingChange>*)>& use_case) {
  std::vector<PendingChange> requested;
  auto result = storage::UnitOfWork::RunValue<T>(db, [&](storage::UnitOfWork& unit) {
    requested.clear();
    return use_case(unit, &requested);
  });
  if (result && pending) pending->insert(pending->end(), requested.begin(), requested.end());
  return result;
}

}  // namespace

std::string_view UserStatusName(UserStatus status) {
  return status == UserStatus::kActive ? "active" : "disabled";
}

std::optional<UserStatus> UserStatusFromName(std::string_view name) {
  if (name == "active") return UserStatus::kActive;
  if (name == "disabled") return UserStatus::kDisabled;
  return std::nullopt;
}

bool IsSupportedLanguage(std::string_view language) {
  return language == "zh-CN" || language == "en-US";
}

Result<User> LoadUser(Tx& tx, UserId id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kUserColumns) +
                                             " FROM users WHERE id = ?",
                                         {id.value()}));
  if (!row) return NotFound({"用户不存在", "User not found"});
  User user = UserFromRow(*row);
  RETURN_IF_ERROR(LoadRoleKeys(tx, user));
  return user;
}

Result<Department> LoadDepartment(Tx& tx, DepartmentId id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, parent_id, name, path, version, "
                                         "created_at_us, updated_at_us FROM departments WHERE "
                                         "id = ?",
                                         {id.value()}));
  if (!row) return NotFound({"部门不存在", "Department not found"});
  Department department = DepartmentFromRow(*row);
  // The ancestors are the departments whose path begins this one's.
  ASSIGN_OR_RETURN(auto chain, tx.Query("SELECT name FROM departments WHERE ? LIKE path || '%' "
                                        "ORDER BY LENGTH(path)",
                                        {department.path}));
  for (const Row& link : chain) {
    if (!department.path_names.empty()) department.path_names += " / ";
    department.path_names += link.Text(0);
  }
  return department;
}

Result<Role> LoadRole(Tx& tx, RoleId id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, role_key, name_zh, name_en, builtin, "
                                         "version FROM roles WHERE id = ?",
                                         {id.value()}));
  if (!row) return NotFound({"角色不存在", "Role not found"});
  Role role = RoleFromRow(*row);
  ASSIGN_OR_RETURN(auto perms, tx.Query("SELECT permission FROM role_permissions WHERE role_id = "
                                        "? ORDER BY permission",
                                        {id.value()}));
  for (const auto& p : perms) role.permissions.push_back(p.Text(0));
  ASSIGN_OR_RETURN(auto scopes, tx.Query("SELECT entity, scope FROM role_scopes WHERE role_id = ?",
                                         {id.value()}));
  for (const auto& s : scopes) {
    role.scopes[s.Text(0)] = DataScopeFromName(s.Text(1)).value_or(DataScope::kOwn);
  }
  return role;
}

namespace {

// The event type of a change the trail records as `action`, or empty for one that is not a
// change of state others react to.
std::string EventTypeOf(audit::Action action, std::string_view entity_type) {
  switch (action) {
    case audit::Action::kDepartmentCreate:
      return "department.created";
    case audit::Action::kDepartmentUpdate:
      return "department.updated";
    case audit::Action::kDepartmentDelete:
      return "department.deleted";
    case audit::Action::kUserCreate:
      return "user.created";
    case audit::Action::kUserUpdate:
      return "user.updated";
    case audit::Action::kUserPasswordReset:
      return "user.password_reset";
    case audit::Action::kRoleCreate:
      return "role.created";
    case audit::Action::kRoleUpdate:
      return "role.updated";
    case audit::Action::kRoleDelete:
      return "role.deleted";
    case audit::Action::kChangeApproved:
      return std::string(entity_type) + ".updated";
    default:
      return "";
  }
}

// A staff member's name and contact details are personal data: an event says they changed,
// not what they became.
bool IsPersonal(const audit::FieldChange& change) {
  static const std::set<std::string, std::less<>> kPersonal = {
      "display_name", "username", "email", "phone", "mobile", "password", "password_hash"};
  return change.sensitivity != audit::Sensitivity::kPlain || kPersonal.contains(change.field);
}

}  // namespace

Status OrganizationService::Record(Tx& tx, const audit::Actor& actor, audit::Event entry) const {
  const std::string type = EventTypeOf(entry.action, entry.entity_type);
  if (!type.empty() && (entry.action != audit::Action::kChangeApproved || !entry.changes.empty())) {
    boost::json::array changes;
    for (const audit::FieldChange& change : entry.changes) {
      if (IsPersonal(change)) {
        changes.push_back(runtime::SensitiveChange(change.field));
        continue;
      }
      auto value = [](const std::optional<std::string>& text) {
        return text ? boost::json::value(*text) : boost::json::value(nullptr);
      };
      changes.push_back(
          runtime::RecordChange(change.field, value(change.before), value(change.after)));
    }
    RETURN_IF_ERROR(events_.Append(tx, actor,
                                   {.stream_type = entry.entity_type,
                                    .stream_id = entry.entity_id,
                                    .type = type,
                                    .payload = {{"changes", std::move(changes)}}}));
  }
  return audit_.Append(tx, actor, entry);
}

OrganizationService::OrganizationService(storage::Db& db, const Clock& clock,
                                         const audit::AuditLog& audit,
                                         const runtime::EventLog& events,
                                         const PasswordHasher& hasher, PasswordPolicy policy,
                                         std::function<void()> on_change)
    : db_(db),
      clock_(clock),
      audit_(audit),
      events_(events),
      hasher_(hasher),
      policy_(policy),
      on_change_(std::move(on_change)),
      pending_(clock, audit) {}

// ---- Departments ----------------------------------------------------------------------------

Result<Department> OrganizationService::CreateDepartment(const audit::Actor& actor,
                                                         const NewDepartment& input) {
  return storage::UnitOfWork::RunValue<Department>(
      db_, [&](storage::UnitOfWork& unit) { return CreateDepartment(unit, actor, input); });
}

Result<Department> OrganizationService::CreateDepartment(storage::UnitOfWork& unit,
                                                         const audit::Actor& actor,
                                                         const NewDepartment& input) {
  std::string name = TrimName(input.name);
  RETURN_IF_ERROR(CheckName("name", name, 64));
  int64_t now = ToUnixMicros(clock_.Now());
  Tx& tx = unit.tx();
  std::string parent_path = "/";
  Value parent = Null{};
  if (input.parent_id) {
    auto p = LoadDepartment(tx, *input.parent_id);
    if (!p) {
      return InvalidField("parent_id", "unknown_department",
                          {"上级部门不存在", "The parent department does not exist"});
    }
    parent_path = p->path;
    parent = input.parent_id->value();
  }
  auto inserted = tx.Insert(
      "INSERT INTO departments (parent_id, name, path, version, created_at_us, updated_at_us) "
      "VALUES (?, ?, '', 1, ?, ?)",
      {parent, name, now, now});
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    return MakeError(ErrorCode::kAlreadyExists, {"同一上级部门下已有同名部门",
                                                 "A department with this name already "
                                                 "exists under the same parent"});
  }
  if (!inserted) return inserted.error();
  DepartmentId id(*inserted);
  std::string path = parent_path + std::to_string(id.value()) + "/";
  RETURN_IF_ERROR(tx.Execute("UPDATE departments SET path = ? WHERE id = ?", {path, id.value()}));
  RETURN_IF_ERROR(
      Record(tx, actor,
             {.action = audit::Action::kDepartmentCreate,
              .entity_type = "department",
              .entity_id = std::to_string(id.value()),
              .changes = {{"name", std::nullopt, name},
                          {"parent_id", std::nullopt,
                           OptId(input.parent_id ? std::optional<int64_t>(input.parent_id->value())
                                                 : std::nullopt)}}}));
  return LoadDepartment(tx, id);
}

Result<Department> OrganizationService::UpdateDepartment(const audit::Actor& actor,
                                                         DepartmentId id,
                                                         const DepartmentPatch& patch,
                                                         int64_t expected_version) {
  return storage::UnitOfWork::RunValue<Department>(db_, [&](storage::UnitOfWork& unit) {
    return UpdateDepartment(unit, actor, id, patch, expected_version);
  });
}

Result<Department> OrganizationService::UpdateDepartment(storage::UnitOfWork& unit,
                                                         const audit::Actor& actor, DepartmentId id,
                                                         const DepartmentPatch& patch,
                                                         int64_t expected_version) {
  std::optional<std::string> name;
  if (patch.name) {
    name = TrimName(*patch.name);
    RETURN_IF_ERROR(CheckName("name", *name, 64));
  }
  int64_t now = ToUnixMicros(clock_.Now());
  Tx& tx = unit.tx();
  auto updated = [&]() -> Result<Department> {
    ASSIGN_OR_RETURN(Department before, LoadDepartment(tx, id));
    if (before.version != expected_version) return StaleVersion();
    std::vector<audit::FieldChange> changes;
    if (name && *name != before.name) {
      auto renamed = tx.Execute("UPDATE departments SET name = ? WHERE id = ?", {*name, id.value()});
      if (!renamed && renamed.error().code == ErrorCode::kAlreadyExists) {
        return MakeError(ErrorCode::kAlreadyExists,
                         {"同一上级部门下已有同名部门",
                          "A department with this name already exists under the same parent"});
      }
      RETURN_IF_ERROR(renamed);
      changes.push_back({"name", before.name, *name});
    }
    if (patch.parent_id) {
      std::optional<DepartmentId> new_parent = *patch.parent_id;
      std::string new_parent_path = "/";
      if (new_parent) {
        auto parent = LoadDepartment(tx, *new_parent);
        if (!parent) {
          return InvalidField("parent_id", "unknown_department",
                              {"上级部门不存在", "The parent department does not exist"});
        }
        if (parent->path.starts_with(before.path)) {
          return Precondition({"不能把部门移动到它自己或它的下级部门之下",
                               "A department cannot be moved under itself or its descendants"});
        }
        new_parent_path = parent->path;
      }
      if (new_parent != before.parent_id) {
        std::string new_path = new_parent_path + std::to_string(id.value()) + "/";
        Value parent_value = new_parent ? Value(new_parent->value()) : Value(Null{});
        RETURN_IF_ERROR(tx.Execute("UPDATE departments SET parent_id = ? WHERE id = ?",
                                   {parent_value, id.value()}));
        // Rewrites the path prefix of the department and everything below it in one statement.
        RETURN_IF_ERROR(tx.Execute(
            "UPDATE departments SET path = ? || substr(path, CAST(? AS INTEGER)) WHERE path LIKE ?",
            {new_path, static_cast<int64_t>(before.path.size() + 1), before.path + "%"}));
        changes.push_back(
            {"parent_id",
             OptId(before.parent_id ? std::optional<int64_t>(before.parent_id->value())
                                    : std::nullopt),
             OptId(new_parent ? std::optional<int64_t>(new_parent->value()) : std::nullopt)});
      }
    }
    if (changes.empty()) return before;
    RETURN_IF_ERROR(tx.Execute(
        "UPDATE departments SET version = version + 1, updated_at_us = ? WHERE id = ?",
        {now, id.value()}));
    RETURN_IF_ERROR(Record(tx, actor,
                           {.action = audit::Action::kDepartmentUpdate,
                            .entity_type = "department",
                            .entity_id = std::to_string(id.value()),
                            .changes = std::move(changes)}));
    return LoadDepartment(tx, id);
  }();
  if (updated) unit.AfterCommit(on_change_);  // principals carry department paths
  return updated;
}

Status OrganizationService::DeleteDepartment(const audit::Actor& actor, DepartmentId id) {
  return storage::UnitOfWork::Run(
      db_, [&](storage::UnitOfWork& unit) { return DeleteDepartment(unit, actor, id); });
}

Status OrganizationService::DeleteDepartment(storage::UnitOfWork& unit, const audit::Actor& actor,
                                             DepartmentId id) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(Department before, LoadDepartment(tx, id));
  ASSIGN_OR_RETURN(auto children, tx.QueryOne("SELECT COUNT(*) FROM departments WHERE "
                                              "parent_id = ?",
                                              {id.value()}));
  ASSIGN_OR_RETURN(auto members,
                   tx.QueryOne("SELECT COUNT(*) FROM users WHERE department_id = ?", {id.value()}));
  if (children->Int(0) > 0 || members->Int(0) > 0) {
    return Precondition({"部门下还有下级部门或用户，不能删除",
                         "The department still has sub-departments or users"});
  }
  RETURN_IF_ERROR(tx.Execute("DELETE FROM departments WHERE id = ?", {id.value()}));
  return Record(tx, actor,
                {.action = audit::Action::kDepartmentDelete,
                 .entity_type = "department",
                 .entity_id = std::to_string(id.value()),
                 .changes = {{"name", before.name, std::nullopt}}});
}

Result<std::vector<Department>> OrganizationService::ListDepartments() {
  return db_.ReadValue<std::vector<Department>>([](Tx& tx) -> Result<std::vector<Department>> {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, parent_id, name, path, version, "
                                         "created_at_us, updated_at_us FROM departments ORDER "
                                         "BY path"));
    std::vector<Department> out;
    std::map<DepartmentId, std::string> names_along;  // by path order, parents come first
    for (const auto& row : rows) {
      Department d = DepartmentFromRow(row);
      auto parent = d.parent_id ? names_along.find(*d.parent_id) : names_along.end();
      d.path_names = parent == names_along.end() ? d.name : parent->second + " / " + d.name;
      names_along[d.id] = d.path_names;
      out.push_back(std::move(d));
    }
    return out;
  });
}

Result<Department> OrganizationService::GetDepartment(DepartmentId id) {
  return db_.ReadValue<Department>([&](Tx& tx) { return LoadDepartment(tx, id); });
}

Result<std::optional<Department>> OrganizationService::FindDepartmentByName(
    std::string_view name) {
  std::string n(name);
  return db_.ReadValue<std::optional<Department>>(
      [&](Tx& tx) -> Result<std::optional<Department>> {
        ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, parent_id, name, path, version, "
                                               "created_at_us, updated_at_us FROM departments "
                                               "WHERE name = ? ORDER BY path LIMIT 1",
                                               {n}));
        if (!row) return std::optional<Department>();
        return std::optional<Department>(DepartmentFromRow(*row));
      });
}

// ---- Users ----------------------------------------------------------------------------------

Result<User> OrganizationService::CreateUser(const audit::Actor& actor, const NewUser& input,
                                             std::vector<PendingChange>* pending) {
  ASSIGN_OR_RETURN(PreparedUser user, PrepareUser(input));
  return RunRequesting<User>(db_, pending,
                             [&](storage::UnitOfWork& unit, std::vector<PendingChange>* requested) {
                               return CreateUser(unit, actor, user, requested);
                             });
}

Result<PreparedUser> OrganizationService::PrepareUser(const NewUser& input) const {
  std::vector<FieldViolation> violations;
  auto collect = [&](Status s) {
    if (!s) {
      for (auto& v : s.error().field_violations) violations.push_back(std::move(v));
    }
  };
  std::string display_name = TrimName(input.display_name);
  collect(CheckUsername(input.username));
  collect(CheckName("display_name", display_name, 64));
  collect(CheckPasswordStrength(input.password, input.username, policy_));
  if (!IsSupportedLanguage(input.language)) {
    violations.push_back({"language", "unsupported",
                          {"仅支持 zh-CN 和 en-US", "Only zh-CN and en-US are supported"}});
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  PreparedUser user;
  user.input_ = input;
  user.input_.password.clear();
  user.display_name_ = std::move(display_name);
  user.password_hash_ = hasher_.Hash(input.password);
  return user;
}

Result<User> OrganizationService::CreateUser(storage::UnitOfWork& unit, const audit::Actor& actor,
                                             const PreparedUser& user,
                                             std::vector<PendingChange>* pending) {
  const NewUser& input = user.input_;
  const std::string& display_name = user.display_name_;
  int64_t now = ToUnixMicros(clock_.Now());
  Tx& tx = unit.tx();
  RETURN_IF_ERROR(CheckDepartmentExists(tx, input.department_id, "department_id"));
  RETURN_IF_ERROR(CheckSupervisor(tx, std::nullopt, input.supervisor_id));
  ASSIGN_OR_RETURN(RoleSplit roles, SplitRoles(tx, actor, input.role_keys, {}));
  Value supervisor = input.supervisor_id ? Value(input.supervisor_id->value()) : Value(Null{});
  auto inserted = tx.Insert(
      "INSERT INTO users (username, display_name, password_hash, department_id, "
      "supervisor_id, status, language, must_change_password, "
      "password_changed_at_us, version, created_at_us, updated_at_us) "
      "VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, 1, ?, ?)",
      {input.username, display_name, user.password_hash_, input.department_id.value(), supervisor,
       input.language, int64_t{input.must_change_password}, now, now, now});
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    Error e = InvalidField("username", "taken", {"用户名已被使用", "Username is already taken"});
    e.code = ErrorCode::kAlreadyExists;
    return e;
  }
  if (!inserted) return inserted.error();
  UserId id(*inserted);
  RETURN_IF_ERROR(ReplaceUserRoles(tx, id, roles.now));
  RETURN_IF_ERROR(Record(
      tx, actor,
      {.action = audit::Action::kUserCreate,
       .entity_type = "user",
       .entity_id = std::to_string(id.value()),
       .changes = {{"username", std::nullopt, input.username},
                   {"display_name", std::nullopt, display_name},
                   {"department_id", std::nullopt, std::to_string(input.department_id.value())},
                   {"roles", std::nullopt, JoinSorted(roles.now_keys)},
                   {"password", std::nullopt, "set", audit::Sensitivity::kSecret}}}));
  std::vector<PendingChange> requested;
  for (int64_t role : roles.pending) {
    ASSIGN_OR_RETURN(
        PendingChange change,
        pending_.Request(tx, actor,
                         {.kind = PendingKind::kUserRole, .user_id = id, .role_id = RoleId(role)}));
    requested.push_back(std::move(change));
  }
  ASSIGN_OR_RETURN(User created, LoadUser(tx, id));
  if (pending) pending->insert(pending->end(), requested.begin(), requested.end());
  return created;
}

Result<User> OrganizationService::UpdateUser(const audit::Actor& actor, UserId id,
                                             const UserPatch& patch, int64_t expected_version,
                                             std::vector<PendingChange>* pending) {
  return RunRequesting<User>(
      db_, pending, [&](storage::UnitOfWork& unit, std::vector<PendingChange>* requested) {
        return UpdateUser(unit, actor, id, patch, expected_version, requested);
      });
}

Result<User> OrganizationService::UpdateUser(storage::UnitOfWork& unit, const audit::Actor& actor,
                                             UserId id, const UserPatch& patch,
                                             int64_t expected_version,
                                             std::vector<PendingChange>* pending) {
  std::vector<FieldViolation> violations;
  std::optional<std::string> display_name;
  if (patch.display_name) {
    display_name = TrimName(*patch.display_name);
    if (auto s = CheckName("display_name", *display_name, 64); !s) {
      violations.push_back(s.error().field_violations[0]);
    }
  }
  if (patch.language && !IsSupportedLanguage(*patch.language)) {
    violations.push_back({"language", "unsupported",
                          {"仅支持 zh-CN 和 en-US", "Only zh-CN and en-US are supported"}});
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  int64_t now = ToUnixMicros(clock_.Now());

  Tx& tx = unit.tx();
  std::vector<PendingChange> requested;
  auto updated = [&]() -> Result<User> {
    ASSIGN_OR_RETURN(User before, LoadUser(tx, id));
    if (before.version != expected_version) return StaleVersion();
    const bool self = actor.user_id == id.value();
    if (self &&
        ((patch.role_keys && JoinSorted(*patch.role_keys) != JoinSorted(before.role_keys)) ||
         (patch.department_id && *patch.department_id != before.department_id))) {
      // The department decides what one sees as much as the roles do.
      return SelfChange({"不能修改自己的角色或部门（职责分离），请由其他管理员办理",
                         "You cannot change your own roles or department (separation of "
                         "duties); another administrator must"});
    }
    ASSIGN_OR_RETURN(Administration administration, CountAdministration(tx));
    std::vector<audit::FieldChange> changes;
    if (display_name && *display_name != before.display_name) {
      RETURN_IF_ERROR(tx.Execute("UPDATE users SET display_name = ? WHERE id = ?",
                                 {*display_name, id.value()}));
      changes.push_back({"display_name", before.display_name, *display_name});
    }
    if (patch.department_id && *patch.department_id != before.department_id) {
      RETURN_IF_ERROR(CheckDepartmentExists(tx, *patch.department_id, "department_id"));
      RETURN_IF_ERROR(tx.Execute("UPDATE users SET department_id = ? WHERE id = ?",
                                 {patch.department_id->value(), id.value()}));
      changes.push_back({"department_id", std::to_string(before.department_id.value()),
                         std::to_string(patch.department_id->value())});
    }
    if (patch.supervisor_id && *patch.supervisor_id != before.supervisor_id) {
      RETURN_IF_ERROR(CheckSupervisor(tx, id, *patch.supervisor_id));
      Value v = *patch.supervisor_id ? Value((*patch.supervisor_id)->value()) : Value(Null{});
      RETURN_IF_ERROR(tx.Execute("UPDATE users SET supervisor_id = ? WHERE id = ?",
                                 {v, id.value()}));
      auto as_text = [](std::optional<UserId> u) {
        return u ? std::optional<std::string>(std::to_string(u->value())) : std::nullopt;
      };
      changes.push_back({"supervisor_id", as_text(before.supervisor_id),
                         as_text(*patch.supervisor_id)});
    }
    if (patch.role_keys && JoinSorted(*patch.role_keys) != JoinSorted(before.role_keys)) {
      ASSIGN_OR_RETURN(RoleSplit roles, SplitRoles(tx, actor, *patch.role_keys, before.role_keys));
      if (JoinSorted(roles.now_keys) != JoinSorted(before.role_keys)) {
        RETURN_IF_ERROR(ReplaceUserRoles(tx, id, roles.now));
        changes.push_back({"roles", JoinSorted(before.role_keys), JoinSorted(roles.now_keys)});
      }
      for (int64_t role : roles.pending) {
        ASSIGN_OR_RETURN(PendingChange change, pending_.Request(tx, actor,
                                                                {.kind = PendingKind::kUserRole,
                                                                 .user_id = id,
                                                                 .role_id = RoleId(role)}));
        requested.push_back(std::move(change));
      }
    }
    if (patch.language && *patch.language != before.language) {
      RETURN_IF_ERROR(tx.Execute("UPDATE users SET language = ? WHERE id = ?",
                                 {*patch.language, id.value()}));
      changes.push_back({"language", before.language, *patch.language});
    }
    if (patch.status && *patch.status != before.status) {
      RETURN_IF_ERROR(tx.Execute("UPDATE users SET status = ? WHERE id = ?",
                                 {std::string(UserStatusName(*patch.status)), id.value()}));
      if (*patch.status == UserStatus::kDisabled) {
        // A disabled user must lose access at once, not when their session expires.
        RETURN_IF_ERROR(tx.Execute("UPDATE sessions SET revoked = 1 WHERE user_id = ?",
                                   {id.value()}));
      }
      changes.push_back({"status", std::string(UserStatusName(before.status)),
                         std::string(UserStatusName(*patch.status))});
    }
    if (changes.empty()) return before;
    RETURN_IF_ERROR(KeepAdministration(tx, administration));
    RETURN_IF_ERROR(tx.Execute(
        "UPDATE users SET version = version + 1, updated_at_us = ? WHERE id = ?",
        {now, id.value()}));
    RETURN_IF_ERROR(Record(tx, actor,
                           {.action = audit::Action::kUserUpdate,
                            .entity_type = "user",
                            .entity_id = std::to_string(id.value()),
                            .changes = std::move(changes)}));
    return LoadUser(tx, id);
  }();
  if (!updated) return updated;
  if (pending) pending->insert(pending->end(), requested.begin(), requested.end());
  unit.AfterCommit(on_change_);
  return updated;
}

Status OrganizationService::ApplyPasswordReset(Tx& tx, const audit::Actor& actor, const User& user,
                                               const std::string& hash) {
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(int64_t changed,
                   tx.Execute("UPDATE users SET password_hash = ?, must_change_password = 1, "
                              "password_changed_at_us = ?, version = version + 1, "
                              "updated_at_us = ? WHERE id = ?",
                              {hash, now, now, user.id.value()}));
  if (changed == 0) return NotFound({"用户不存在", "User not found"});
  // The user may sign in with the new password at once, from wherever they were locked out.
  RateLimiter limiter(clock_);
  for (std::string_view bucket : {kFailedSignIns, kLockedSignIns}) {
    RETURN_IF_ERROR(limiter.Forget(tx, bucket, user.username + "|*"));
  }
  RETURN_IF_ERROR(
      tx.Execute("UPDATE sessions SET revoked = 1 WHERE user_id = ?", {user.id.value()}));
  return Record(tx, actor,
                {.action = audit::Action::kUserPasswordReset,
                 .entity_type = "user",
                 .entity_id = std::to_string(user.id.value()),
                 .changes = {{"password", "old", "new", audit::Sensitivity::kSecret}}});
}

Result<std::optional<PendingChange>> OrganizationService::ResetPassword(
    const audit::Actor& actor, UserId id, std::string_view new_password) {
  ASSIGN_OR_RETURN(PreparedPasswordReset reset, PreparePasswordReset(actor, id, new_password));
  return storage::UnitOfWork::RunValue<std::optional<PendingChange>>(
      db_, [&](storage::UnitOfWork& unit) { return ResetPassword(unit, actor, reset); });
}

Result<PreparedPasswordReset> OrganizationService::PreparePasswordReset(
    const audit::Actor& actor, UserId id, std::string_view new_password) {
  RETURN_IF_ERROR(RefuseOwnPasswordReset(actor, id));
  ASSIGN_OR_RETURN(User user, GetUser(id));
  RETURN_IF_ERROR(CheckPasswordStrength(new_password, user.username, policy_));
  PreparedPasswordReset reset;
  reset.user_id_ = id;
  reset.password_hash_ = hasher_.Hash(new_password);
  return reset;
}

Result<std::optional<PendingChange>> OrganizationService::ResetPassword(
    storage::UnitOfWork& unit, const audit::Actor& actor, const PreparedPasswordReset& reset) {
  const UserId id = reset.user_id_;
  // Checked again here: the actor who prepared the reset need not be the one who makes it.
  RETURN_IF_ERROR(RefuseOwnPasswordReset(actor, id));
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(bool privileged, IsPrivileged(tx, id));
  if (privileged && actor.user_id) {
    // Whoever sets the password of a privileged user can sign in as them.
    ASSIGN_OR_RETURN(PendingChange requested,
                     pending_.Request(tx, actor,
                                      {.kind = PendingKind::kPasswordReset,
                                       .user_id = id,
                                       .password_hash = reset.password_hash_}));
    return std::optional<PendingChange>(std::move(requested));
  }
  ASSIGN_OR_RETURN(User user, LoadUser(tx, id));
  RETURN_IF_ERROR(ApplyPasswordReset(tx, actor, user, reset.password_hash_));
  unit.AfterCommit(on_change_);
  return std::optional<PendingChange>();
}

Result<User> OrganizationService::GetUser(UserId id) {
  return db_.ReadValue<User>([&](Tx& tx) { return LoadUser(tx, id); });
}
Result<User> OrganizationService::GetUser(Tx& tx, UserId id) { return LoadUser(tx, id); }

Result<std::optional<User>> OrganizationService::FindUserByUsername(std::string_view username) {
  std::string name(username);
  return db_.ReadValue<std::optional<User>>([&](Tx& tx) -> Result<std::optional<User>> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM users WHERE username = ?", {name}));
    if (!row) return std::optional<User>();
    ASSIGN_OR_RETURN(User user, LoadUser(tx, UserId(row->Int(0))));
    return std::optional<User>(std::move(user));
  });
}

Result<std::vector<User>> OrganizationService::ListUsers(const UserFilter& filter) {
  // The API pages by up to 500 and asks for one more row to learn whether a next page exists.
  if (filter.limit < 1 || filter.limit > 1000) {
    return InvalidField("limit", "out_of_range",
                        {"limit 必须在 1 到 1000 之间", "limit must be between 1 and 1000"});
  }
  std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users WHERE 1 = 1";
  Params params;
  if (filter.department_id) {
    sql += " AND department_id = ?";
    params.emplace_back(filter.department_id->value());
  }
  if (filter.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(UserStatusName(*filter.status)));
  }
  if (!filter.query.empty()) {
    // Prefix ranges rather than LIKE: '%' and '_' typed by a user match only themselves.
    sql += " AND ((username >= ? AND username < ?) OR (display_name >= ? AND display_name < ?))";
    std::string upper = filter.query + "\xF4\x8F\xBF\xBF";
    params.insert(params.end(), {filter.query, upper, filter.query, upper});
  }
  if (filter.after_id) {
    sql += " AND id > ?";
    params.emplace_back(*filter.after_id);
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{filter.limit});
  return db_.ReadValue<std::vector<User>>([&](Tx& tx) -> Result<std::vector<User>> {
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<User> users;
    for (const auto& row : rows) {
      User user = UserFromRow(row);
      RETURN_IF_ERROR(LoadRoleKeys(tx, user));
      users.push_back(std::move(user));
    }
    return users;
  });
}

// ---- Roles ----------------------------------------------------------------------------------

Result<Role> OrganizationService::CreateRole(const audit::Actor& actor, const NewRole& input,
                                             std::vector<PendingChange>* pending) {
  return RunRequesting<Role>(db_, pending,
                             [&](storage::UnitOfWork& unit, std::vector<PendingChange>* requested) {
                               return CreateRole(unit, actor, input, requested);
                             });
}

Result<Role> OrganizationService::CreateRole(storage::UnitOfWork& unit, const audit::Actor& actor,
                                             const NewRole& input,
                                             std::vector<PendingChange>* pending) {
  Message name{TrimName(input.name.zh_cn), TrimName(input.name.en_us)};
  RETURN_IF_ERROR(CheckRoleInput(&input.key, &name, &input.permissions, &input.scopes));
  int64_t now = ToUnixMicros(clock_.Now());
  auto [granted, waiting] = SplitPermissions(actor, {}, input.permissions);
  Tx& tx = unit.tx();
  auto inserted = tx.Insert(
      "INSERT INTO roles (role_key, name_zh, name_en, builtin, version, created_at_us, "
      "updated_at_us) VALUES (?, ?, ?, 0, 1, ?, ?)",
      {input.key, name.zh_cn, name.en_us, now, now});
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    Error e = InvalidField("key", "taken", {"角色标识已存在", "Role key already exists"});
    e.code = ErrorCode::kAlreadyExists;
    return e;
  }
  if (!inserted) return inserted.error();
  RoleId id(*inserted);
  RETURN_IF_ERROR(WriteRoleGrants(tx, id, granted, input.scopes));
  RETURN_IF_ERROR(Record(tx, actor,
                         {.action = audit::Action::kRoleCreate,
                          .entity_type = "role",
                          .entity_id = std::to_string(id.value()),
                          .changes = {{"key", std::nullopt, input.key},
                                      {"permissions", std::nullopt, JoinSorted(granted)},
                                      {"scopes", std::nullopt, ScopesText(input.scopes)}}}));
  std::vector<PendingChange> requested;
  for (const std::string& permission : waiting) {
    ASSIGN_OR_RETURN(PendingChange change, pending_.Request(tx, actor,
                                                            {.kind = PendingKind::kRolePermission,
                                                             .role_id = id,
                                                             .permission = permission}));
    requested.push_back(std::move(change));
  }
  ASSIGN_OR_RETURN(Role created, LoadRole(tx, id));
  if (pending) pending->insert(pending->end(), requested.begin(), requested.end());
  return created;
}

Result<Role> OrganizationService::UpdateRole(const audit::Actor& actor, RoleId id,
                                             const RolePatch& patch, int64_t expected_version,
                                             std::vector<PendingChange>* pending) {
  return RunRequesting<Role>(
      db_, pending, [&](storage::UnitOfWork& unit, std::vector<PendingChange>* requested) {
        return UpdateRole(unit, actor, id, patch, expected_version, requested);
      });
}

Result<Role> OrganizationService::UpdateRole(storage::UnitOfWork& unit, const audit::Actor& actor,
                                             RoleId id, const RolePatch& patch,
                                             int64_t expected_version,
                                             std::vector<PendingChange>* pending) {
  std::optional<Message> name;
  if (patch.name) name = Message{TrimName(patch.name->zh_cn), TrimName(patch.name->en_us)};
  RETURN_IF_ERROR(CheckRoleInput(nullptr, name ? &*name : nullptr,
                                 patch.permissions ? &*patch.permissions : nullptr,
                                 patch.scopes ? &*patch.scopes : nullptr));
  int64_t now = ToUnixMicros(clock_.Now());
  Tx& tx = unit.tx();
  std::vector<PendingChange> requested;
  auto updated = [&]() -> Result<Role> {
    ASSIGN_OR_RETURN(Role before, LoadRole(tx, id));
    if (before.version != expected_version) return StaleVersion();
    if (actor.user_id && (patch.permissions || patch.scopes)) {
      ASSIGN_OR_RETURN(bool holds, HoldsRole(tx, *actor.user_id, id));
      if (holds) {
        return SelfChange({"不能修改自己所属角色的权限（职责分离），请由其他管理员办理",
                           "You cannot change the permissions of a role you hold (separation of "
                           "duties); another administrator must"});
      }
    }
    if (before.builtin && (patch.permissions || patch.scopes)) {
      return Precondition({"内置角色的权限不能修改，请新建角色",
                           "A built-in role's permissions cannot change; create a new role"});
    }
    std::vector<audit::FieldChange> changes;
    if (name && (name->zh_cn != before.name.zh_cn || name->en_us != before.name.en_us)) {
      RETURN_IF_ERROR(tx.Execute("UPDATE roles SET name_zh = ?, name_en = ? WHERE id = ?",
                                 {name->zh_cn, name->en_us, id.value()}));
      changes.push_back({"name", before.name.zh_cn + " / " + before.name.en_us,
                         name->zh_cn + " / " + name->en_us});
    }
    if (patch.permissions || patch.scopes) {
      auto [permissions, waiting] = SplitPermissions(
          actor, before.permissions, patch.permissions ? *patch.permissions : before.permissions);
      const auto& scopes = patch.scopes ? *patch.scopes : before.scopes;
      RETURN_IF_ERROR(WriteRoleGrants(tx, id, permissions, scopes));
      if (JoinSorted(before.permissions) != JoinSorted(permissions)) {
        changes.push_back({"permissions", JoinSorted(before.permissions), JoinSorted(permissions)});
      }
      if (ScopesText(before.scopes) != ScopesText(scopes)) {
        changes.push_back({"scopes", ScopesText(before.scopes), ScopesText(scopes)});
      }
      for (const std::string& permission : waiting) {
        ASSIGN_OR_RETURN(
            PendingChange change,
            pending_.Request(
                tx, actor,
                {.kind = PendingKind::kRolePermission, .role_id = id, .permission = permission}));
        requested.push_back(std::move(change));
      }
    }
    if (changes.empty()) return before;
    RETURN_IF_ERROR(tx.Execute("UPDATE roles SET version = version + 1, updated_at_us = ? WHERE "
                               "id = ?",
                               {now, id.value()}));
    RETURN_IF_ERROR(Record(tx, actor,
                           {.action = audit::Action::kRoleUpdate,
                            .entity_type = "role",
                            .entity_id = std::to_string(id.value()),
                            .changes = std::move(changes)}));
    return LoadRole(tx, id);
  }();
  if (!updated) return updated;
  if (pending) pending->insert(pending->end(), requested.begin(), requested.end());
  unit.AfterCommit(on_change_);
  return updated;
}

Status OrganizationService::DeleteRole(const audit::Actor& actor, RoleId id) {
  return storage::UnitOfWork::Run(
      db_, [&](storage::UnitOfWork& unit) { return DeleteRole(unit, actor, id); });
}

Status OrganizationService::DeleteRole(storage::UnitOfWork& unit, const audit::Actor& actor,
                                       RoleId id) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(Role before, LoadRole(tx, id));
  if (before.builtin) {
    return Precondition({"内置角色不能删除", "Built-in roles cannot be deleted"});
  }
  ASSIGN_OR_RETURN(auto assigned,
                   tx.QueryOne("SELECT COUNT(*) FROM user_roles WHERE role_id = ?", {id.value()}));
  if (assigned->Int(0) > 0) {
    return Precondition({"仍有用户使用该角色，不能删除", "The role is still assigned to users"});
  }
  RETURN_IF_ERROR(tx.Execute("DELETE FROM roles WHERE id = ?", {id.value()}));
  return Record(tx, actor,
                {.action = audit::Action::kRoleDelete,
                 .entity_type = "role",
                 .entity_id = std::to_string(id.value()),
                 .changes = {{"key", before.key, std::nullopt}}});
}

Result<std::vector<Role>> OrganizationService::ListRoles() {
  return db_.ReadValue<std::vector<Role>>([](Tx& tx) -> Result<std::vector<Role>> {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM roles ORDER BY id"));
    std::vector<Role> roles;
    for (const auto& row : rows) {
      ASSIGN_OR_RETURN(Role role, LoadRole(tx, RoleId(row.Int(0))));
      roles.push_back(std::move(role));
    }
    return roles;
  });
}

Result<Role> OrganizationService::GetRole(RoleId id) {
  return db_.ReadValue<Role>([&](Tx& tx) { return LoadRole(tx, id); });
}

// ---- Privileged changes ---------------------------------------------------------------------

Result<std::vector<PendingChange>> OrganizationService::ListPendingChanges(
    const PendingFilter& filter) {
  return db_.ReadValue<std::vector<PendingChange>>(
      [&](Tx& tx) { return pending_.List(tx, filter); });
}

Result<PendingChange> OrganizationService::ApprovePendingChange(const audit::Actor& actor,
                                                                int64_t id) {
  return storage::UnitOfWork::RunValue<PendingChange>(
      db_, [&](storage::UnitOfWork& unit) { return ApprovePendingChange(unit, actor, id); });
}

Result<PendingChange> OrganizationService::ApprovePendingChange(storage::UnitOfWork& unit,
                                                                const audit::Actor& actor,
                                                                int64_t id) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(PendingChanges::Loaded loaded, pending_.Load(tx, id));
  const PendingChange& change = loaded.change;
  if (actor.user_id == change.requested_by.value()) {
    return SelfChange({"不能确认自己提出的变更，须由另一名管理员确认",
                       "You cannot approve your own request; another administrator must"});
  }
  if (change.user_id && actor.user_id == change.user_id->value()) {
    return SelfChange({"不能确认与自己有关的变更", "You cannot approve a change made to you"});
  }
  if (change.kind == PendingKind::kRolePermission && actor.user_id) {
    ASSIGN_OR_RETURN(bool holds, HoldsRole(tx, *actor.user_id, *change.role_id));
    if (holds) {
      return SelfChange(
          {"不能确认自己所属角色的权限变更", "You cannot approve a change to a role you hold"});
    }
  }
  RETURN_IF_ERROR(pending_.Decide(tx, actor, id, PendingStatus::kApproved));
  std::vector<audit::FieldChange> changes;
  std::string entity_type = "user";
  std::string entity_id = change.user_id ? std::to_string(change.user_id->value()) : "";
  switch (change.kind) {
    case PendingKind::kUserRole: {
      ASSIGN_OR_RETURN(User user, LoadUser(tx, *change.user_id));
      if (user.status != UserStatus::kActive) {
        return Precondition({"该用户已停用", "The user is disabled"});
      }
      ASSIGN_OR_RETURN(Role role, LoadRole(tx, *change.role_id));
      if (std::find(user.role_keys.begin(), user.role_keys.end(), role.key) ==
          user.role_keys.end()) {
        RETURN_IF_ERROR(tx.Execute("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)",
                                   {user.id.value(), role.id.value()}));
        std::vector<std::string> after = user.role_keys;
        after.push_back(role.key);
        changes.push_back({"roles", JoinSorted(user.role_keys), JoinSorted(after)});
      }
      break;
    }
    case PendingKind::kRolePermission: {
      ASSIGN_OR_RETURN(Role role, LoadRole(tx, *change.role_id));
      entity_type = "role";
      entity_id = std::to_string(role.id.value());
      if (std::find(role.permissions.begin(), role.permissions.end(), change.permission) ==
          role.permissions.end()) {
        RETURN_IF_ERROR(
            tx.Execute("INSERT INTO role_permissions (role_id, permission) VALUES "
                       "(?, ?)",
                       {role.id.value(), change.permission}));
        std::vector<std::string> after = role.permissions;
        after.push_back(change.permission);
        changes.push_back({"permissions", JoinSorted(role.permissions), JoinSorted(after)});
      }
      break;
    }
    case PendingKind::kPasswordReset: {
      ASSIGN_OR_RETURN(User user, LoadUser(tx, *change.user_id));
      RETURN_IF_ERROR(ApplyPasswordReset(tx, actor, user, loaded.password_hash));
      break;
    }
  }
  RETURN_IF_ERROR(Record(
      tx, actor,
      {.action = audit::Action::kChangeApproved,
       .entity_type = entity_type,
       .entity_id = entity_id,
       .changes = std::move(changes),
       .detail = "change " + std::to_string(id) + " requested by " + change.requested_by_name}));
  ASSIGN_OR_RETURN(PendingChanges::Loaded decided, pending_.Load(tx, id));
  unit.AfterCommit(on_change_);
  return decided.change;
}

Result<PendingChange> OrganizationService::RejectPendingChange(const audit::Actor& actor,
                                                               int64_t id) {
  return storage::UnitOfWork::RunValue<PendingChange>(
      db_, [&](storage::UnitOfWork& unit) { return RejectPendingChange(unit, actor, id); });
}

Result<PendingChange> OrganizationService::RejectPendingChange(storage::UnitOfWork& unit,
                                                               const audit::Actor& actor,
                                                               int64_t id) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(PendingChanges::Loaded loaded, pending_.Load(tx, id));
  const bool withdrawn = actor.user_id == loaded.change.requested_by.value();
  RETURN_IF_ERROR(pending_.Decide(
      tx, actor, id, withdrawn ? PendingStatus::kCancelled : PendingStatus::kRejected));
  RETURN_IF_ERROR(audit_.Append(
      tx, actor,
      {.action = withdrawn ? audit::Action::kChangeCancelled : audit::Action::kChangeRejected,
       .entity_type = loaded.change.kind == PendingKind::kRolePermission ? "role" : "user",
       .entity_id = std::to_string(loaded.change.kind == PendingKind::kRolePermission
                                       ? loaded.change.role_id->value()
                                       : loaded.change.user_id->value()),
       .detail = "change " + std::to_string(id)}));
  ASSIGN_OR_RETURN(PendingChanges::Loaded decided, pending_.Load(tx, id));
  return decided.change;
}

}  // namespace oc::auth
