#include "forms/entity_registry.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <set>

#include "core/text_normalize.h"

namespace oc::forms {

namespace {

namespace json = boost::json;

// The bookkeeping columns of entity tables, and the names their API representation uses. A field
// with one of these names would shadow or collide with the record's own data.
constexpr std::array<std::string_view, 20> kReservedNames = {
    "id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "deleted_at",
    "deleted_by",
    "created_at_us",
    "updated_at_us",
    "deleted_at_us",
    "owner_id",
    "department_id",
    "etag",
    "cursor",
    "limit",
    "sort",
    "q",
    "owner_name",
    "department_name",
};

constexpr size_t kMaxNameLength = 40;
constexpr size_t kMaxOptions = 200;
constexpr size_t kMaxLabelBytes = 200;

bool IsValidFieldName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Option values are stored between '|' separators and matched with LIKE, so they are limited to
// characters that are neither.
bool IsValidOptionValue(std::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
  });
}

bool IsSelect(FieldType type) {
  return type == FieldType::kSingleSelect || type == FieldType::kMultiSelect;
}

bool IsTextType(FieldType type) {
  return type == FieldType::kText || type == FieldType::kLongText;
}

json::object LabelJson(const Message& label) {
  return json::object{{"zh-CN", label.zh_cn}, {"en-US", label.en_us}};
}

Message LabelFromJson(const json::value& value) {
  Message out;
  if (const auto* object = value.if_object()) {
    if (const auto* zh = object->if_contains("zh-CN"); zh && zh->is_string()) {
      out.zh_cn = std::string(zh->get_string());
    }
    if (const auto* en = object->if_contains("en-US"); en && en->is_string()) {
      out.en_us = std::string(en->get_string());
    }
  }
  return out;
}

std::string OptionsJson(const std::vector<FieldOption>& options) {
  json::array out;
  for (const FieldOption& option : options) {
    out.push_back(json::object{{"value", option.value}, {"label", LabelJson(option.label)}});
  }
  return json::serialize(out);
}

std::string SectionsJson(const std::vector<Section>& sections) {
  json::array out;
  for (const Section& section : sections) {
    out.push_back(json::object{{"key", section.key}, {"label", LabelJson(section.label)}});
  }
  return json::serialize(out);
}

// The metadata columns are written only by this file, so malformed JSON there is corruption.
Result<json::array> ParseArray(const std::string& text, std::string_view what) {
  json::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_array()) return Internal("forms: malformed " + std::string(what));
  return std::move(value.get_array());
}

Result<std::vector<FieldOption>> OptionsFromJson(const std::string& text) {
  ASSIGN_OR_RETURN(json::array array, ParseArray(text, "options_json"));
  std::vector<FieldOption> out;
  for (const json::value& item : array) {
    const auto* object = item.if_object();
    const json::value* value = object ? object->if_contains("value") : nullptr;
    if (!value || !value->is_string()) return Internal("forms: malformed option");
    const json::value* label = object->if_contains("label");
    out.push_back({std::string(value->get_string()), label ? LabelFromJson(*label) : Message{}});
  }
  return out;
}

Result<std::vector<Section>> SectionsFromJson(const std::string& text) {
  ASSIGN_OR_RETURN(json::array array, ParseArray(text, "sections_json"));
  std::vector<Section> out;
  for (const json::value& item : array) {
    const auto* object = item.if_object();
    const json::value* key = object ? object->if_contains("key") : nullptr;
    if (!key || !key->is_string()) return Internal("forms: malformed section");
    const json::value* label = object->if_contains("label");
    out.push_back({std::string(key->get_string()), label ? LabelFromJson(*label) : Message{}});
  }
  return out;
}

Result<FieldType> TypeFromStored(std::string_view name) {
  auto type = FieldTypeFromName(name);
  if (!type) return Internal("forms: unknown stored field type " + std::string(name));
  return *type;
}

Result<FieldFormat> FormatFromStored(std::string_view name) {
  auto format = FieldFormatFromName(name);
  if (!format) return Internal("forms: unknown stored field format " + std::string(name));
  return *format;
}

Result<FieldDef> FieldFromRow(const storage::Row& row) {
  FieldDef field;
  field.name = row.Text("name");
  field.label = {row.Text("label_zh"), row.Text("label_en")};
  ASSIGN_OR_RETURN(field.type, TypeFromStored(row.Text("field_type")));
  ASSIGN_OR_RETURN(field.format, FormatFromStored(row.Text("field_format")));
  field.required = row.Bool("required");
  field.builtin = row.Bool("builtin");
  field.read_only = row.Bool("read_only");
  field.sensitive = row.Bool("sensitive");
  field.masked_to_year = row.Bool("masked_to_year");
  field.filterable = row.Bool("filterable");
  field.sortable = row.Bool("sortable");
  ASSIGN_OR_RETURN(field.options, OptionsFromJson(row.Text("options_json")));
  field.section = row.Text("section");
  field.position = static_cast<int>(row.Int("position"));
  if (auto max_length = row.OptInt("max_length")) {
    field.max_length = static_cast<size_t>(*max_length);
  }
  field.column = row.Text("column_name");
  field.archived = row.Bool("archived");
  field.label_edited = row.Bool("label_edited");
  return field;
}

storage::Value OptionalInt(std::optional<size_t> value) {
  if (!value) return storage::Null{};
  return static_cast<int64_t>(*value);
}

Status InsertField(storage::Tx& tx, std::string_view entity_key, const FieldDef& field,
                   int64_t now_us, std::optional<int64_t> created_by) {
  storage::Value by = created_by ? storage::Value(*created_by) : storage::Value(storage::Null{});
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO entity_fields (entity_key, name, label_zh, label_en, field_type, "
      "field_format, required, builtin, read_only, sensitive, masked_to_year, filterable, "
      "sortable, options_json, section, position, max_length, column_name, created_at_us, "
      "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(entity_key),
       field.name,
       field.label.zh_cn,
       field.label.en_us,
       std::string(FieldTypeName(field.type)),
       std::string(FieldFormatName(field.format)),
       int64_t{field.required},
       int64_t{field.builtin},
       int64_t{field.read_only},
       int64_t{field.sensitive},
       int64_t{field.masked_to_year},
       int64_t{field.filterable},
       int64_t{field.sortable},
       OptionsJson(field.options),
       field.section,
       int64_t{field.position},
       OptionalInt(field.max_length),
       field.column,
       now_us,
       by}));
  return Ok();
}

// Rewrites the presentation and validation properties of a built-in field; identity (name,
// type, column, sensitivity) is checked by the caller and never changes here.
Status UpdateBuiltinField(storage::Tx& tx, std::string_view entity_key, const FieldDef& field) {
  RETURN_IF_ERROR(tx.Execute(
      "UPDATE entity_fields SET label_zh = ?, label_en = ?, field_format = ?, required = ?, "
      "read_only = ?, masked_to_year = ?, filterable = ?, sortable = ?, options_json = ?, "
      "section = ?, position = ?, max_length = ? WHERE entity_key = ? AND name = ?",
      {field.label.zh_cn, field.label.en_us, std::string(FieldFormatName(field.format)),
       int64_t{field.required}, int64_t{field.read_only}, int64_t{field.masked_to_year},
       int64_t{field.filterable}, int64_t{field.sortable}, OptionsJson(field.options),
       field.section, int64_t{field.position}, OptionalInt(field.max_length),
       std::string(entity_key), field.name}));
  return Ok();
}

bool SameIdentity(const FieldDef& a, const FieldDef& b) {
  return a.type == b.type && a.column == b.column && a.sensitive == b.sensitive;
}

Error DeclarationError(std::string detail) {
  return MakeError(ErrorCode::kFailedPrecondition,
                   {"内置字段定义与数据库记录不一致，需要数据迁移",
                    "A built-in field no longer matches the database; it needs a data migration"},
                   std::move(detail));
}

Message Required(std::string_view what_zh, std::string_view what_en) {
  return {std::string(what_zh) + "不能为空", std::string(what_en) + " is required"};
}

// Both languages of a label at `path`: present, not too long, and plain text.
void CheckLabel(const Message& label, const std::string& path, std::string_view owner_zh,
                std::string_view owner_en, std::vector<FieldViolation>& out) {
  const std::pair<const std::string*, const char*> parts[] = {{&label.zh_cn, "zh-CN"},
                                                              {&label.en_us, "en-US"}};
  for (const auto& [text, language] : parts) {
    const std::string at = path + "." + language;
    const bool chinese = std::string_view(language) == "zh-CN";
    if (text->empty()) {
      out.push_back({at, "required",
                     chinese ? Required(std::string(owner_zh) + "中文名称",
                                        std::string(owner_en) + "Chinese label")
                             : Required(std::string(owner_zh) + "英文名称",
                                        std::string(owner_en) + "English label")});
    } else if (text->size() > kMaxLabelBytes) {
      out.push_back({at, "too_long", {"名称过长", "The label is too long"}});
    } else if (HasControlCharacter(*text)) {
      out.push_back({at,
                     "control_character",
                     {"名称不能包含控制字符", "The label must not contain control characters"}});
    }
  }
}

// The options of a field of `type`: a select field's, valid and distinct; no other has any.
void CheckOptions(FieldType type, const std::vector<FieldOption>& options,
                  std::vector<FieldViolation>& out) {
  if (!IsSelect(type)) {
    if (!options.empty()) {
      out.push_back({"options", "options_not_allowed",
                     {"只有选择类字段可以设置选项", "Only select fields take options"}});
    }
    return;
  }
  if (options.empty()) {
    out.push_back({"options", "options_required",
                   {"选择类字段至少需要一个选项", "A select field needs at least one option"}});
  } else if (options.size() > kMaxOptions) {
    out.push_back({"options", "too_many_options",
                   {"选项最多 200 个", "A field has at most 200 options"}});
  }
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < options.size(); ++i) {
    const FieldOption& option = options[i];
    const std::string at = "options[" + std::to_string(i) + "]";
    if (!IsValidOptionValue(option.value)) {
      out.push_back({at + ".value", "invalid_option_value",
                     {"选项值只能包含字母、数字、下划线、点和短横线，最长 64 个字符",
                      "An option value has only letters, digits, '_', '.' and '-', at most 64 "
                      "characters"}});
    } else if (!seen.insert(option.value).second) {
      out.push_back({"options", "duplicate_option",
                     {"选项值重复：" + option.value, "Duplicate option value: " + option.value}});
    }
    CheckLabel(option.label, at + ".label", "选项", "The option's ", out);
  }
}

void CheckMaxLength(FieldType type, size_t max_length, std::vector<FieldViolation>& out) {
  if (!IsTextType(type) || max_length == 0 || max_length > kDefaultLongTextMaxLength) {
    out.push_back({"max_length", "invalid_max_length",
                   {"最大长度只适用于文本字段，取值 1 到 20000",
                    "A maximum length applies to text fields only, from 1 to 20000"}});
  }
}

// The checks that need nothing but the input. Violations name the input's JSON fields.
std::vector<FieldViolation> ValidateInput(const CustomFieldInput& input) {
  std::vector<FieldViolation> out;
  if (!IsValidFieldName(input.name)) {
    out.push_back({"name", "invalid_name",
                   {"字段名须以小写字母开头，只含小写字母、数字和下划线，最长 40 个字符",
                    "A field name starts with a lower-case letter and has only lower-case "
                    "letters, digits and underscores, at most 40 characters"}});
  } else if (IsReservedFieldName(input.name)) {
    out.push_back({"name", "reserved_name",
                   {"字段名 " + input.name + " 为系统保留", "The name " + input.name +
                                                                 " is reserved by the system"}});
  }
  CheckLabel(input.label, "label", "", "", out);

  auto type = FieldTypeFromName(input.type);
  if (!type) {
    out.push_back({"type", "unknown_type",
                   {"未知的字段类型：" + input.type, "Unknown field type: " + input.type}});
    return out;  // the remaining checks depend on the type
  }

  std::optional<FieldFormat> format =
      input.format.empty() ? FieldFormat::kNone : FieldFormatFromName(input.format);
  if (!format) {
    out.push_back({"format", "unknown_format",
                   {"未知的格式：" + input.format, "Unknown format: " + input.format}});
  } else if (*format != FieldFormat::kNone && *type != FieldType::kText) {
    out.push_back({"format", "format_needs_text",
                   {"只有单行文本字段可以设置格式", "Only single-line text fields take a format"}});
  }

  CheckOptions(*type, input.options, out);

  if (input.sensitive && *type != FieldType::kText) {
    out.push_back({"sensitive", "sensitive_needs_text",
                   {"只有单行文本字段可以加密存储", "Only single-line text fields can be sensitive"}});
  }
  if (input.masked_to_year && *type != FieldType::kDate) {
    out.push_back({"masked_to_year",
                   "masked_to_year_needs_date",
                   {"只有日期字段可以只向无权限者显示年份",
                    "Only date fields can be shown as the year alone"}});
  }
  if (input.sortable) {
    FieldDef probe{.type = *type, .sensitive = input.sensitive};
    if (!CanSort(probe)) {
      out.push_back({"sortable", "not_sortable",
                     {"敏感字段、多行文本和多选字段不能排序",
                      "Sensitive, long-text and multi-select fields cannot be sorted"}});
    }
  }
  if (input.max_length) CheckMaxLength(*type, *input.max_length, out);
  return out;
}

Error StaleDefinition() {
  return MakeError(ErrorCode::kAborted,
                   {"字段定义已被他人修改，请刷新后重试",
                    "The entity was changed by someone else; reload and try again"});
}

Error EntityNotFound(std::string_view key) {
  return MakeError(ErrorCode::kNotFound, {"没有这个实体", "No such entity"},
                   "forms: entity " + std::string(key));
}

// Blind indexes were the whole 32-byte HMAC before forms_0002 and are its first 16 bytes since,
// so stored ones are cut to match what lookups compute. entity_fields lists every sensitive
// field of every entity, custom ones included. The size and the column's name are written out
// instead of read from FieldCipher::kBlindIndexSize and BlindIndexColumn: a migration must do
// what it did when it was released, whatever those become.
Status ShortenBlindIndexes(storage::Tx& tx) {
  ASSIGN_OR_RETURN(auto fields, tx.Query("SELECT e.table_name, f.column_name FROM entity_fields f "
                                         "JOIN entities e ON e.entity_key = f.entity_key "
                                         "WHERE f.sensitive = 1 ORDER BY 1, 2"));
  for (const auto& row : fields) {
    const std::string column = row.Text(1) + "_bidx";
    const std::string prefix = tx.dialect() == storage::Dialect::kPostgres
                                   ? "substring(" + column + " from 1 for 16)"
                                   : "substr(" + column + ", 1, 16)";
    RETURN_IF_ERROR(tx.Execute("UPDATE " + row.Text(0) + " SET " + column + " = " + prefix +
                               " WHERE length(" + column + ") > 16"));
  }
  return Ok();
}

}  // namespace

std::vector<storage::Migration> Migrations() {
  // Migrations are frozen text, and a code step reads only the database, never today's
  // definitions: a change to what they created needs a migration of its own.
  return {{.id = "forms_0001_entity_metadata", .sql = R"sql(
CREATE TABLE entities (
  entity_key TEXT PRIMARY KEY,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  table_name TEXT NOT NULL UNIQUE,
  sections_json TEXT NOT NULL,
  version {{bigint}} NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL
);
CREATE TABLE entity_fields (
  entity_key TEXT NOT NULL REFERENCES entities (entity_key),
  name TEXT NOT NULL,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  field_type TEXT NOT NULL,
  field_format TEXT NOT NULL,
  required INTEGER NOT NULL,
  builtin INTEGER NOT NULL,
  read_only INTEGER NOT NULL,
  sensitive INTEGER NOT NULL,
  filterable INTEGER NOT NULL,
  sortable INTEGER NOT NULL,
  options_json TEXT NOT NULL,
  section TEXT NOT NULL,
  position {{bigint}} NOT NULL,
  max_length {{bigint}},
  column_name TEXT NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  created_by {{bigint}},
  PRIMARY KEY (entity_key, name),
  UNIQUE (entity_key, column_name)
);
)sql"},
          {.id = "forms_0002_short_blind_indexes", .run = ShortenBlindIndexes},
          {.id = "forms_0003_masked_to_year",
           .sql = "ALTER TABLE entity_fields ADD COLUMN masked_to_year INTEGER NOT NULL "
                  "DEFAULT 0"},
          {.id = "forms_0004_archived_fields_and_edited_labels", .sql = R"sql(
ALTER TABLE entity_fields ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entity_fields ADD COLUMN label_edited INTEGER NOT NULL DEFAULT 0;
)sql"}};
}

bool IsReservedFieldName(std::string_view name) {
  return std::find(kReservedNames.begin(), kReservedNames.end(), name) != kReservedNames.end();
}

EntityRegistry::EntityRegistry(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                               RegistryOptions options)
    : db_(db), clock_(clock), audit_(audit), options_(options) {}

Result<std::shared_ptr<const EntityDef>> EntityRegistry::Load(storage::Tx& tx,
                                                              std::string_view key) {
  ASSIGN_OR_RETURN(auto entity_row,
                   tx.QueryOne("SELECT entity_key, label_zh, label_en, table_name, sections_json, "
                               "version FROM entities WHERE entity_key = ?",
                               {std::string(key)}));
  if (!entity_row) return std::shared_ptr<const EntityDef>();
  auto def = std::make_shared<EntityDef>();
  def->key = entity_row->Text("entity_key");
  def->label = {entity_row->Text("label_zh"), entity_row->Text("label_en")};
  def->table = entity_row->Text("table_name");
  ASSIGN_OR_RETURN(def->sections, SectionsFromJson(entity_row->Text("sections_json")));
  def->version = entity_row->Int("version");
  ASSIGN_OR_RETURN(storage::Rows rows,
                   tx.Query("SELECT name, label_zh, label_en, field_type, field_format, required, "
                            "builtin, read_only, sensitive, masked_to_year, filterable, sortable, "
                            "options_json, section, position, max_length, column_name, archived, "
                            "label_edited FROM entity_fields "
                            "WHERE entity_key = ? ORDER BY position, name",
                            {std::string(key)}));
  def->fields.reserve(rows.size());
  for (const storage::Row& row : rows) {
    ASSIGN_OR_RETURN(FieldDef field, FieldFromRow(row));
    def->fields.push_back(std::move(field));
  }
  return std::shared_ptr<const EntityDef>(std::move(def));
}

void EntityRegistry::Store(std::shared_ptr<const EntityDef> def) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(def->key);
  if (it == cache_.end()) {
    std::string key = def->key;
    cache_.emplace(std::move(key), CacheEntry{std::move(def), clock_.Now()});
    return;
  }
  // Two threads may race to load different versions; never replace a newer one with an older.
  if (def->version >= it->second.def->version) it->second.def = std::move(def);
  it->second.checked_at = clock_.Now();
}

Result<std::shared_ptr<const EntityDef>> EntityRegistry::Refresh(storage::Tx& tx,
                                                                 std::string_view key) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT version FROM entities WHERE entity_key = ?",
                                         {std::string(key)}));
  if (!row) {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(key); it != cache_.end()) cache_.erase(it);
    return EntityNotFound(key);
  }
  const int64_t version = row->Int("version");
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.def->version == version) {
      it->second.checked_at = clock_.Now();
      return it->second.def;
    }
  }
  ASSIGN_OR_RETURN(auto def, Load(tx, key));
  if (!def) return EntityNotFound(key);
  Store(def);
  return def;
}

Result<std::shared_ptr<const EntityDef>> EntityRegistry::Get(std::string_view key) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && clock_.Now() - it->second.checked_at < options_.max_staleness) {
      return it->second.def;
    }
  }
  return db_.ReadValue<std::shared_ptr<const EntityDef>>(
      [&](storage::Tx& tx) { return Refresh(tx, key); });
}

Result<std::shared_ptr<const EntityDef>> EntityRegistry::Get(storage::Tx& tx,
                                                             std::string_view key) {
  return Refresh(tx, key);
}

Result<std::vector<std::string>> EntityRegistry::ListKeys() {
  return db_.ReadValue<std::vector<std::string>>(
      [](storage::Tx& tx) -> Result<std::vector<std::string>> {
        ASSIGN_OR_RETURN(storage::Rows rows,
                         tx.Query("SELECT entity_key FROM entities ORDER BY entity_key"));
        std::vector<std::string> keys;
        for (const storage::Row& row : rows) keys.push_back(row.Text(0));
        return keys;
      });
}

Status EntityRegistry::RegisterBuiltin(storage::Tx& tx, const EntityDef& entity) const {
  const int64_t now_us = ToUnixMicros(clock_.Now());
  std::set<std::string, std::less<>> declared;
  for (const FieldDef& field : entity.fields) {
    if (!field.builtin || !IsValidFieldName(field.name) || field.column.empty() ||
        !declared.insert(field.name).second) {
      return Internal("forms: invalid built-in declaration of " + entity.key + "." + field.name);
    }
  }

  bool changed = false;
  const std::string sections = SectionsJson(entity.sections);
  // Nodes starting together on a new database register the same entity at once: the insert
  // that loses waits for the winner's commit on PostgreSQL and inserts nothing, and the loser
  // then reads what the winner registered instead of failing on the key.
  ASSIGN_OR_RETURN(int64_t inserted,
                   tx.Execute("INSERT INTO entities (entity_key, label_zh, label_en, table_name, "
                              "sections_json, version, created_at_us, updated_at_us) VALUES (?, ?, "
                              "?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
                              {entity.key, entity.label.zh_cn, entity.label.en_us, entity.table,
                               sections, now_us, now_us}));
  std::shared_ptr<const EntityDef> existing;
  if (inserted == 1) {
    existing = std::make_shared<const EntityDef>(
        EntityDef{.key = entity.key, .table = entity.table, .version = 1});
  } else {
    ASSIGN_OR_RETURN(existing, Load(tx, entity.key));
    if (!existing) return Internal("forms: entity " + entity.key + " neither inserted nor found");
    if (existing->table != entity.table) {
      return DeclarationError("forms: table of " + entity.key + " changed from " +
                              existing->table + " to " + entity.table);
    }
    if (!SameLabel(existing->label, entity.label) || existing->sections != entity.sections) {
      RETURN_IF_ERROR(tx.Execute(
          "UPDATE entities SET label_zh = ?, label_en = ?, sections_json = ? WHERE entity_key = ?",
          {entity.label.zh_cn, entity.label.en_us, sections, entity.key}));
      changed = true;
    }
  }

  for (const FieldDef& field : entity.fields) {
    const FieldDef* recorded = existing->Find(field.name);
    if (!recorded) {
      RETURN_IF_ERROR(InsertField(tx, entity.key, field, now_us, std::nullopt));
      changed = true;
      continue;
    }
    if (!recorded->builtin) {
      return DeclarationError("forms: built-in " + entity.key + "." + field.name +
                              " clashes with a custom field");
    }
    if (!SameIdentity(*recorded, field)) {
      return DeclarationError("forms: type, column or sensitivity of built-in " + entity.key +
                              "." + field.name + " changed");
    }
    FieldDef wanted = field;
    if (recorded->label_edited) {
      wanted.label = recorded->label;
      wanted.label_edited = true;
    }
    if (*recorded != wanted) {
      RETURN_IF_ERROR(UpdateBuiltinField(tx, entity.key, wanted));
      changed = true;
    }
  }
  for (const FieldDef& recorded : existing->fields) {
    if (recorded.builtin && !declared.contains(recorded.name)) {
      RETURN_IF_ERROR(tx.Execute("DELETE FROM entity_fields WHERE entity_key = ? AND name = ?",
                                 {entity.key, recorded.name}));
      changed = true;
    }
  }
  if (changed) {
    RETURN_IF_ERROR(tx.Execute(
        "UPDATE entities SET version = version + 1, updated_at_us = ? WHERE entity_key = ?",
        {now_us, entity.key}));
  }
  return Ok();
}

Result<FieldDef> EntityRegistry::AddCustomField(const audit::Actor& actor,
                                                std::string_view entity_key,
                                                const CustomFieldInput& input) {
  std::vector<FieldViolation> violations = ValidateInput(input);
  const std::string key(entity_key);
  std::shared_ptr<const EntityDef> published;
  FieldDef added;
  RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    const int64_t now_us = ToUnixMicros(clock_.Now());
    // Bumping the version first takes the entity row's lock on PostgreSQL, so two nodes adding
    // fields to one entity run one after the other and the second sees the first's field.
    ASSIGN_OR_RETURN(int64_t bumped,
                     tx.Execute("UPDATE entities SET version = version + 1, updated_at_us = ? "
                                "WHERE entity_key = ?",
                                {now_us, key}));
    if (bumped == 0) return EntityNotFound(key);
    ASSIGN_OR_RETURN(auto current, Load(tx, key));
    if (!current) return EntityNotFound(key);

    std::vector<FieldViolation> all = violations;
    const std::string column = CustomFieldColumn(input.name);
    const bool name_ok = std::none_of(all.begin(), all.end(),
                                      [](const FieldViolation& v) { return v.field == "name"; });
    if (name_ok) {
      // Compared by every physical column either field would own, whichever was added first:
      // a field "zz_enc" takes x_zz_enc, which a sensitive field "zz" would need for its
      // ciphertext.
      FieldDef probe{.name = input.name, .sensitive = input.sensitive, .column = column};
      const std::vector<std::string> wanted = StorageColumns(probe);
      const bool taken =
          std::any_of(current->fields.begin(), current->fields.end(), [&](const FieldDef& f) {
            if (f.name == input.name) return true;
            for (const std::string& held : StorageColumns(f)) {
              if (std::find(wanted.begin(), wanted.end(), held) != wanted.end()) return true;
            }
            return false;
          });
      if (taken) {
        all.push_back({"name", "name_taken",
                       {"已有字段使用名称 " + input.name,
                        "A field named " + input.name + " already exists"}});
      }
    }
    if (!input.section.empty() &&
        std::none_of(current->sections.begin(), current->sections.end(),
                     [&](const Section& s) { return s.key == input.section; })) {
      all.push_back({"section", "unknown_section",
                     {"没有这个分组：" + input.section, "No such section: " + input.section}});
    }
    if (!all.empty()) return InvalidArgument(std::move(all));

    added.name = input.name;
    added.label = input.label;
    added.type = *FieldTypeFromName(input.type);
    added.format = input.format.empty() ? FieldFormat::kNone : *FieldFormatFromName(input.format);
    added.required = input.required;
    added.sensitive = input.sensitive;
    added.masked_to_year = input.masked_to_year;
    added.filterable = input.filterable;
    added.sortable = input.sortable;
    added.options = input.options;
    added.section = input.section;
    int max_position = 0;
    for (const FieldDef& f : current->fields) max_position = std::max(max_position, f.position);
    added.position = input.position.value_or(max_position + 1);
    added.max_length = input.max_length;
    added.column = column;

    for (const std::string& definition : ColumnDefinitions(added)) {
      RETURN_IF_ERROR(tx.Execute(storage::ExpandDialect(
          "ALTER TABLE " + current->table + " ADD COLUMN " + definition, tx.dialect())));
    }
    for (const std::string& statement : IndexStatements(*current, added, tx.dialect())) {
      RETURN_IF_ERROR(tx.Execute(statement));
    }
    RETURN_IF_ERROR(InsertField(tx, key, added, now_us, actor.user_id));
    RETURN_IF_ERROR(audit_.Append(
        tx, actor,
        {.action = audit::Action::kEntityFieldAdded,
         .entity_type = "entity",
         .entity_id = key,
         .changes = {{.field = "name", .after = added.name},
                     {.field = "type", .after = std::string(FieldTypeName(added.type))},
                     {.field = "column", .after = added.column}},
         .detail = std::string(FieldTypeName(added.type)) + " field " + added.name + " on " +
                   current->table}));
    ASSIGN_OR_RETURN(published, Load(tx, key));
    return Ok();
  }));
  if (published) Store(std::move(published));
  return added;
}

Result<std::shared_ptr<const EntityDef>> EntityRegistry::UpdateField(
    const audit::Actor& actor, std::string_view entity_key, std::string_view field_name,
    const FieldPatch& patch, int64_t expected_version) {
  const std::string key(entity_key);
  std::shared_ptr<const EntityDef> published;
  RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    published.reset();
    ASSIGN_OR_RETURN(auto current, Load(tx, key));
    if (!current) return EntityNotFound(key);
    const FieldDef* field = current->Find(field_name);
    if (!field) {
      return MakeError(ErrorCode::kNotFound, {"没有这个字段", "No such field"},
                       "forms: field " + key + "." + std::string(field_name));
    }
    if (current->version != expected_version) return StaleDefinition();

    std::vector<FieldViolation> violations;
    FieldDef updated = *field;
    if (patch.label_zh_cn) updated.label.zh_cn = *patch.label_zh_cn;
    if (patch.label_en_us) updated.label.en_us = *patch.label_en_us;
    if (patch.label_zh_cn || patch.label_en_us) {
      CheckLabel(updated.label, "label", "", "", violations);
      if (field->builtin && !SameLabel(updated.label, field->label)) updated.label_edited = true;
    }
    if (field->builtin) {
      // Code declares the rest of a built-in field, and its owning module relies on it.
      const std::pair<bool, const char*> others[] = {{patch.options.has_value(), "options"},
                                                     {patch.required.has_value(), "required"},
                                                     {patch.max_length.has_value(), "max_length"},
                                                     {patch.archived.has_value(), "archived"}};
      for (const auto& [given, name] : others) {
        if (!given) continue;
        violations.push_back({name, "builtin_field",
                              {"内置字段只能修改名称", "Only the label of a built-in field can be "
                                                       "changed"}});
      }
    } else {
      if (patch.options) {
        CheckOptions(field->type, *patch.options, violations);
        // Records may hold any value the field ever offered: one left out would be a stored
        // value that no longer reads as a choice.
        for (const FieldOption& old : field->options) {
          const bool kept = std::any_of(patch.options->begin(), patch.options->end(),
                                        [&](const FieldOption& o) { return o.value == old.value; });
          if (!kept) {
            violations.push_back({"options", "option_removed",
                                  {"不能删除已有选项（已有记录可能使用）：" + old.value,
                                   "An existing option cannot be removed (records may hold "
                                   "it): " +
                                       old.value}});
          }
        }
        updated.options = *patch.options;
      }
      if (patch.required) updated.required = *patch.required;
      if (patch.max_length) {
        if (*patch.max_length) CheckMaxLength(field->type, **patch.max_length, violations);
        updated.max_length = *patch.max_length;
      }
      if (patch.archived) updated.archived = *patch.archived;
    }
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    if (updated == *field) {
      published = current;
      return Ok();
    }

    const int64_t now_us = ToUnixMicros(clock_.Now());
    // Takes the entity row's lock on PostgreSQL; a change committed by another node since the
    // read above leaves the version moved on and this update without a row.
    ASSIGN_OR_RETURN(int64_t bumped,
                     tx.Execute("UPDATE entities SET version = version + 1, updated_at_us = ? "
                                "WHERE entity_key = ? AND version = ?",
                                {now_us, key, expected_version}));
    if (bumped == 0) return StaleDefinition();
    RETURN_IF_ERROR(tx.Execute(
        "UPDATE entity_fields SET label_zh = ?, label_en = ?, label_edited = ?, options_json = ?, "
        "required = ?, max_length = ?, archived = ? WHERE entity_key = ? AND name = ?",
        {updated.label.zh_cn, updated.label.en_us, int64_t{updated.label_edited},
         OptionsJson(updated.options), int64_t{updated.required}, OptionalInt(updated.max_length),
         int64_t{updated.archived}, key, updated.name}));

    std::vector<audit::FieldChange> changes;
    auto note = [&](std::string name, std::optional<std::string> before,
                    std::optional<std::string> after) {
      if (before != after) changes.push_back({.field = std::move(name), .before = before,
                                              .after = after});
    };
    auto flag = [](bool value) { return std::string(value ? "true" : "false"); };
    auto length = [](std::optional<size_t> value) {
      return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
    };
    auto values = [](const std::vector<FieldOption>& options) {
      std::string out;
      for (const FieldOption& o : options) out += (out.empty() ? "" : ",") + o.value;
      return out;
    };
    note("label.zh-CN", field->label.zh_cn, updated.label.zh_cn);
    note("label.en-US", field->label.en_us, updated.label.en_us);
    if (field->options != updated.options) {
      changes.push_back({.field = "options",
                         .before = values(field->options),
                         .after = values(updated.options)});
    }
    note("required", flag(field->required), flag(updated.required));
    note("max_length", length(field->max_length), length(updated.max_length));
    note("archived", flag(field->archived), flag(updated.archived));
    RETURN_IF_ERROR(audit_.Append(tx, actor,
                                  {.action = audit::Action::kEntityFieldUpdated,
                                   .entity_type = "entity",
                                   .entity_id = key,
                                   .changes = std::move(changes),
                                   .detail = "field " + updated.name + " on " + current->table}));
    ASSIGN_OR_RETURN(published, Load(tx, key));
    return Ok();
  }));
  Store(published);
  return published;
}

}  // namespace oc::forms
