#include "auth/pending_changes.h"

#include <array>
#include <utility>

namespace oc::auth {

namespace {

using storage::Tx;

constexpr std::array<std::pair<PendingKind, std::string_view>, 3> kKinds = {{
    {PendingKind::kUserRole, "user_role"},
    {PendingKind::kRolePermission, "role_permission"},
    {PendingKind::kPasswordReset, "password_reset"},
}};

constexpr std::array<std::pair<PendingStatus, std::string_view>, 5> kStatuses = {{
    {PendingStatus::kPending, "pending"},
    {PendingStatus::kApproved, "approved"},
    {PendingStatus::kRejected, "rejected"},
    {PendingStatus::kCancelled, "cancelled"},
    {PendingStatus::kExpired, "expired"},
}};

constexpr std::string_view kSelect =
    "SELECT p.id, p.kind, p.status, p.user_id, u.username, p.role_id, r.role_key, p.permission, "
    "p.password_hash, p.requested_by, q.display_name AS requested_by_name, p.requested_at_us, "
    "p.expires_at_us, p.decided_by, p.decided_at_us FROM pending_changes p "
    "LEFT JOIN users u ON u.id = p.user_id LEFT JOIN roles r ON r.id = p.role_id "
    "JOIN users q ON q.id = p.requested_by";

std::optional<PendingKind> KindFromName(std::string_view name) {
  for (const auto& [kind, text] : kKinds) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

// A change nobody decided in time is expired, whether or not that was recorded yet.
Result<PendingChange> FromRow(const storage::Row& row, Instant now) {
  PendingChange c;
  c.id = row.Int("id");
  auto kind = KindFromName(row.Text("kind"));
  auto status = PendingStatusFromName(row.Text("status"));
  if (!kind || !status) return Internal("pending_changes: unknown kind or status");
  c.kind = *kind;
  c.status = *status;
  if (auto user = row.OptInt("user_id")) c.user_id = UserId(*user);
  c.username = row.OptText("username").value_or("");
  if (auto role = row.OptInt("role_id")) c.role_id = RoleId(*role);
  c.role_key = row.OptText("role_key").value_or("");
  c.permission = row.Text("permission");
  c.requested_by = UserId(row.Int("requested_by"));
  c.requested_by_name = row.Text("requested_by_name");
  c.requested_at = FromUnixMicros(row.Int("requested_at_us"));
  c.expires_at = FromUnixMicros(row.Int("expires_at_us"));
  if (auto by = row.OptInt("decided_by")) c.decided_by = UserId(*by);
  if (auto at = row.OptInt("decided_at_us")) c.decided_at = FromUnixMicros(*at);
  if (c.status == PendingStatus::kPending && c.expires_at <= now)
    c.status = PendingStatus::kExpired;
  return c;
}

storage::Value OptionalId(std::optional<int64_t> id) {
  return id ? storage::Value(*id) : storage::Value(storage::Null{});
}

}  // namespace

std::string_view PendingKindName(PendingKind kind) {
  for (const auto& [k, text] : kKinds) {
    if (k == kind) return text;
  }
  return "user_role";
}

std::string_view PendingStatusName(PendingStatus status) {
  for (const auto& [s, text] : kStatuses) {
    if (s == status) return text;
  }
  return "pending";
}

std::optional<PendingStatus> PendingStatusFromName(std::string_view name) {
  for (const auto& [status, text] : kStatuses) {
    if (text == name) return status;
  }
  return std::nullopt;
}

Result<PendingChange> PendingChanges::Request(Tx& tx, const audit::Actor& actor,
                                              const PendingRequest& request) const {
  const Instant now = clock_.Now();
  const std::optional<int64_t> user =
      request.user_id ? std::optional<int64_t>(request.user_id->value()) : std::nullopt;
  const std::optional<int64_t> role =
      request.role_id ? std::optional<int64_t>(request.role_id->value()) : std::nullopt;
  // Asking twice for the same grant is one request; a new password replaces the one waiting.
  ASSIGN_OR_RETURN(auto same,
                   tx.QueryOne("SELECT id FROM pending_changes WHERE status = 'pending' AND "
                               "expires_at_us > ? AND kind = ? AND COALESCE(user_id, 0) = ? AND "
                               "COALESCE(role_id, 0) = ? AND permission = ?",
                               {ToUnixMicros(now), std::string(PendingKindName(request.kind)),
                                user.value_or(0), role.value_or(0), request.permission}));
  if (same && request.kind != PendingKind::kPasswordReset) {
    ASSIGN_OR_RETURN(Loaded loaded, Load(tx, same->Int(0)));
    return loaded.change;
  }
  if (same) {
    RETURN_IF_ERROR(
        tx.Execute("UPDATE pending_changes SET status = 'cancelled', "
                   "password_hash = '', decided_by = ?, decided_at_us = ? WHERE id = ?",
                   {*actor.user_id, ToUnixMicros(now), same->Int(0)}));
  }
  ASSIGN_OR_RETURN(
      int64_t id,
      tx.Insert("INSERT INTO pending_changes (kind, status, user_id, role_id, "
                "permission, password_hash, requested_by, requested_at_us, "
                "expires_at_us) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?)",
                {std::string(PendingKindName(request.kind)), OptionalId(user), OptionalId(role),
                 request.permission, request.password_hash, *actor.user_id, ToUnixMicros(now),
                 ToUnixMicros(now + kPendingChangeLifetime)}));
  ASSIGN_OR_RETURN(Loaded loaded, Load(tx, id));
  const PendingChange& change = loaded.change;
  RETURN_IF_ERROR(audit_.Append(
      tx, actor,
      {.action = audit::Action::kChangeRequested,
       .entity_type = change.kind == PendingKind::kRolePermission ? "role" : "user",
       .entity_id =
           std::to_string(change.kind == PendingKind::kRolePermission ? change.role_id->value()
                                                                      : change.user_id->value()),
       .changes = {{"change", std::nullopt, std::to_string(id)}},
       .detail = std::string(PendingKindName(change.kind)) +
                 (change.role_key.empty() ? "" : " " + change.role_key) +
                 (change.permission.empty() ? "" : " " + change.permission) +
                 (change.username.empty() ? "" : " for " + change.username) +
                 ", awaiting a second administrator"}));
  return change;
}

Result<PendingChanges::Loaded> PendingChanges::Load(Tx& tx, int64_t id) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kSelect) + " WHERE p.id = ?", {id}));
  if (!row) return NotFound({"待确认的变更不存在", "No such pending change"});
  ASSIGN_OR_RETURN(PendingChange change, FromRow(*row, clock_.Now()));
  return Loaded{std::move(change), row->Text("password_hash")};
}

Status PendingChanges::Decide(Tx& tx, const audit::Actor& actor, int64_t id,
                              PendingStatus decision) const {
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(int64_t decided,
                   tx.Execute("UPDATE pending_changes SET status = ?, password_hash = '', "
                              "decided_by = ?, decided_at_us = ? WHERE id = ? AND status = "
                              "'pending' AND expires_at_us > ?",
                              {std::string(PendingStatusName(decision)), OptionalId(actor.user_id),
                               now, id, now}));
  if (decided == 1) return Ok();
  RETURN_IF_ERROR(
      tx.Execute("UPDATE pending_changes SET status = 'expired', password_hash = '' "
                 "WHERE id = ? AND status = 'pending'",
                 {id}));
  return MakeError(ErrorCode::kFailedPrecondition,
                   {"该变更已处理或已过期", "The change was already decided or has expired"});
}

Result<std::vector<PendingChange>> PendingChanges::List(Tx& tx, const PendingFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidField("limit", "out_of_range",
                        {"limit 必须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  const Instant now = clock_.Now();
  std::string sql = std::string(kSelect) + " WHERE 1 = 1";
  storage::Params params;
  if (filter.status == PendingStatus::kPending) {
    sql += " AND p.status = 'pending' AND p.expires_at_us > ?";
    params.emplace_back(ToUnixMicros(now));
  } else if (filter.status == PendingStatus::kExpired) {
    sql += " AND (p.status = 'expired' OR (p.status = 'pending' AND p.expires_at_us <= ?))";
    params.emplace_back(ToUnixMicros(now));
  } else if (filter.status) {
    sql += " AND p.status = ?";
    params.emplace_back(std::string(PendingStatusName(*filter.status)));
  }
  if (filter.before_id) {
    sql += " AND p.id < ?";
    params.emplace_back(*filter.before_id);
  }
  sql += " ORDER BY p.id DESC LIMIT ?";
  params.emplace_back(int64_t{filter.limit});
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<PendingChange> out;
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(PendingChange change, FromRow(row, now));
    out.push_back(std::move(change));
  }
  return out;
}

}  // namespace oc::auth
