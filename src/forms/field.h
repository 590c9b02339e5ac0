#pragma once
// The metadata of a metadata-driven entity (客户, 贷款申请, an administrator-made entity): which
// fields it has, their types, formats, labels, options and layout, and how each field maps to the
// real typed column(s) of the entity's own table. Every engine that touches records — the record
// codec, list queries, the form designer, imports, reports — reads these definitions and nothing
// else, so a field added at run time behaves exactly like a built-in one.
//
// Storage per type (the API representation in brackets):
//   text, long_text, single_select  TEXT                               [string]
//   integer                         BIGINT                             [integer]
//   money                           BIGINT fen (分)                    ["100000.00"]
//   decimal, percent                BIGINT scaled by 10^6 (kDecimalScale): six fractional
//                                   digits, range ±9,223,372,036,854.775807 [decimal string;
//                                   a percent is a fraction: "0.8300" is 83 %]
//   date                            TEXT 'YYYY-MM-DD'                  ["2024-05-01"]
//   datetime                        BIGINT microseconds since the Unix epoch, UTC
//                                   [RFC 3339, "2024-05-01T08:00:00.000000Z"]
//   boolean                         INTEGER 0/1                        [true/false]
//   multi_select                    TEXT "|a|b|" in option order, so `LIKE '%|a|%'` finds
//                                   one value; option values never contain '|' [["a","b"]]
//   sensitive text                  <column>_enc BLOB (FieldCipher ciphertext, context
//                                   "<entity>.<field>") and <column>_bidx BLOB (blind index of
//                                   the standardised value), indexed; no plaintext column.
//
// Thread-safety: plain values; an EntityDef is immutable once published by the registry and is
// shared between threads through std::shared_ptr<const EntityDef>.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "storage/db.h"

namespace oc::forms {

enum class FieldType {
  kText,          // one line
  kLongText,      // several lines (remarks)
  kInteger,
  kDecimal,
  kMoney,
  kPercent,
  kDate,
  kDateTime,
  kBoolean,
  kSingleSelect,
  kMultiSelect,
};

// "text", "long_text", "integer", "decimal", "money", "percent", "date", "datetime", "boolean",
// "single_select", "multi_select".
std::string_view FieldTypeName(FieldType type);
// Parses FieldTypeName's output; nullopt for anything else.
std::optional<FieldType> FieldTypeFromName(std::string_view name);
// Every type, in the order above (for the designer's palette and for tests).
const std::vector<FieldType>& AllFieldTypes();

// A format standardises and validates the value of a text field (formats apply to kText only).
enum class FieldFormat {
  kNone,
  kResidentId,  // 居民身份证号码: GB 11643 check digit, 15-digit numbers converted, 'x' → 'X'
  kCreditCode,  // 统一社会信用代码: GB 32100 check character
  kMobile,      // mainland mobile: +86, spaces, dashes and full-width digits removed
  kEmail,
  kBankCard,    // Luhn check
  kPersonName,  // trimmed, inner whitespace collapsed, full-width letters and digits folded
  // Any identity document number (passport, HK/Macau/Taiwan permits, or a resident ID number the
  // owning module has already checked): 5–20 letters and digits, upper-cased, spaces and dashes
  // removed; masked like an ID number.
  kIdDocument,
  kPhone,  // a mainland mobile or landline (NormalizePhone): a company's switchboard
};

// "none", "resident_id", "credit_code", "mobile", "email", "bank_card", "person_name",
// "id_document", "phone".
std::string_view FieldFormatName(FieldFormat format);
std::optional<FieldFormat> FieldFormatFromName(std::string_view name);

// One choice of a select field. `value` is what is stored and exchanged; it matches
// [A-Za-z0-9_.-]{1,64}, so it never contains '|' or LIKE wildcards.
struct FieldOption {
  std::string value;
  Message label;
};

// Scale of decimal and percent columns: stored value = decimal value × 10^6.
inline constexpr int64_t kDecimalScale = 1'000'000;
inline constexpr int kDecimalPlaces = 6;

// Longest text accepted when a field sets no max_length, in characters (not bytes).
inline constexpr size_t kDefaultTextMaxLength = 500;
inline constexpr size_t kDefaultLongTextMaxLength = 20'000;

struct FieldDef {
  std::string name;  // JSON name, [a-z][a-z0-9_]{0,39}; stable forever
  Message label;
  FieldType type = FieldType::kText;
  FieldFormat format = FieldFormat::kNone;
  bool required = false;  // enforced on create; a patch may not clear it
  bool builtin = false;   // declared by the owning module's code; false for custom fields
  // Maintained by the entity's service (created_at, owner_id …): encoded on output, filterable
  // and sortable, but the record codec rejects it in input ("read_only").
  bool read_only = false;
  // Encrypted at rest with a blind index beside it, masked on output. kText only; never sortable,
  // filterable by exact value only.
  bool sensitive = false;
  // Personal data kept in clear because lists filter it by range: a birth date, which together
  // with a masked ID number would rebuild it. A caller who may not unmask sees only the year
  // ("1990-**-**"), may filter it by whole years only and may not sort by it; the audit trail
  // keeps only the year. kDate only.
  bool masked_to_year = false;
  bool filterable = false;
  bool sortable = false;
  std::vector<FieldOption> options;  // select types only, in display order
  std::string section;               // key of an EntityDef section; "" = the default section
  int position = 0;                  // order within the form, ascending
  std::optional<size_t> max_length;  // text types, in characters
  // The physical column. Custom fields get "x_<name>", so a later built-in field can never clash
  // with one an administrator added. Sensitive fields use <column>_enc and <column>_bidx instead.
  std::string column;
  // Withdrawn by an administrator (custom fields only): forms and lists leave it out, but its
  // column and data stay and records still show the value; input naming it is refused and it is
  // required no more, until it is restored.
  bool archived = false;
  // An administrator gave this built-in field a label of their own, which start-up keeps.
  bool label_edited = false;
};

// A titled group of fields on the form ("基本信息", "联系方式").
struct Section {
  std::string key;
  Message label;
};

struct EntityDef {
  std::string key;    // "customer"
  Message label;      // {"客户", "Customer"}
  std::string table;  // "customers": the real table, created by the owning module
  std::vector<FieldDef> fields;  // built-in and custom, ordered by (position, name)
  std::vector<Section> sections;
  // Bumped by every metadata change; caches compare it to notice changes made by other nodes.
  int64_t version = 0;

  // The field named `name`, or nullptr.
  const FieldDef* Find(std::string_view name) const;
};

// Member-wise equality (labels compared in both languages).
bool SameLabel(const Message& a, const Message& b);
bool operator==(const FieldOption& a, const FieldOption& b);
bool operator==(const FieldDef& a, const FieldDef& b);
bool operator==(const Section& a, const Section& b);

// The column name of a custom field: "x_" + name.
std::string CustomFieldColumn(std::string_view name);
// The ciphertext and blind-index columns of a sensitive field.
std::string CipherColumn(const FieldDef& field);      // <column>_enc
std::string BlindIndexColumn(const FieldDef& field);  // <column>_bidx
// The FieldCipher context of a sensitive field: "<entity>.<field>" ("customer.id_number").
std::string CipherContext(const EntityDef& entity, const FieldDef& field);

// The physical columns that hold `field`, in order: one column, or for a sensitive field the
// ciphertext and the blind index.
std::vector<std::string> StorageColumns(const FieldDef& field);

// DDL fragments for the owning module's migration (and for AddCustomField), with the dialect
// tokens of storage/migrations.h ({{bigint}}, {{blob}}); expand them with storage::ExpandDialect.
//   ColumnDefinitions: "x_debt_ratio {{bigint}}", or for a sensitive field
//                      "x_a_enc {{blob}}", "x_a_bidx {{blob}}". Columns are nullable: rows that
//                      existed before a field was added have no value for it.
//   IndexStatements:   the CREATE INDEX statements a field needs: the blind index of a filterable
//                      sensitive field (partial: rows without a value are left out); one index on the column of a filterable or sortable field (none for
//                      long_text and multi_select, whose filters cannot use one). Index names are
//                      "<table>_<column>_idx". NULLs sort first, as list queries order them
//                      (stated explicitly on PostgreSQL, whose default is the opposite).
std::vector<std::string> ColumnDefinitions(const FieldDef& field);
std::vector<std::string> IndexStatements(const EntityDef& entity, const FieldDef& field,
                                         storage::Dialect dialect);

// Whether a type has an order that range filters (".from"/".to") apply to.
bool IsRangeType(FieldType type);
// Whether a field can be a sort key: not sensitive, not long_text, not multi_select.
bool CanSort(const FieldDef& field);

// Whether a caller without pii.unmask sees less than the stored value (sensitive or
// masked_to_year).
bool IsMaskedForViewers(const FieldDef& field);

}  // namespace oc::forms
