#pragma once
// The tamper-evident audit trail. Every state change and every security event is appended in the
// same transaction as the change it records, so the trail and the data can never disagree.
//
// Entries form a chain: each is sealed over the previous entry's seal and its own canonical
// content, by the rule recorded with it (see audit_log.cc). The seal is an HMAC under a key
// derived from the master key (crypto::MacKeyring::kAuditChain), which never enters the
// database: someone who can write the database file but not read the key can neither edit an
// entry nor recompute the chain after it. Editing or deleting any row behind the server's back
// breaks the chain at that row, which Verify() reports. The newest seal is also kept in
// `audit_head`, so removing the last rows is detected too; publishing that head value elsewhere
// (Verify prints it) anchors the chain against someone who holds the key as well.
//
// Entries written before the chain was keyed were hashed with plain SHA-256 (rules 1 and 2) and
// keep verifying under their rule, but only before the first keyed entry: a plain entry after a
// keyed one, or a chain whose newest entry is not keyed, is reported as rewritten.
//
// Thread-safety: AuditLog is stateless apart from its clock and keys and may be shared.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/action.h"
#include "core/clock.h"
#include "core/error.h"
#include "crypto/mac_keyring.h"
#include "storage/db.h"
#include "storage/migrations.h"

namespace oc::audit {

// Who acted and from where. `user_id` is empty for anonymous events (a failed login).
struct Actor {
  std::optional<int64_t> user_id;
  std::string username;
  std::string request_id;
  std::string client_ip;
};

// How a changed value may appear in the trail. Personal data arrives already masked, by its
// field's own mask (forms::MaskForViewer), so the trail shows what a masked viewer sees.
enum class Sensitivity {
  kPlain,   // shown as given
  kSecret,  // never shown at all (passwords, keys): recorded as changed, value withheld
};

struct FieldChange {
  std::string field;
  std::optional<std::string> before;  // nullopt: the field had no value
  std::optional<std::string> after;
  Sensitivity sensitivity = Sensitivity::kPlain;
};

struct Event {
  Action action = Action::kAuthLogin;
  std::string entity_type;  // "user", "department", "customer", …; may be empty
  std::string entity_id;    // may be empty
  std::vector<FieldChange> changes;
  std::string detail;  // a short free-text note for security events; no secrets
};

struct Entry {
  int64_t id = 0;
  Instant at;
  std::optional<int64_t> user_id;
  std::string username;
  std::string action;  // the stored name (ActionName); older trails may hold names since retired
  std::string entity_type;
  std::string entity_id;
  std::string changes_json;  // [{"field","before","after"}], sensitive values already masked
  std::string detail;
  std::string request_id;
  std::string client_ip;
  std::string prev_hash;  // hex
  std::string hash;       // hex
  int64_t hash_version = 0;  // the rule `hash` was computed by; set when the entry is linked
  std::optional<int64_t> hash_key_id;  // the master key id that sealed a keyed entry
  // SHA-256 of the content fields, computed by Prepare so that linking need not hash the
  // changes. Not stored: Verify recomputes it from the content.
  std::string content_digest;
};

struct Filter {
  std::optional<int64_t> user_id;
  std::string entity_type;
  std::string entity_id;
  std::string action;  // exact, or a prefix ending in '.': "auth."
  std::optional<Instant> from;  // inclusive
  std::optional<Instant> to;    // exclusive
  std::optional<int64_t> before_id;  // cursor: entries older than this id
  int limit = 50;
};

struct VerifyReport {
  int64_t entries_checked = 0;
  bool intact = true;
  std::optional<int64_t> first_broken_id;  // the first entry whose hash or link is wrong
  std::string problem;                      // what is wrong there, in English
  std::string head_hash;                    // hex hash of the newest entry
};

// The schema of the audit tables.
std::vector<storage::Migration> Migrations();

// The migration that keys the chain. Right after it is applied, SealUpgradedChain must run, so
// that a trail written before it is anchored under the key at once.
inline constexpr std::string_view kKeyedChainMigration = "audit_0003_keyed_chain";

class AuditLog {
 public:
  // `keys` seals new entries (its active key) and verifies sealed ones (any configured key).
  AuditLog(const Clock& clock, const crypto::MacKeyring& keys) : clock_(clock), keys_(keys) {}

  // Appends `event` inside the caller's write transaction. Serialises concurrent appenders on
  // PostgreSQL (row lock on the chain head) so the chain never forks.
  Status Append(storage::Tx& tx, const Actor& actor, const Event& event) const;

  // The same in two steps, for writers that must keep their transaction short (the SQLite writer
  // is one thread shared by every request): Prepare renders an entry — the changes as JSON, the
  // actor — outside any transaction; AppendPrepared then only links the entries, in order, to
  // the chain (id, time, hashes) and inserts them. The caller may fill in entity_id in between
  // (the id of a record the same transaction inserted), and nothing else: the content digest
  // was taken at Prepare. The entries are linked in place, by pointer, so a bulk import names
  // the ones it kept without copying them on the writer.
  Entry Prepare(const Actor& actor, const Event& event) const;
  Status AppendPrepared(storage::Tx& tx, std::span<Entry* const> entries) const;

  // Newest first. Errors: kInvalidArgument for a limit outside 1..1000.
  Result<std::vector<Entry>> List(storage::Db& db, const Filter& filter) const;

  // The entries about one record, newest first by (time, id), strictly before `before` when
  // given: the change history a record's timeline shows. Errors: kInvalidArgument for a limit
  // outside 1..500.
  Result<std::vector<Entry>> History(storage::Db& db, std::string_view entity_type,
                                     std::string_view entity_id,
                                     std::optional<std::pair<Instant, int64_t>> before,
                                     int limit) const;

  // Walks the whole chain in id order. Errors only when the database cannot be read.
  Result<VerifyReport> Verify(storage::Db& db) const;

  // Appends "audit.chain_keyed" when the newest entry was written before the chain was keyed, so
  // that everything before it is sealed under the key from now on. Only right after
  // kKeyedChainMigration was applied: later, an unkeyed newest entry means a rewritten chain,
  // which must be reported, not sealed.
  Status SealUpgradedChain(storage::Db& db) const;

 private:
  const Clock& clock_;
  const crypto::MacKeyring& keys_;
};

}  // namespace oc::audit
