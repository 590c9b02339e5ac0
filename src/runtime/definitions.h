#pragma once
// The definitions registry: one versioned home for everything business staff design — entity
// forms, approval processes, rule sets, decision tables, datasets and dashboards. Every engine
// stores its designs here instead of keeping a table of its own.
//
// A definition is a (kind, key) with a sequence of versions 1, 2, 3 …. A version is a draft, then
// published, then possibly retired:
//   - At most one draft per key. A draft may be edited (guarded by its revision, the API's ETag).
//   - Published and retired versions never change: every use case refuses to touch their content.
//     Editing a published definition means creating a new draft (last version + 1) based on it;
//     the draft records the version it started from as parent_version.
//   - `current` is the published version that starting by key reads. Publishing flips it to the
//     version published; retiring the current version leaves the key without one (nothing new
//     starts) until another is published. Retired versions stay readable for what pinned them.
//   - Rollback publishes an old version's content as a new version: history is never rewritten.
//   - Version numbers never repeat and never skip, also under concurrent writers: every change to
//     a key first locks the key's head row (definition_keys), and a number is taken only by the
//     transaction that inserts the version.
//
// Content is a JSON object, stored canonically (CanonicalJson) with the SHA-256 of that text.
// Every runtime object an engine starts from a definition stores its Pin (kind, key, version,
// content hash) and reloads it with GetPinned, which fails loudly when the stored content no
// longer hashes to the pin.
//
// What a kind's content must hold is its engine's business: the engine registers a
// ContentValidator, and publishing (also a rollback) refuses with the validator's field errors.
// Without a validator the registry checks only that the content is a JSON object of at most
// kMaxContentBytes canonical bytes, nested at most kMaxContentDepth deep. Drafts are checked for
// that alone, so that a half-finished design can be saved.
//
// Publishing, retiring, rolling back and saving drafts are audited (publish, retire and rollback
// with the change note, required) and emit domain events (`definition.published`,
// `definition.retired`, `definition.draft_saved`) in the same transaction.
//
// Thread-safety: validators are set at start-up, before the first use; after that the registry
// is safe to share. It blocks on the database.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "runtime/event_log.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/unit_of_work.h"

namespace oc::runtime {

// What a definition describes. The stored names never change.
enum class DefinitionKind {
  kEntity,     // "entity": an entity's form and fields
  kProcess,    // "process": an approval process (审批流程)
  kRuleset,    // "ruleset": a set of rules
  kDecision,   // "decision": a decision table (决策表)
  kDataset,    // "dataset": a report's dataset
  kDashboard,  // "dashboard": a dashboard (仪表盘)
};

std::span<const DefinitionKind> AllDefinitionKinds();
std::string_view DefinitionKindName(DefinitionKind kind);
std::optional<DefinitionKind> DefinitionKindFromName(std::string_view name);

enum class VersionStatus { kDraft, kPublished, kRetired };

std::string_view VersionStatusName(VersionStatus status);  // "draft", "published", "retired"

inline constexpr size_t kMaxContentBytes = 1024 * 1024;
inline constexpr int kMaxContentDepth = 64;
// A key: [a-z][a-z0-9_]{0,63}.
inline constexpr size_t kMaxKeyLength = 64;
// Change notes of publish, retire and rollback: 2–500 characters (code points).
inline constexpr size_t kMinChangeNoteLength = 2;
inline constexpr size_t kMaxChangeNoteLength = 500;

// What a runtime object stores about the definition it runs: enough to reload exactly that
// content and to notice if it is not what it was.
struct Pin {
  DefinitionKind kind = DefinitionKind::kEntity;
  std::string key;
  int64_t version = 0;
  std::string content_hash;  // 64 lower-case hex characters

  friend bool operator==(const Pin&, const Pin&) = default;
};

// A version without its content (lists).
struct VersionSummary {
  DefinitionKind kind = DefinitionKind::kEntity;
  std::string key;
  int64_t version = 0;
  VersionStatus status = VersionStatus::kDraft;
  std::string content_hash;
  std::optional<int64_t> parent_version;    // what a draft started from; for a rollback, the
                                            // version that was current when it was made
  std::optional<int64_t> rolled_back_from;  // a rollback's source version
  int64_t revision = 0;                     // changes with every save of a draft; the API's ETag
  bool current = false;
  std::string created_by;
  Instant created_at;
  Instant updated_at;
  std::string published_by;  // empty until published
  std::optional<Instant> published_at;
  std::string change_note;  // the publish (or rollback) note
  std::string retired_by;
  std::optional<Instant> retired_at;
  std::string retire_note;

  Pin pin() const { return {kind, key, version, content_hash}; }
};

struct DefinitionVersion : VersionSummary {
  boost::json::object content;
};

// One key of a kind, as lists show it.
struct DefinitionSummary {
  DefinitionKind kind = DefinitionKind::kEntity;
  std::string key;
  std::optional<int64_t> current_version;
  std::optional<int64_t> draft_version;
  int64_t latest_version = 0;
  Instant updated_at;
};

// A version addressed by the caller.
struct VersionRef {
  DefinitionKind kind = DefinitionKind::kEntity;
  std::string key;
  int64_t version = 0;
};

// An engine's check of its kind's content: the violations, with fields as paths inside the
// content ("nodes[2].approver"); the registry reports them under "content.". Empty: valid.
// Must be pure and thread-safe.
using ContentValidator =
    std::function<std::vector<FieldViolation>(const boost::json::object& content)>;

// The registry's tables.
std::vector<storage::Migration> DefinitionMigrations();

// `value` as canonical JSON: object members sorted by key (UTF-8 byte order), no whitespace,
// strings escaped as Boost.JSON serializes them, numbers in Boost.JSON's form. Serializing the
// parse of a canonical text gives the same text back.
std::string CanonicalJson(const boost::json::value& value);

// The SHA-256 of `canonical`, 64 lower-case hex characters.
std::string ContentHash(std::string_view canonical);

// The structural difference from `from` to `to` as JSON Patch operations (RFC 6902) that turn
// `from` into `to`: {"op": "add", "path", "value"}, {"op": "remove", "path", "old"},
// {"op": "replace", "path", "old", "value"}. Paths are JSON Pointers (RFC 6901). Object members
// in key order; arrays element by element (an insertion in the middle shows as replacements
// and an add at the end), removals of trailing elements from the last one down, so that the
// operations apply in order. Equal documents give an empty array.
boost::json::array JsonDiff(const boost::json::value& from, const boost::json::value& to);

class DefinitionRegistry {
 public:
  DefinitionRegistry(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                     const EventLog& events)
      : db_(db), clock_(clock), audit_(audit), events_(events) {}

  // Sets `kind`'s content validator, replacing any before. REQUIRES: before the first use.
  void SetValidator(DefinitionKind kind, ContentValidator validator);

  // The keys of `kind` (every kind when nullopt), by kind then key.
  Result<std::vector<DefinitionSummary>> List(std::optional<DefinitionKind> kind);

  // The versions of a key, oldest first. Errors: kInvalidArgument (field "key") for a malformed
  // key; kNotFound for a key with no versions.
  Result<std::vector<VersionSummary>> ListVersions(DefinitionKind kind, std::string_view key);

  // One version with its content. Errors: as ListVersions; kNotFound for no such version.
  Result<DefinitionVersion> GetVersion(const VersionRef& ref);

  // The draft of a key. Errors: as ListVersions; kNotFound when the key has no draft.
  Result<DefinitionVersion> GetDraft(DefinitionKind kind, std::string_view key);

  // The current version: what starting by key runs. Errors: as ListVersions; kFailedPrecondition
  // when the key has no published version in force (never published, or current retired).
  Result<DefinitionVersion> GetCurrent(DefinitionKind kind, std::string_view key);

  // The pinned version, checked: the version's stored content must still hash to the pin's hash.
  // Errors: as GetVersion; kFailedPrecondition when the version is a draft (drafts change and
  // cannot be pinned); kInternal, loudly (the detail names the pin and both hashes), when the
  // stored hash or the hash of the stored content differs from the pin: the pin is wrong or the
  // content was changed behind the registry's back, and running it would run something else.
  Result<DefinitionVersion> GetPinned(const Pin& pin);
  Result<DefinitionVersion> GetPinned(DefinitionKind kind, std::string_view key, int64_t version,
                                      std::string_view content_hash);

  // Creates the key's draft: version last + 1, with `content`, recording `based_on` (default:
  // the current version, if any) as parent_version.
  // Errors: kInvalidArgument naming "key", "content" (content_too_large, too_deep) or
  // "based_on" (no such version, or a draft); kAlreadyExists when the key has a draft already
  // (also when another administrator created it a moment before).
  Result<DefinitionVersion> CreateDraft(storage::UnitOfWork& unit, const audit::Actor& actor,
                                        DefinitionKind kind, std::string_view key,
                                        const boost::json::object& content,
                                        std::optional<int64_t> based_on);

  // Replaces a draft's content when its revision is still `expected_revision`.
  // Errors: kInvalidArgument as CreateDraft; kNotFound for no such version; kFailedPrecondition
  // when the version is published or retired (they are immutable); kAborted when the draft was
  // saved since `expected_revision`.
  Result<DefinitionVersion> UpdateDraft(storage::UnitOfWork& unit, const audit::Actor& actor,
                                        const VersionRef& ref, int64_t expected_revision,
                                        const boost::json::object& content);

  // Publishes a draft and makes it current. Runs the kind's validator.
  // Errors: kInvalidArgument for the change note (change_note: required, too_short, too_long)
  // or the validator's violations under "content."; kNotFound; kAborted when the version is no
  // longer a draft (published by someone else a moment before, or retired).
  Result<DefinitionVersion> Publish(storage::UnitOfWork& unit, const audit::Actor& actor,
                                    const VersionRef& ref, std::string_view change_note);

  // Retires a published version; when it was current, the key has no current version after.
  // Errors: kInvalidArgument for the change note; kNotFound; kFailedPrecondition for a draft or
  // a version retired already.
  Result<DefinitionVersion> Retire(storage::UnitOfWork& unit, const audit::Actor& actor,
                                   const VersionRef& ref, std::string_view change_note);

  // Publishes the content of the published or retired version `ref` as a new version and makes
  // it current. Runs the kind's validator, which may have grown stricter since.
  // Errors: kInvalidArgument as Publish; kNotFound; kFailedPrecondition for a draft, or for the
  // current version itself (nothing to roll back to).
  Result<DefinitionVersion> Rollback(storage::UnitOfWork& unit, const audit::Actor& actor,
                                     const VersionRef& ref, std::string_view change_note);

  // The same use cases, each in a unit of its own.
  Result<DefinitionVersion> CreateDraft(const audit::Actor& actor, DefinitionKind kind,
                                        std::string_view key, const boost::json::object& content,
                                        std::optional<int64_t> based_on);
  Result<DefinitionVersion> UpdateDraft(const audit::Actor& actor, const VersionRef& ref,
                                        int64_t expected_revision,
                                        const boost::json::object& content);
  Result<DefinitionVersion> Publish(const audit::Actor& actor, const VersionRef& ref,
                                    std::string_view change_note);
  Result<DefinitionVersion> Retire(const audit::Actor& actor, const VersionRef& ref,
                                   std::string_view change_note);
  Result<DefinitionVersion> Rollback(const audit::Actor& actor, const VersionRef& ref,
                                     std::string_view change_note);

  // JsonDiff of the contents of two versions of a key (any status).
  // Errors: as GetVersion, for either.
  Result<boost::json::array> Diff(DefinitionKind kind, std::string_view key, int64_t from,
                                  int64_t to);

 private:
  Status CheckPublishable(DefinitionKind kind, const boost::json::object& content) const;
  Result<DefinitionVersion> Load(storage::Tx& tx, const VersionRef& ref) const;

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const EventLog& events_;
  std::map<DefinitionKind, ContentValidator> validators_;
};

}  // namespace oc::runtime
