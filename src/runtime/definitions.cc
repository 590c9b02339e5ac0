#include "runtime/definitions.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdlib>

#include "core/text_normalize.h"
#include "crypto/digest.h"

namespace oc::runtime {

namespace json = boost::json;
using storage::Tx;
using storage::UnitOfWork;

namespace {

constexpr std::array<std::pair<DefinitionKind, std::string_view>, 6> kKindNames{{
    {DefinitionKind::kEntity, "entity"},
    {DefinitionKind::kProcess, "process"},
    {DefinitionKind::kRuleset, "ruleset"},
    {DefinitionKind::kDecision, "decision"},
    {DefinitionKind::kDataset, "dataset"},
    {DefinitionKind::kDashboard, "dashboard"},
}};

constexpr std::array<DefinitionKind, 6> kKinds{
    DefinitionKind::kEntity,   DefinitionKind::kProcess, DefinitionKind::kRuleset,
    DefinitionKind::kDecision, DefinitionKind::kDataset, DefinitionKind::kDashboard};

std::optional<VersionStatus> VersionStatusFromName(std::string_view name) {
  if (name == "draft") return VersionStatus::kDraft;
  if (name == "published") return VersionStatus::kPublished;
  if (name == "retired") return VersionStatus::kRetired;
  return std::nullopt;
}

}  // namespace

std::span<const DefinitionKind> AllDefinitionKinds() { return kKinds; }

std::string_view DefinitionKindName(DefinitionKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  std::abort();  // only a value cast from outside the enumeration gets here
}

std::optional<DefinitionKind> DefinitionKindFromName(std::string_view name) {
  for (const auto& [kind, n] : kKindNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::string_view VersionStatusName(VersionStatus status) {
  switch (status) {
    case VersionStatus::kDraft:
      return "draft";
    case VersionStatus::kPublished:
      return "published";
    case VersionStatus::kRetired:
      return "retired";
  }
  std::abort();
}

std::vector<storage::Migration> DefinitionMigrations() {
  // Frozen text: a change to these tables needs a migration of its own.
  return {{.id = "runtime_0005_definitions", .sql = R"sql(
CREATE TABLE definition_keys (
  kind TEXT NOT NULL,
  definition_key TEXT NOT NULL,
  last_version INTEGER NOT NULL,
  current_version INTEGER,
  revision {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL,
  PRIMARY KEY (kind, definition_key)
);

CREATE TABLE definition_versions (
  id {{id}},
  kind TEXT NOT NULL,
  definition_key TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  content TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  parent_version INTEGER,
  rolled_back_from INTEGER,
  revision {{bigint}} NOT NULL,
  created_by_id {{bigint}},
  created_by TEXT NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL,
  published_by_id {{bigint}},
  published_by TEXT NOT NULL DEFAULT '',
  published_at_us {{bigint}},
  change_note TEXT NOT NULL DEFAULT '',
  retired_by_id {{bigint}},
  retired_by TEXT NOT NULL DEFAULT '',
  retired_at_us {{bigint}},
  retire_note TEXT NOT NULL DEFAULT '',
  UNIQUE (kind, definition_key, version)
);
CREATE UNIQUE INDEX definition_versions_one_draft ON definition_versions (kind, definition_key)
  WHERE status = 'draft';
)sql"}};
}

namespace {

void AppendCanonical(const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::object: {
      const json::object& object = value.get_object();
      std::vector<const json::key_value_pair*> members;
      members.reserve(object.size());
      for (const auto& member : object) members.push_back(&member);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return a->key() < b->key(); });
      out += '{';
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += ',';
        out += json::serialize(json::string_view(members[i]->key()));
        out += ':';
        AppendCanonical(members[i]->value(), out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      const json::array& array = value.get_array();
      out += '[';
      for (size_t i = 0; i < array.size(); ++i) {
        if (i > 0) out += ',';
        AppendCanonical(array[i], out);
      }
      out += ']';
      return;
    }
    default:
      out += json::serialize(value);
  }
}

// Deeper than `limit` levels; stops looking once it is, so a hostile document costs no more
// than `limit` frames of stack.
bool DeeperThan(const json::value& value, int limit) {
  if (limit < 0) return true;
  if (value.is_object()) {
    for (const auto& member : value.get_object()) {
      if (DeeperThan(member.value(), limit - 1)) return true;
    }
  } else if (value.is_array()) {
    for (const auto& element : value.get_array()) {
      if (DeeperThan(element, limit - 1)) return true;
    }
  }
  return false;
}

std::string PointerToken(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

void AppendDiff(const json::value& from, const json::value& to, const std::string& path,
                json::array& out) {
  if (from.is_object() && to.is_object()) {
    const json::object& a = from.get_object();
    const json::object& b = to.get_object();
    std::vector<std::string_view> keys;
    for (const auto& m : a) keys.push_back(m.key());
    for (const auto& m : b) {
      if (!a.contains(m.key())) keys.push_back(m.key());
    }
    std::sort(keys.begin(), keys.end());
    for (std::string_view key : keys) {
      const std::string child = path + "/" + PointerToken(key);
      const json::value* old_value = a.if_contains(key);
      const json::value* new_value = b.if_contains(key);
      if (old_value == nullptr) {
        out.push_back(json::object{{"op", "add"}, {"path", child}, {"value", *new_value}});
      } else if (new_value == nullptr) {
        out.push_back(json::object{{"op", "remove"}, {"path", child}, {"old", *old_value}});
      } else {
        AppendDiff(*old_value, *new_value, child, out);
      }
    }
    return;
  }
  if (from.is_array() && to.is_array()) {
    const json::array& a = from.get_array();
    const json::array& b = to.get_array();
    const size_t common = std::min(a.size(), b.size());
    for (size_t i = 0; i < common; ++i) AppendDiff(a[i], b[i], path + "/" + std::to_string(i), out);
    for (size_t i = common; i < b.size(); ++i) {
      out.push_back(
          json::object{{"op", "add"}, {"path", path + "/" + std::to_string(i)}, {"value", b[i]}});
    }
    for (size_t i = a.size(); i > common; --i) {
      out.push_back(json::object{
          {"op", "remove"}, {"path", path + "/" + std::to_string(i - 1)}, {"old", a[i - 1]}});
    }
    return;
  }
  if (from != to) {
    out.push_back(json::object{{"op", "replace"}, {"path", path}, {"old", from}, {"value", to}});
  }
}

}  // namespace

std::string CanonicalJson(const json::value& value) {
  std::string out;
  AppendCanonical(value, out);
  return out;
}

std::string ContentHash(std::string_view canonical) { return crypto::Sha256Hex(canonical); }

json::array JsonDiff(const json::value& from, const json::value& to) {
  json::array out;
  AppendDiff(from, to, "", out);
  return out;
}

namespace {

Status CheckKey(std::string_view key) {
  bool valid = !key.empty() && key.size() <= kMaxKeyLength && key[0] >= 'a' && key[0] <= 'z';
  for (char c : key) {
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!valid) {
    return InvalidField("key", "invalid_key",
                        {"标识须以小写字母开头，只含小写字母、数字和下划线，最长 64 个字符",
                         "A key starts with a lower-case letter and holds only lower-case "
                         "letters, digits and underscores, at most 64 characters"});
  }
  return Ok();
}

// The canonical text of `content`, checked against the limits every kind shares.
Result<std::string> CanonicalContent(const json::object& content) {
  if (DeeperThan(content, kMaxContentDepth)) {
    return InvalidField(
        "content", "too_deep",
        {"内容嵌套超过 " + std::to_string(kMaxContentDepth) + " 层",
         "The content is nested more than " + std::to_string(kMaxContentDepth) + " levels deep"});
  }
  std::string canonical = CanonicalJson(content);
  if (canonical.size() > kMaxContentBytes) {
    return InvalidField("content", "too_large",
                        {"内容超过 1 MiB 的上限", "The content exceeds the limit of 1 MiB"});
  }
  return canonical;
}

Status CheckChangeNote(std::string_view note) {
  if (!IsValidUtf8(note) || HasControlCharacter(note, /*allow_line_breaks=*/true)) {
    return InvalidField("change_note", "control_character",
                        {"变更说明含有控制字符", "The change note holds control characters"});
  }
  size_t length = 0;
  for (size_t i = 0; i < note.size();) {
    Utf8Char c = DecodeUtf8At(note, i);
    i += c.length;
    if (c.code_point != ' ' && c.code_point != '\n' && c.code_point != '\t' &&
        c.code_point != '\r') {
      ++length;
    }
  }
  if (length == 0) {
    return InvalidField("change_note", "required", {"请填写变更说明", "A change note is required"});
  }
  if (length < kMinChangeNoteLength) {
    return InvalidField("change_note", "too_short",
                        {"变更说明至少 2 个字", "The change note needs at least 2 characters"});
  }
  if (Utf8Length(note) > kMaxChangeNoteLength) {
    return InvalidField("change_note", "too_long",
                        {"变更说明最多 500 个字", "The change note is at most 500 characters"});
  }
  return Ok();
}

std::string StreamId(DefinitionKind kind, std::string_view key) {
  return std::string(DefinitionKindName(kind)) + "/" + std::string(key);
}

std::string Describe(const VersionRef& ref) {
  return std::string(DefinitionKindName(ref.kind)) + " " + ref.key + " v" +
         std::to_string(ref.version);
}

Error NoSuchVersion(const VersionRef& ref) {
  return NotFound(
      {"定义 " + Describe(ref) + " 不存在", "Definition " + Describe(ref) + " does not exist"});
}

Error NoSuchKey(DefinitionKind kind, std::string_view key) {
  const std::string name = std::string(DefinitionKindName(kind)) + " " + std::string(key);
  return NotFound({"定义 " + name + " 不存在", "Definition " + name + " does not exist"});
}

storage::Value OptionalInt(std::optional<int64_t> value) {
  if (value) return *value;
  return storage::Null{};
}

constexpr std::string_view kVersionColumns =
    "v.kind, v.definition_key, v.version, v.status, v.content, v.content_hash, v.parent_version, "
    "v.rolled_back_from, v.revision, v.created_by, v.created_at_us, v.updated_at_us, "
    "v.published_by, v.published_at_us, v.change_note, v.retired_by, v.retired_at_us, "
    "v.retire_note, k.current_version";

constexpr std::string_view kVersionsJoin =
    " FROM definition_versions v JOIN definition_keys k ON k.kind = v.kind AND "
    "k.definition_key = v.definition_key";

Result<VersionSummary> SummaryFromRow(const storage::Row& row) {
  VersionSummary s;
  auto kind = DefinitionKindFromName(row.Text("kind"));
  auto status = VersionStatusFromName(row.Text("status"));
  if (!kind || !status) {
    return Internal("definition row with kind '" + row.Text("kind") + "' and status '" +
                    row.Text("status") + "'");
  }
  s.kind = *kind;
  s.key = row.Text("definition_key");
  s.version = row.Int("version");
  s.status = *status;
  s.content_hash = row.Text("content_hash");
  s.parent_version = row.OptInt("parent_version");
  s.rolled_back_from = row.OptInt("rolled_back_from");
  s.revision = row.Int("revision");
  s.current = row.OptInt("current_version") == s.version;
  s.created_by = row.Text("created_by");
  s.created_at = FromUnixMicros(row.Int("created_at_us"));
  s.updated_at = FromUnixMicros(row.Int("updated_at_us"));
  s.published_by = row.Text("published_by");
  if (auto at = row.OptInt("published_at_us")) s.published_at = FromUnixMicros(*at);
  s.change_note = row.Text("change_note");
  s.retired_by = row.Text("retired_by");
  if (auto at = row.OptInt("retired_at_us")) s.retired_at = FromUnixMicros(*at);
  s.retire_note = row.Text("retire_note");
  return s;
}

Result<DefinitionVersion> VersionFromRow(const storage::Row& row) {
  DefinitionVersion v;
  ASSIGN_OR_RETURN(static_cast<VersionSummary&>(v), SummaryFromRow(row));
  json::error_code ec;
  json::value content = json::parse(row.Text("content"), ec);
  if (ec || !content.is_object()) {
    return Internal("definition " + Describe({v.kind, v.key, v.version}) +
                    " holds content that is not a JSON object");
  }
  v.content = std::move(content.get_object());
  return v;
}

// The key's head row, locked for the rest of the transaction: every change to a key goes through
// here first, so changes to one key run one after another on PostgreSQL too.
struct Head {
  int64_t last_version = 0;
  std::optional<int64_t> current_version;
  int64_t revision = 0;
};

Result<std::optional<Head>> LockHead(Tx& tx, DefinitionKind kind, std::string_view key,
                                     int64_t now) {
  const std::string kind_name(DefinitionKindName(kind));
  ASSIGN_OR_RETURN(int64_t locked, tx.Execute("UPDATE definition_keys SET revision = revision + 1, "
                                              "updated_at_us = ? WHERE kind = ? AND "
                                              "definition_key = ?",
                                              {now, kind_name, std::string(key)}));
  if (locked == 0) return std::optional<Head>();
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT last_version, current_version, revision FROM "
                                         "definition_keys WHERE kind = ? AND definition_key = ?",
                                         {kind_name, std::string(key)}));
  if (!row) return Internal("definition head vanished under its lock");
  return Head{row->Int("last_version"), row->OptInt("current_version"), row->Int("revision")};
}

Status SetHead(Tx& tx, DefinitionKind kind, std::string_view key, int64_t last_version,
               std::optional<int64_t> current_version) {
  RETURN_IF_ERROR(
      tx.Execute("UPDATE definition_keys SET last_version = ?, current_version = ? WHERE kind = ? "
                 "AND definition_key = ?",
                 {last_version, OptionalInt(current_version), std::string(DefinitionKindName(kind)),
                  std::string(key)}));
  return Ok();
}

audit::FieldChange Change(std::string field, std::optional<std::string> before,
                          std::optional<std::string> after) {
  return {.field = std::move(field), .before = std::move(before), .after = std::move(after)};
}

std::optional<std::string> VersionText(std::optional<int64_t> version) {
  if (!version) return std::nullopt;
  return std::to_string(*version);
}

json::value JsonOrNull(std::optional<int64_t> value) {
  if (value) return *value;
  return nullptr;
}

// The audit entry and the domain event of one change to a version, written with it.
Status Record(Tx& tx, const audit::AuditLog& audit, const EventLog& events,
              const audit::Actor& actor, audit::Action action, std::string event_type,
              const DefinitionVersion& version, std::optional<int64_t> previous_current,
              std::optional<int64_t> new_current, std::string_view note) {
  audit::Event entry{
      .action = action,
      .entity_type = "definition",
      .entity_id = StreamId(version.kind, version.key),
      .changes = {Change("version", std::nullopt, std::to_string(version.version)),
                  Change("status", std::nullopt, std::string(VersionStatusName(version.status))),
                  Change("content_hash", std::nullopt, version.content_hash)},
      .detail = std::string(note)};
  if (previous_current != new_current) {
    entry.changes.push_back(
        Change("current_version", VersionText(previous_current), VersionText(new_current)));
  }
  RETURN_IF_ERROR(audit.Append(tx, actor, entry));
  json::object payload{{"kind", DefinitionKindName(version.kind)},
                       {"key", version.key},
                       {"version", version.version},
                       {"status", VersionStatusName(version.status)},
                       {"content_hash", version.content_hash},
                       {"parent_version", JsonOrNull(version.parent_version)},
                       {"rolled_back_from", JsonOrNull(version.rolled_back_from)},
                       {"previous_current_version", JsonOrNull(previous_current)},
                       {"current_version", JsonOrNull(new_current)}};
  if (!note.empty()) payload["change_note"] = note;
  RETURN_IF_ERROR(events.Append(tx, actor,
                                {.stream_type = "definition",
                                 .stream_id = StreamId(version.kind, version.key),
                                 .type = std::move(event_type),
                                 .payload = std::move(payload)}));
  return Ok();
}

}  // namespace

void DefinitionRegistry::SetValidator(DefinitionKind kind, ContentValidator validator) {
  validators_[kind] = std::move(validator);
}

Status DefinitionRegistry::CheckPublishable(DefinitionKind kind,
                                            const json::object& content) const {
  RETURN_IF_ERROR(CanonicalContent(content));
  auto validator = validators_.find(kind);
  if (validator == validators_.end()) return Ok();
  std::vector<FieldViolation> violations = validator->second(content);
  if (violations.empty()) return Ok();
  for (FieldViolation& v : violations) {
    v.field = v.field.empty() ? "content" : "content." + v.field;
  }
  return InvalidArgument(std::move(violations));
}

Result<DefinitionVersion> DefinitionRegistry::Load(Tx& tx, const VersionRef& ref) const {
  RETURN_IF_ERROR(CheckKey(ref.key));
  ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT " + std::string(kVersionColumns) + std::string(kVersionsJoin) +
                                " WHERE v.kind = ? AND v.definition_key = ? AND v.version = ?",
                            {std::string(DefinitionKindName(ref.kind)), ref.key, ref.version}));
  if (!row) return NoSuchVersion(ref);
  return VersionFromRow(*row);
}

Result<std::vector<DefinitionSummary>> DefinitionRegistry::List(
    std::optional<DefinitionKind> kind) {
  std::string sql =
      "SELECT k.kind, k.definition_key, k.current_version, k.last_version, k.updated_at_us, "
      "d.version AS draft_version FROM definition_keys k LEFT JOIN definition_versions d ON "
      "d.kind = k.kind AND d.definition_key = k.definition_key AND d.status = 'draft'";
  storage::Params params;
  if (kind) {
    sql += " WHERE k.kind = ?";
    params.push_back(std::string(DefinitionKindName(*kind)));
  }
  sql += " ORDER BY k.kind, k.definition_key";
  return db_.ReadValue<std::vector<DefinitionSummary>>(
      [&](Tx& tx) -> Result<std::vector<DefinitionSummary>> {
        ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
        std::vector<DefinitionSummary> out;
        for (const storage::Row& row : rows) {
          auto row_kind = DefinitionKindFromName(row.Text("kind"));
          if (!row_kind) return Internal("definition key of kind '" + row.Text("kind") + "'");
          out.push_back({.kind = *row_kind,
                         .key = row.Text("definition_key"),
                         .current_version = row.OptInt("current_version"),
                         .draft_version = row.OptInt("draft_version"),
                         .latest_version = row.Int("last_version"),
                         .updated_at = FromUnixMicros(row.Int("updated_at_us"))});
        }
        return out;
      });
}

Result<std::vector<VersionSummary>> DefinitionRegistry::ListVersions(DefinitionKind kind,
                                                                     std::string_view key) {
  RETURN_IF_ERROR(CheckKey(key));
  return db_.ReadValue<std::vector<VersionSummary>>(
      [&](Tx& tx) -> Result<std::vector<VersionSummary>> {
        ASSIGN_OR_RETURN(
            storage::Rows rows,
            tx.Query("SELECT " + std::string(kVersionColumns) + std::string(kVersionsJoin) +
                         " WHERE v.kind = ? AND v.definition_key = ? ORDER BY v.version",
                     {std::string(DefinitionKindName(kind)), std::string(key)}));
        if (rows.empty()) return NoSuchKey(kind, key);
        std::vector<VersionSummary> out;
        for (const storage::Row& row : rows) {
          ASSIGN_OR_RETURN(VersionSummary s, SummaryFromRow(row));
          out.push_back(std::move(s));
        }
        return out;
      });
}

Result<DefinitionVersion> DefinitionRegistry::GetVersion(const VersionRef& ref) {
  return db_.ReadValue<DefinitionVersion>([&](Tx& tx) { return Load(tx, ref); });
}

Result<DefinitionVersion> DefinitionRegistry::GetDraft(DefinitionKind kind, std::string_view key) {
  RETURN_IF_ERROR(CheckKey(key));
  return db_.ReadValue<DefinitionVersion>([&](Tx& tx) -> Result<DefinitionVersion> {
    ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("SELECT " + std::string(kVersionColumns) + std::string(kVersionsJoin) +
                        " WHERE v.kind = ? AND v.definition_key = ? AND "
                        "v.status = 'draft'",
                    {std::string(DefinitionKindName(kind)), std::string(key)}));
    if (!row) {
      const std::string name = std::string(DefinitionKindName(kind)) + " " + std::string(key);
      return NotFound({"定义 " + name + " 没有草稿", "Definition " + name + " has no draft"});
    }
    return VersionFromRow(*row);
  });
}

Result<DefinitionVersion> DefinitionRegistry::GetCurrent(DefinitionKind kind,
                                                         std::string_view key) {
  RETURN_IF_ERROR(CheckKey(key));
  return db_.ReadValue<DefinitionVersion>([&](Tx& tx) -> Result<DefinitionVersion> {
    ASSIGN_OR_RETURN(auto head,
                     tx.QueryOne("SELECT current_version FROM definition_keys WHERE "
                                 "kind = ? AND definition_key = ?",
                                 {std::string(DefinitionKindName(kind)), std::string(key)}));
    if (!head) return NoSuchKey(kind, key);
    auto current = head->OptInt("current_version");
    if (!current) {
      const std::string name = std::string(DefinitionKindName(kind)) + " " + std::string(key);
      return MakeError(ErrorCode::kFailedPrecondition,
                       {"定义 " + name + " 没有生效的已发布版本",
                        "Definition " + name + " has no published version in force"});
    }
    return Load(tx, {kind, std::string(key), *current});
  });
}

Result<DefinitionVersion> DefinitionRegistry::GetPinned(const Pin& pin) {
  ASSIGN_OR_RETURN(DefinitionVersion v, GetVersion({pin.kind, pin.key, pin.version}));
  if (v.status == VersionStatus::kDraft) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"定义 " + Describe({pin.kind, pin.key, pin.version}) + " 是草稿，不能锁定",
                      "Definition " + Describe({pin.kind, pin.key, pin.version}) +
                          " is a draft and cannot be pinned"});
  }
  const std::string actual = ContentHash(CanonicalJson(v.content));
  if (v.content_hash != pin.content_hash || actual != pin.content_hash) {
    return MakeError(
        ErrorCode::kInternal,
        {"定义 " + Describe({pin.kind, pin.key, pin.version}) + " 的内容与锁定的不一致",
         "Definition " + Describe({pin.kind, pin.key, pin.version}) +
             " does not hold the content that was pinned"},
        "pinned definition " + Describe({pin.kind, pin.key, pin.version}) + ": pin hash " +
            pin.content_hash + ", stored hash " + v.content_hash + ", hash of stored content " +
            actual);
  }
  return v;
}

Result<DefinitionVersion> DefinitionRegistry::GetPinned(DefinitionKind kind, std::string_view key,
                                                        int64_t version,
                                                        std::string_view content_hash) {
  return GetPinned(Pin{kind, std::string(key), version, std::string(content_hash)});
}

Result<DefinitionVersion> DefinitionRegistry::CreateDraft(UnitOfWork& unit,
                                                          const audit::Actor& actor,
                                                          DefinitionKind kind, std::string_view key,
                                                          const json::object& content,
                                                          std::optional<int64_t> based_on) {
  RETURN_IF_ERROR(CheckKey(key));
  ASSIGN_OR_RETURN(std::string canonical, CanonicalContent(content));
  Tx& tx = unit.tx();
  const int64_t now = ToUnixMicros(clock_.Now());
  const std::string kind_name(DefinitionKindName(kind));
  // A first draft of a new key makes the head row; a concurrent creator waits here for the
  // first one's commit and then finds its draft.
  RETURN_IF_ERROR(
      tx.Execute("INSERT INTO definition_keys (kind, definition_key, last_version, "
                 "current_version, revision, updated_at_us) VALUES (?, ?, 0, NULL, 0, "
                 "?) ON CONFLICT DO NOTHING",
                 {kind_name, std::string(key), now}));
  ASSIGN_OR_RETURN(auto head, LockHead(tx, kind, key, now));
  if (!head) return Internal("definition head missing after its insert");
  ASSIGN_OR_RETURN(auto draft, tx.QueryOne("SELECT version FROM definition_versions WHERE kind = "
                                           "? AND definition_key = ? AND status = 'draft'",
                                           {kind_name, std::string(key)}));
  if (draft) {
    const std::string name = kind_name + " " + std::string(key);
    Error error = MakeError(
        ErrorCode::kAlreadyExists,
        {"定义 " + name + " 已有草稿（版本 " + std::to_string(draft->Int(0)) + "），请编辑该草稿",
         "Definition " + name + " already has a draft (version " + std::to_string(draft->Int(0)) +
             "); edit that one"});
    error.extensions["draft_version"] = draft->Int(0);
    return error;
  }
  std::optional<int64_t> parent = based_on ? based_on : head->current_version;
  if (based_on) {
    ASSIGN_OR_RETURN(auto base, tx.QueryOne("SELECT status FROM definition_versions WHERE kind = "
                                            "? AND definition_key = ? AND version = ?",
                                            {kind_name, std::string(key), *based_on}));
    if (!base) {
      return InvalidField("based_on", "not_found",
                          {"版本 " + std::to_string(*based_on) + " 不存在",
                           "Version " + std::to_string(*based_on) + " does not exist"});
    }
  }
  const int64_t version = head->last_version + 1;
  RETURN_IF_ERROR(tx.Insert(
      "INSERT INTO definition_versions (kind, definition_key, version, status, content, "
      "content_hash, parent_version, revision, created_by_id, created_by, created_at_us, "
      "updated_at_us) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)",
      {kind_name, std::string(key), version, canonical, ContentHash(canonical), OptionalInt(parent),
       head->revision, OptionalInt(actor.user_id), actor.username, now, now}));
  RETURN_IF_ERROR(SetHead(tx, kind, key, version, head->current_version));
  ASSIGN_OR_RETURN(DefinitionVersion created, Load(tx, {kind, std::string(key), version}));
  RETURN_IF_ERROR(Record(tx, audit_, events_, actor, audit::Action::kDefinitionDraftSaved,
                         "definition.draft_saved", created, head->current_version,
                         head->current_version, ""));
  return created;
}

Result<DefinitionVersion> DefinitionRegistry::UpdateDraft(UnitOfWork& unit,
                                                          const audit::Actor& actor,
                                                          const VersionRef& ref,
                                                          int64_t expected_revision,
                                                          const json::object& content) {
  RETURN_IF_ERROR(CheckKey(ref.key));
  ASSIGN_OR_RETURN(std::string canonical, CanonicalContent(content));
  Tx& tx = unit.tx();
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(auto head, LockHead(tx, ref.kind, ref.key, now));
  if (!head) return NoSuchVersion(ref);
  ASSIGN_OR_RETURN(DefinitionVersion existing, Load(tx, ref));
  if (existing.status != VersionStatus::kDraft) {
    return MakeError(
        ErrorCode::kFailedPrecondition,
        {"定义 " + Describe(ref) + " 已发布，不能修改；请新建草稿",
         "Definition " + Describe(ref) + " is published and cannot change; create a new draft"});
  }
  if (existing.revision != expected_revision) {
    return MakeError(ErrorCode::kAborted,
                     {"草稿已被他人修改，请刷新后重试",
                      "The draft was changed by someone else; reload and try again"});
  }
  RETURN_IF_ERROR(
      tx.Execute("UPDATE definition_versions SET content = ?, content_hash = ?, "
                 "revision = ?, updated_at_us = ? WHERE kind = ? AND definition_key "
                 "= ? AND version = ? AND status = 'draft'",
                 {canonical, ContentHash(canonical), head->revision, now,
                  std::string(DefinitionKindName(ref.kind)), ref.key, ref.version}));
  ASSIGN_OR_RETURN(DefinitionVersion saved, Load(tx, ref));
  RETURN_IF_ERROR(Record(tx, audit_, events_, actor, audit::Action::kDefinitionDraftSaved,
                         "definition.draft_saved", saved, head->current_version,
                         head->current_version, ""));
  return saved;
}

Result<DefinitionVersion> DefinitionRegistry::Publish(UnitOfWork& unit, const audit::Actor& actor,
                                                      const VersionRef& ref,
                                                      std::string_view change_note) {
  RETURN_IF_ERROR(CheckKey(ref.key));
  RETURN_IF_ERROR(CheckChangeNote(change_note));
  Tx& tx = unit.tx();
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(auto head, LockHead(tx, ref.kind, ref.key, now));
  if (!head) return NoSuchVersion(ref);
  ASSIGN_OR_RETURN(DefinitionVersion draft, Load(tx, ref));
  if (draft.status != VersionStatus::kDraft) {
    return MakeError(ErrorCode::kAborted,
                     {"定义 " + Describe(ref) + " 已不是草稿（可能刚被他人发布）",
                      "Definition " + Describe(ref) +
                          " is no longer a draft (someone may have just published it)"});
  }
  RETURN_IF_ERROR(CheckPublishable(ref.kind, draft.content));
  RETURN_IF_ERROR(tx.Execute(
      "UPDATE definition_versions SET status = 'published', published_by_id = ?, published_by = "
      "?, published_at_us = ?, change_note = ?, updated_at_us = ? WHERE kind = ? AND "
      "definition_key = ? AND version = ? AND status = 'draft'",
      {OptionalInt(actor.user_id), actor.username, now, std::string(change_note), now,
       std::string(DefinitionKindName(ref.kind)), ref.key, ref.version}));
  RETURN_IF_ERROR(SetHead(tx, ref.kind, ref.key, head->last_version, ref.version));
  ASSIGN_OR_RETURN(DefinitionVersion published, Load(tx, ref));
  RETURN_IF_ERROR(Record(tx, audit_, events_, actor, audit::Action::kDefinitionPublish,
                         "definition.published", published, head->current_version, ref.version,
                         change_note));
  return published;
}

Result<DefinitionVersion> DefinitionRegistry::Retire(UnitOfWork& unit, const audit::Actor& actor,
                                                     const VersionRef& ref,
                                                     std::string_view change_note) {
  RETURN_IF_ERROR(CheckKey(ref.key));
  RETURN_IF_ERROR(CheckChangeNote(change_note));
  Tx& tx = unit.tx();
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(auto head, LockHead(tx, ref.kind, ref.key, now));
  if (!head) return NoSuchVersion(ref);
  ASSIGN_OR_RETURN(DefinitionVersion existing, Load(tx, ref));
  if (existing.status != VersionStatus::kPublished) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"只有已发布的版本可以停用；" + Describe(ref) + " 是" +
                          (existing.status == VersionStatus::kDraft ? "草稿" : "已停用版本"),
                      "Only a published version can be retired; " + Describe(ref) + " is " +
                          std::string(VersionStatusName(existing.status))});
  }
  RETURN_IF_ERROR(tx.Execute(
      "UPDATE definition_versions SET status = 'retired', retired_by_id = ?, retired_by = ?, "
      "retired_at_us = ?, retire_note = ?, updated_at_us = ? WHERE kind = ? AND definition_key = "
      "? AND version = ? AND status = 'published'",
      {OptionalInt(actor.user_id), actor.username, now, std::string(change_note), now,
       std::string(DefinitionKindName(ref.kind)), ref.key, ref.version}));
  std::optional<int64_t> current = head->current_version;
  if (current == ref.version) current.reset();
  RETURN_IF_ERROR(SetHead(tx, ref.kind, ref.key, head->last_version, current));
  ASSIGN_OR_RETURN(DefinitionVersion retired, Load(tx, ref));
  RETURN_IF_ERROR(Record(tx, audit_, events_, actor, audit::Action::kDefinitionRetire,
                         "definition.retired", retired, head->current_version, current,
                         change_note));
  return retired;
}

Result<DefinitionVersion> DefinitionRegistry::Rollback(UnitOfWork& unit, const audit::Actor& actor,
                                                       const VersionRef& ref,
                                                       std::string_view change_note) {
  RETURN_IF_ERROR(CheckKey(ref.key));
  RETURN_IF_ERROR(CheckChangeNote(change_note));
  Tx& tx = unit.tx();
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(auto head, LockHead(tx, ref.kind, ref.key, now));
  if (!head) return NoSuchVersion(ref);
  ASSIGN_OR_RETURN(DefinitionVersion source, Load(tx, ref));
  if (source.status == VersionStatus::kDraft) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"草稿不能作为回滚目标；请直接发布它",
                      "A draft is no rollback target; publish it instead"});
  }
  if (head->current_version == ref.version) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {Describe(ref) + " 已是当前版本", Describe(ref) + " is the current version"});
  }
  RETURN_IF_ERROR(CheckPublishable(ref.kind, source.content));
  const std::string canonical = CanonicalJson(source.content);
  const int64_t version = head->last_version + 1;
  RETURN_IF_ERROR(tx.Insert(
      "INSERT INTO definition_versions (kind, definition_key, version, status, content, "
      "content_hash, parent_version, rolled_back_from, revision, created_by_id, created_by, "
      "created_at_us, updated_at_us, published_by_id, published_by, published_at_us, "
      "change_note) VALUES (?, ?, ?, 'published', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(DefinitionKindName(ref.kind)), ref.key, version, canonical,
       ContentHash(canonical), OptionalInt(head->current_version), ref.version, head->revision,
       OptionalInt(actor.user_id), actor.username, now, now, OptionalInt(actor.user_id),
       actor.username, now, std::string(change_note)}));
  RETURN_IF_ERROR(SetHead(tx, ref.kind, ref.key, version, version));
  ASSIGN_OR_RETURN(DefinitionVersion restored, Load(tx, {ref.kind, ref.key, version}));
  RETURN_IF_ERROR(Record(tx, audit_, events_, actor, audit::Action::kDefinitionRollback,
                         "definition.published", restored, head->current_version, version,
                         change_note));
  return restored;
}

Result<DefinitionVersion> DefinitionRegistry::CreateDraft(const audit::Actor& actor,
                                                          DefinitionKind kind, std::string_view key,
                                                          const json::object& content,
                                                          std::optional<int64_t> based_on) {
  return UnitOfWork::RunValue<DefinitionVersion>(db_, [&](UnitOfWork& unit) {
    return CreateDraft(unit, actor, kind, key, content, based_on);
  });
}

Result<DefinitionVersion> DefinitionRegistry::UpdateDraft(const audit::Actor& actor,
                                                          const VersionRef& ref,
                                                          int64_t expected_revision,
                                                          const json::object& content) {
  return UnitOfWork::RunValue<DefinitionVersion>(db_, [&](UnitOfWork& unit) {
    return UpdateDraft(unit, actor, ref, expected_revision, content);
  });
}

Result<DefinitionVersion> DefinitionRegistry::Publish(const audit::Actor& actor,
                                                      const VersionRef& ref,
                                                      std::string_view change_note) {
  return UnitOfWork::RunValue<DefinitionVersion>(
      db_, [&](UnitOfWork& unit) { return Publish(unit, actor, ref, change_note); });
}

Result<DefinitionVersion> DefinitionRegistry::Retire(const audit::Actor& actor,
                                                     const VersionRef& ref,
                                                     std::string_view change_note) {
  return UnitOfWork::RunValue<DefinitionVersion>(
      db_, [&](UnitOfWork& unit) { return Retire(unit, actor, ref, change_note); });
}

Result<DefinitionVersion> DefinitionRegistry::Rollback(const audit::Actor& actor,
                                                       const VersionRef& ref,
                                                       std::string_view change_note) {
  return UnitOfWork::RunValue<DefinitionVersion>(
      db_, [&](UnitOfWork& unit) { return Rollback(unit, actor, ref, change_note); });
}

Result<json::array> DefinitionRegistry::Diff(DefinitionKind kind, std::string_view key,
                                             int64_t from, int64_t to) {
  return db_.ReadValue<json::array>([&](Tx& tx) -> Result<json::array> {
    ASSIGN_OR_RETURN(DefinitionVersion a, Load(tx, {kind, std::string(key), from}));
    ASSIGN_OR_RETURN(DefinitionVersion b, Load(tx, {kind, std::string(key), to}));
    return JsonDiff(a.content, b.content);
  });
}

}  // namespace oc::runtime
