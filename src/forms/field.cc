#include "forms/field.h"

#include <array>

namespace oc::forms {

namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 11> kTypeNames = {{
    {FieldType::kText, "text"},
    {FieldType::kLongText, "long_text"},
    {FieldType::kInteger, "integer"},
    {FieldType::kDecimal, "decimal"},
    {FieldType::kMoney, "money"},
    {FieldType::kPercent, "percent"},
    {FieldType::kDate, "date"},
    {FieldType::kDateTime, "datetime"},
    {FieldType::kBoolean, "boolean"},
    {FieldType::kSingleSelect, "single_select"},
    {FieldType::kMultiSelect, "multi_select"},
}};

constexpr std::array<std::pair<FieldFormat, std::string_view>, 9> kFormatNames = {{
    {FieldFormat::kNone, "none"},
    {FieldFormat::kResidentId, "resident_id"},
    {FieldFormat::kCreditCode, "credit_code"},
    {FieldFormat::kMobile, "mobile"},
    {FieldFormat::kEmail, "email"},
    {FieldFormat::kBankCard, "bank_card"},
    {FieldFormat::kPersonName, "person_name"},
    {FieldFormat::kIdDocument, "id_document"},
    {FieldFormat::kPhone, "phone"},
}};

std::string_view SqlType(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
    case FieldType::kMoney:
    case FieldType::kDecimal:
    case FieldType::kPercent:
    case FieldType::kDateTime:
      return "{{bigint}}";
    case FieldType::kBoolean:
      return "INTEGER";
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kSingleSelect:
    case FieldType::kMultiSelect:
    case FieldType::kDate:
      return "TEXT";
  }
  return "TEXT";
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "text";
}

std::optional<FieldType> FieldTypeFromName(std::string_view name) {
  for (const auto& [t, n] : kTypeNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

const std::vector<FieldType>& AllFieldTypes() {
  static const std::vector<FieldType> kAll = [] {
    std::vector<FieldType> all;
    for (const auto& [t, name] : kTypeNames) all.push_back(t);
    return all;
  }();
  return kAll;
}

std::string_view FieldFormatName(FieldFormat format) {
  for (const auto& [f, name] : kFormatNames) {
    if (f == format) return name;
  }
  return "none";
}

std::optional<FieldFormat> FieldFormatFromName(std::string_view name) {
  for (const auto& [f, n] : kFormatNames) {
    if (n == name) return f;
  }
  return std::nullopt;
}

const FieldDef* EntityDef::Find(std::string_view name) const {
  for (const FieldDef& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

bool SameLabel(const Message& a, const Message& b) {
  return a.zh_cn == b.zh_cn && a.en_us == b.en_us;
}

bool operator==(const FieldOption& a, const FieldOption& b) {
  return a.value == b.value && SameLabel(a.label, b.label);
}

bool operator==(const FieldDef& a, const FieldDef& b) {
  return a.name == b.name && SameLabel(a.label, b.label) && a.type == b.type &&
         a.format == b.format && a.required == b.required && a.builtin == b.builtin &&
         a.read_only == b.read_only && a.sensitive == b.sensitive &&
         a.masked_to_year == b.masked_to_year && a.filterable == b.filterable &&
         a.sortable == b.sortable && a.options == b.options && a.section == b.section &&
         a.position == b.position && a.max_length == b.max_length && a.column == b.column &&
         a.archived == b.archived && a.label_edited == b.label_edited;
}

bool operator==(const Section& a, const Section& b) {
  return a.key == b.key && SameLabel(a.label, b.label);
}

std::string CustomFieldColumn(std::string_view name) { return "x_" + std::string(name); }

std::string CipherColumn(const FieldDef& field) { return field.column + "_enc"; }

std::string BlindIndexColumn(const FieldDef& field) { return field.column + "_bidx"; }

std::string CipherContext(const EntityDef& entity, const FieldDef& field) {
  return entity.key + "." + field.name;
}

std::vector<std::string> StorageColumns(const FieldDef& field) {
  if (field.sensitive) return {CipherColumn(field), BlindIndexColumn(field)};
  return {field.column};
}

std::vector<std::string> ColumnDefinitions(const FieldDef& field) {
  if (field.sensitive) {
    return {CipherColumn(field) + " {{blob}}", BlindIndexColumn(field) + " {{blob}}"};
  }
  return {field.column + " " + std::string(SqlType(field.type))};
}

std::vector<std::string> IndexStatements(const EntityDef& entity, const FieldDef& field,
                                         storage::Dialect dialect) {
  if (field.sensitive) {
    // Nobody looks up a street address by its exact text: without a filter the blind index is
    // kept in the row (for a filter added later) but not indexed.
    if (!field.filterable) return {};
    const std::string column = BlindIndexColumn(field);
    // Partial: records without a value (most records lack a bank card) cost the index nothing,
    // and an exact match implies the value is not null, so lookups still use it.
    return {"CREATE INDEX " + entity.table + "_" + column + "_idx ON " + entity.table + " (" +
            column + ") WHERE " + column + " IS NOT NULL"};
  }
  if (!field.filterable && !field.sortable) return {};
  // Filters on these match inside the value (LIKE '%|a|%') or are rare and long: an index would
  // cost every write and serve no query.
  if (field.type == FieldType::kLongText || field.type == FieldType::kMultiSelect) return {};
  // List queries sort NULL first (SQLite's only index order); PostgreSQL indexes must say so, or
  // they could not serve the ORDER BY in either direction.
  const std::string nulls = dialect == storage::Dialect::kPostgres ? " NULLS FIRST" : "";
  return {"CREATE INDEX " + entity.table + "_" + field.column + "_idx ON " + entity.table + " (" +
          field.column + nulls + ")"};
}

bool IsRangeType(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
    case FieldType::kDecimal:
    case FieldType::kMoney:
    case FieldType::kPercent:
    case FieldType::kDate:
    case FieldType::kDateTime:
      return true;
    default:
      return false;
  }
}

bool CanSort(const FieldDef& field) {
  return !field.sensitive && field.type != FieldType::kLongText &&
         field.type != FieldType::kMultiSelect;
}

bool IsMaskedForViewers(const FieldDef& field) { return field.sensitive || field.masked_to_year; }

}  // namespace oc::forms
