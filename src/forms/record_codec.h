#pragma once
// The one conversion between a record's JSON (flat: {"name": …, "debt_ratio": "0.8300"}) and
// the typed columns of its entity's table, driven by the EntityDef, shared by every entity's
// service. Input is validated and standardised field by field (formats through the core
// validators, money through core/money.h, decimals parsed exactly without floating point), every
// violation is collected, and the result is ready for INSERT/UPDATE with sensitive values
// already encrypted and blind-indexed. Output decrypts sensitive values and masks them unless
// asked for plaintext.
//
// The entity's service owns its bookkeeping columns (id, version, owner, timestamps): it adds
// them to the statements built here and to the JSON returned.
//
// Thread-safety: pure functions over their arguments.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/error.h"
#include "crypto/field_cipher.h"
#include "forms/field.h"
#include "storage/db.h"

namespace oc::forms {

enum class DecodeMode {
  kCreate,  // every field may be given; required fields must be, and non-null
  kPatch,   // only the fields given are decoded; a required field may not be cleared
};

struct DecodeOptions {
  DecodeMode mode = DecodeMode::kCreate;
  // Input keys the caller reads itself (e.g. "owner_id" at create): skipped here, neither
  // decoded nor reported as unknown.
  std::set<std::string, std::less<>> caller_fields;
};

// One decoded field.
struct FieldValue {
  const FieldDef* field = nullptr;  // points into the EntityDef passed to DecodeInput
  // The standardised API value (what EncodeOutput would return with kPlain): string, integer,
  // bool, array of strings, or null when the field is cleared.
  boost::json::value value;
  // The storage values, one per StorageColumns(*field), in that order (ciphertext and blind
  // index for a sensitive field); Null when cleared.
  std::vector<storage::Value> columns;
};

struct RecordValues {
  std::vector<FieldValue> fields;  // in EntityDef field order

  // The decoded field named `name`, or nullptr when it was not in the input.
  const FieldValue* Find(std::string_view name) const;
  bool empty() const { return fields.empty(); }

  // Statement pieces, all in the same column order:
  std::string ColumnList() const;       // "name, x_debt_ratio, id_number_enc, id_number_bidx"
  std::string PlaceholderList() const;  // "?, ?, ?, ?"
  std::string SetList() const;          // "name = ?, x_debt_ratio = ?, …"
  storage::Params Params() const;       // the values of the columns above
};

// Validates and standardises `input` against `entity`; see DecodeMode for which fields are
// decoded. Null clears a non-required field; an empty or all-whitespace string counts as null.
// Errors: kInvalidArgument with one FieldViolation per bad field (field = its JSON name), codes:
//   unknown_field, read_only, archived, required, wrong_type, too_long, control_character,
//   invalid_integer, out_of_range, invalid_decimal, too_many_decimals, invalid_money,
//   invalid_date, invalid_datetime, invalid_option, duplicate_value, plus the core validators'
//   codes for formats (e.g. invalid_checksum, invalid_mobile, invalid_phone, invalid_email);
// kInternal if encryption fails.
Result<RecordValues> DecodeInput(const EntityDef& entity, const boost::json::object& input,
                                 const DecodeOptions& options, const crypto::FieldCipher& cipher);

// Standardises one text value of `field` by its format, as DecodeInput does ("+86 138-0013-8000"
// → "13800138000"). Used for exact lookups (blind index) and duplicate checks.
// Errors: kInvalidArgument naming `field.name` when the value is not valid for the format.
Result<std::string> StandardiseText(const FieldDef& field, std::string_view text);

// Decodes one value of `field` written as text (a query parameter) to what its column stores, by
// the same rules as DecodeInput: "true"/"false" for booleans, one option value for a
// multi_select (the caller matches it inside the stored list), the standardised plaintext for a
// sensitive field (the caller blind-indexes it).
// Errors: kInvalidArgument with one violation on `parameter`, code invalid_value.
Result<storage::Value> DecodeText(const FieldDef& field, std::string_view text,
                                  std::string_view parameter);

enum class OutputMode {
  // Sensitive fields masked by their format (1****************X, 138****8000), dates that are
  // masked_to_year shown as the year (1990-**-**).
  kMasked,
  kPlain,  // every field as stored: only for a caller allowed to unmask, and audited
};

// `text`, a value of `field` in its API text form, as a caller without pii.unmask may see it:
// masked by the field's format when sensitive, the year alone when masked_to_year, else as is.
// Masking an already masked value gives the same mask again.
std::string MaskForViewer(const FieldDef& field, std::string_view text);

// The changes of an audit entry about a record of `entity` (the JSON array ChangesForAudit's
// entries are stored as), with every value of a field that IsMaskedForViewers masked as
// MaskForViewer masks it now. Entries recorded under an earlier, weaker mask are shown with
// today's; text that is not such an array is returned unchanged.
std::string RemaskRecordedChanges(const EntityDef& entity, std::string_view changes_json);

// The physical columns of every field (a sensitive field's ciphertext, not its blind index),
// comma-separated, for a SELECT list: never `SELECT *`, so the statement text (and a prepared
// statement) changes when a field is added.
// `qualifier` ("c") prefixes each column ("c.name").
std::string SelectColumns(const EntityDef& entity, std::string_view qualifier = {});

// The fields of `row` as flat JSON: every field of `entity`, null where the row has none.
// REQUIRES: `row` holds every column of SelectColumns(entity).
// Errors: the cipher's errors when a sensitive value does not decrypt (kFailedPrecondition for a
// key rotated out of the configuration, kInternal for corruption).
Result<boost::json::object> EncodeOutput(const EntityDef& entity, const storage::Row& row,
                                         const crypto::FieldCipher& cipher,
                                         OutputMode mode = OutputMode::kMasked);

// What changing `before` (a row as stored; nullptr for a new record) to `after` changes, one
// entry per field whose value changes, in the two forms its readers take:
// - `audit`: the trail's text form, each value masked as MaskForViewer masks it, so the trail
//   never holds more of a personal value than a masked viewer sees;
// - `event`: a domain event's "changes", JSON-typed old and new values, except for the fields
//   that IsMaskedForViewers, which are listed as changed without their values
//   (runtime::SensitiveChange): an event is read by consumers that never unmask.
// Errors: the cipher's errors when a stored sensitive value does not decrypt.
struct RecordChanges {
  std::vector<audit::FieldChange> audit;
  boost::json::array event;
  bool empty() const { return audit.empty(); }
};
Result<RecordChanges> ChangesOf(const EntityDef& entity, const storage::Row* before,
                                const RecordValues& after, const crypto::FieldCipher& cipher);

}  // namespace oc::forms
