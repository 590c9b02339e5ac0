#pragma once
// The registry of entity definitions: the metadata tables (entities, entity_fields), the built-in
// fields each owning module declares, and the custom fields administrators add at run time with
// a real `ALTER TABLE … ADD COLUMN`.
//
// Ownership: the owning module (customers, loans …) creates its entity's table in its own
// migration (ColumnDefinitions/IndexStatements in field.h give the DDL of its built-in fields)
// and calls RegisterBuiltin at startup to record them. The registry owns the custom columns it
// adds. Nothing here knows any particular entity.
//
// Caching and several nodes: definitions are cached in memory. Every metadata change bumps
// entities.version in the same transaction; Get compares the cached version with the database
// at most once per `max_staleness`, so a field added on one node is seen by every other node
// within that bound. Caching a stale definition is safe: fields are never dropped, so a stale
// definition only lacks the newest fields (input naming them is refused as unknown until the
// cache catches up).
//
// Thread-safety: all methods may be called concurrently from any thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "forms/field.h"
#include "storage/db.h"
#include "storage/migrations.h"

namespace oc::forms {

// The schema of the metadata tables. Append to the composition root's list before any module
// whose migrations or startup call RegisterBuiltin.
std::vector<storage::Migration> Migrations();

// What an administrator sends to add a field. Type and format arrive as names so that an unknown
// one is reported as a field violation like every other input error.
struct CustomFieldInput {
  std::string name;
  Message label;
  std::string type;    // FieldTypeName
  std::string format;  // FieldFormatName; "" = none
  bool required = false;
  bool sensitive = false;
  bool masked_to_year = false;  // dates only: see FieldDef
  bool filterable = false;
  bool sortable = false;
  std::vector<FieldOption> options;
  std::string section;               // "" = default section
  std::optional<int> position;       // default: after every existing field
  std::optional<size_t> max_length;  // text types; default kDefault*MaxLength
};

// What an administrator sends to change a field; what is absent stays as it is.
struct FieldPatch {
  std::optional<std::string> label_zh_cn;
  std::optional<std::string> label_en_us;
  std::optional<std::vector<FieldOption>> options;  // the whole list, in display order
  std::optional<bool> required;
  // A new maximum length; holding nullopt, back to the type's default.
  std::optional<std::optional<size_t>> max_length;
  std::optional<bool> archived;
};

struct RegistryOptions {
  // How long Get may serve a cached definition without asking the database for its version.
  // Zero: ask on every call.
  std::chrono::microseconds max_staleness = std::chrono::seconds(1);
};

class EntityRegistry {
 public:
  EntityRegistry(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                 RegistryOptions options = {});

  // Records `entity` and its built-in fields inside the caller's write transaction. Idempotent,
  // so startup may call it every time: inserts the entity and any missing built-in field, updates
  // labels, sections and the other presentation and validation properties of existing built-in
  // ones, removes the metadata of built-in fields no longer declared (their columns stay), and
  // bumps the version only when something changed. Custom fields are left alone.
  // REQUIRES: entity.table exists with the columns of every field (ColumnDefinitions); every
  // field in `entity.fields` is builtin, with a valid name, a column and consistent properties.
  // Errors: kFailedPrecondition when a declared field's type, column or sensitivity differs from
  // what is recorded (that change needs a data migration), or when a custom field already uses a
  // declared name; storage errors.
  Status RegisterBuiltin(storage::Tx& tx, const EntityDef& entity) const;

  // The current definition of `key`, from the cache when fresh enough.
  // Errors: kNotFound when no such entity is registered; storage errors.
  Result<std::shared_ptr<const EntityDef>> Get(std::string_view key);

  // As Get, but always checks the version inside the caller's transaction, so the definition
  // matches the table that transaction sees (use it when decoding input inside a write).
  Result<std::shared_ptr<const EntityDef>> Get(storage::Tx& tx, std::string_view key);

  // Keys of every registered entity, sorted.
  Result<std::vector<std::string>> ListKeys();

  // Adds a custom field to `entity`: in one write transaction adds its typed column(s) to the
  // entity's table (plus its indexes), records the metadata, bumps the entity's version and
  // audits "entity.field_added". Existing rows keep their data and have no value for the field.
  // Returns the new field as stored (column "x_<name>", position assigned).
  // Errors:
  //  - kNotFound: no such entity.
  //  - kInvalidArgument with every violation, each naming the input field:
  //      name         invalid_name (not [a-z][a-z0-9_]{0,39}), reserved_name (id, version,
  //                   created_at, owner_name … — the columns every entity table carries and the
  //                   names its records are shown with), name_taken (a built-in or custom field
  //                   of this entity already has the name, or a physical column the new field
  //                   would need: "zz_enc" and a sensitive "zz" both want x_zz_enc)
  //      label.zh-CN, label.en-US  required, too_long, control_character
  //      type         unknown_type
  //      format       unknown_format, format_needs_text
  //      options      options_required (select without options), options_not_allowed,
  //                   duplicate_option, invalid_option_value; options[i].label.zh-CN/en-US
  //                   required
  //      sensitive    sensitive_needs_text
  //      masked_to_year  masked_to_year_needs_date
  //      sortable     not_sortable (sensitive, long_text, multi_select)
  //      section      unknown_section
  //      max_length   invalid_max_length (0, above 20,000, or on a non-text type)
  //  - kAborted when another node changed the entity concurrently (retry may succeed); storage
  //    errors.
  Result<FieldDef> AddCustomField(const audit::Actor& actor, std::string_view entity,
                                  const CustomFieldInput& input);

  // Changes the field `field` of `entity` if the entity's version is still `expected_version`:
  // in one write transaction records the new properties, bumps the version and audits
  // "entity.field_updated" with each property's before and after. A built-in field takes a new
  // label only, which RegisterBuiltin keeps from then on. Archiving withdraws a custom field
  // from forms and lists (see FieldDef::archived); its column and data stay. A patch that
  // changes nothing writes nothing. Returns the entity's definition afterwards.
  // Errors:
  //  - kNotFound: no such entity or field.
  //  - kAborted: the entity's version is not `expected_version` (another change came first).
  //  - kInvalidArgument with every violation, each naming the input field:
  //      label.zh-CN, label.en-US  as AddCustomField
  //      options, required, max_length, archived  builtin_field on a built-in field
  //      options      as AddCustomField, and option_removed for an existing value left out
  //                   (records may hold it)
  //      max_length   invalid_max_length as AddCustomField
  //  - storage errors.
  Result<std::shared_ptr<const EntityDef>> UpdateField(const audit::Actor& actor,
                                                       std::string_view entity,
                                                       std::string_view field,
                                                       const FieldPatch& patch,
                                                       int64_t expected_version);

 private:
  struct CacheEntry {
    std::shared_ptr<const EntityDef> def;
    Instant checked_at;
  };

  // Reads the definition of `key` in `tx`; nullptr when absent.
  static Result<std::shared_ptr<const EntityDef>> Load(storage::Tx& tx, std::string_view key);
  // Returns the cached definition when its version equals the database's, else loads and caches.
  Result<std::shared_ptr<const EntityDef>> Refresh(storage::Tx& tx, std::string_view key);
  void Store(std::shared_ptr<const EntityDef> def);

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  RegistryOptions options_;

  std::mutex mu_;
  std::map<std::string, CacheEntry, std::less<>> cache_;  // guarded by mu_
};

// Names no field may take: the columns every entity table carries for its own bookkeeping.
bool IsReservedFieldName(std::string_view name);

}  // namespace oc::forms
